import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import { DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from '../../shared/domain/account.ts'
import type { DirectoryGroup, DirectorySnapshotData, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import { DEFAULT_POLICY, type IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import type { IntegrationStatus } from '../../shared/domain/integration-status.ts'
import { AccountStateBuilder } from '../../main/model/account-state.ts'
import type { AccountState, PlanInput, PlanIntegration } from '../../main/model/plan-types.ts'

/** Fixture objects for the pure planner and gate: small, explicit, no I/O. */

export const NOW = new Date('2025-03-01T08:00:00.000Z')

export function dirUser(id: string, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return { externalId: id, primaryAddress: `${id}@example.org`, aliases: [], displayName: id, enabled: true, attributes: {}, ...extra }
}

export function dirGroup(id: string, memberIds: readonly string[], address: string | null = `${id}@example.org`): DirectoryGroup {
  return { externalId: id, name: id, address, memberIds }
}

export function integration(id: string, snapshot: DirectorySnapshotData | null, extra: { status?: IntegrationStatus; since?: string; policy?: Partial<IntegrationPolicy>; deleted?: boolean; name?: string } = {}): PlanIntegration {
  return {
    id,
    name: extra.name ?? id.toUpperCase(),
    status: extra.status ?? 'ok',
    statusSince: extra.since ?? '2025-02-01T00:00:00.000Z',
    statusReason: null,
    policy: { ...DEFAULT_POLICY, ...extra.policy },
    deleted: extra.deleted ?? false,
    snapshot,
  }
}

export interface AccountUserSpec {
  readonly address: string
  readonly sources: readonly string[]
  readonly displayName?: string
  readonly status?: UserStatus
  readonly deletedAt?: string
  readonly deletedBy?: readonly string[]
  /** address → type; the primary is `address` (directory unless given). */
  readonly addresses?: Readonly<Record<string, AddressType>>
  readonly attributes?: Readonly<Record<string, string>>
}

export interface AccountSpec {
  readonly users?: readonly AccountUserSpec[]
  readonly groups?: ReadonlyArray<{ key: string; name?: string; address?: string | null; origin?: 'directory' | 'manual'; sources: readonly string[] }>
  /** [group key, user address, sources] */
  readonly memberships?: ReadonlyArray<readonly [string, string, readonly string[]]>
}

export function account(spec: AccountSpec = {}): AccountState {
  const builder = new AccountStateBuilder()
  for (const u of spec.users ?? []) {
    const types = { [u.address]: 'directory' as AddressType, ...u.addresses }
    builder.addUser({
      address: u.address,
      displayName: u.displayName ?? u.address.split('@')[0] ?? u.address,
      status: u.status ?? 'active',
      deletedAt: u.deletedAt ?? null,
      deletedBy: u.deletedBy ?? [],
      attributes: u.attributes ?? {},
      sources: u.sources,
      addresses: Object.entries(types).map(([address, type]) => ({ address, type, primary: address === u.address })),
    })
  }
  for (const g of spec.groups ?? []) builder.addGroup({ key: g.key, name: g.name ?? g.key.split('@')[0] ?? g.key, address: g.address === undefined ? g.key : g.address, origin: g.origin ?? 'directory', sources: g.sources })
  for (const [group, user, sources] of spec.memberships ?? []) builder.addMember(group, user, sources)
  return builder.build()
}

export function planInput(integrations: readonly PlanIntegration[], state: AccountState = account(), settings: Partial<AccountSettings> = {}, now: Date = NOW): PlanInput {
  return { now, settings: { ...DEFAULT_ACCOUNT_SETTINGS, ...settings }, integrations, account: state }
}
