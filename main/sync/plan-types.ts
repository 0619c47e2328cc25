import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { DirectorySnapshotData } from '../../shared/domain/directory-snapshot.ts'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import type { IntegrationStatus } from '../../shared/domain/integration-status.ts'
import type { SyncAction } from '../../shared/domain/sync-action.ts'
import type { AccountSettings } from '../../shared/domain/account.ts'

/** An integration as the planner and the gate see it. Deleted ones are tombstones: no snapshot, policy kept for attribution. */
export interface PlanIntegration {
  readonly id: string
  readonly name: string
  readonly status: IntegrationStatus
  readonly statusSince: string
  readonly statusReason: string | null
  readonly policy: IntegrationPolicy
  readonly deleted: boolean
  /** The last good snapshot; a disabled or errored integration still contributes it. */
  readonly snapshot: DirectorySnapshotData | null
}

export interface AccountAddressState {
  readonly type: AddressType
  readonly primary: boolean
}

export interface AccountUserState {
  readonly address: string
  readonly displayName: string
  readonly status: UserStatus
  readonly deletedAt: string | null
  readonly deletedBy: readonly string[]
  readonly attributes: Readonly<Record<string, string>>
  readonly sources: readonly string[]
  readonly addresses: ReadonlyMap<string, AccountAddressState>
}

export interface AccountGroupState {
  readonly key: string
  readonly name: string
  readonly address: string | null
  readonly origin: 'directory' | 'manual'
  readonly sources: readonly string[]
}

/** The account directory as it is now. Membership sources are integration ids; empty = added by hand. */
export interface AccountState {
  readonly users: ReadonlyMap<string, AccountUserState>
  /** address → owning user's primary address */
  readonly addressOwner: ReadonlyMap<string, string>
  readonly groups: ReadonlyMap<string, AccountGroupState>
  /** group key → (user primary address → sources) */
  readonly memberships: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>
}

export interface PlanInput {
  readonly now: Date
  readonly settings: AccountSettings
  readonly integrations: readonly PlanIntegration[]
  readonly account: AccountState
}

export interface IgnoredAddress {
  readonly address: string
  readonly integrationId: string
  readonly reason: string
}

/**
 * Which integrations back each object after this run. Not an action: keeping the record of who
 * backs what destroys nothing, so it is always written (for the desired objects only — an object
 * whose removal is held keeps its old sources, and so its attribution).
 */
export interface SourceLinks {
  readonly users: ReadonlyArray<readonly [address: string, sources: readonly string[]]>
  readonly groups: ReadonlyArray<readonly [key: string, sources: readonly string[]]>
  readonly memberships: ReadonlyArray<readonly [group: string, user: string, sources: readonly string[]]>
}

export interface Plan {
  readonly actions: readonly SyncAction[]
  readonly links: SourceLinks
  readonly ignored: readonly IgnoredAddress[]
  readonly conflicts: readonly string[]
}
