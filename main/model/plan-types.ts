import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { DirectorySnapshotData } from '../../shared/domain/directory-snapshot.ts'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import type { IntegrationStatus } from '../../shared/domain/integration-status.ts'
import type { SyncAction } from '../../shared/domain/sync-action.ts'
import type { AccountSettings } from '../../shared/domain/account.ts'
import type { ActionSequence } from './action-sequence.ts'

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
  readonly address: string
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
  /** Every address of the user, the primary included. An array, not a Map: most users have one or two. */
  readonly addresses: readonly AccountAddressState[]
}

export interface AccountGroupState {
  readonly key: string
  readonly name: string
  readonly address: string | null
  /** The group's alias addresses (without `address`), sorted. Absent: none. */
  readonly aliases?: readonly string[]
  readonly origin: 'directory' | 'manual'
  readonly sources: readonly string[]
}

/**
 * One group's members: user indexes (into `AccountState.users`) in ascending order, and for each
 * the index of its source list in `AccountState.sourceLists` (empty list = added by hand). Two
 * typed arrays per group instead of a Map per group: 5M memberships cost 30 MB, not 500 MB.
 */
export interface GroupMembers {
  readonly users: Int32Array
  readonly sources: Uint32Array
  /** Where this group's memberships start in a numbering of all memberships (for per-membership flags). */
  readonly offset: number
}

/**
 * The account directory as it is now, numbered: a user is its index in `users`, so the planner
 * compares numbers, not addresses. Build it with `AccountStateBuilder` (account-state.ts).
 */
export interface AccountState {
  readonly users: readonly AccountUserState[]
  /** Every address (primaries and aliases) → index of the user that holds it. */
  readonly userByAddress: ReadonlyMap<string, number>
  readonly groups: ReadonlyMap<string, AccountGroupState>
  /** group key → its members */
  readonly memberships: ReadonlyMap<string, GroupMembers>
  /** All memberships (the sum of the groups' member counts). */
  readonly membershipCount: number
  /** The distinct membership source lists (integration ids), interned. */
  readonly sourceLists: ReadonlyArray<readonly string[]>
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
  /** The actions in apply order, add-members compact: what the gate and a run use. */
  readonly sequence: ActionSequence
  /** The same actions as an array, made when first read (previews, checks, tests; a run never reads it). */
  readonly actions: readonly SyncAction[]
  readonly links: SourceLinks
  readonly ignored: readonly IgnoredAddress[]
  readonly conflicts: readonly string[]
}

export function planOf(sequence: ActionSequence, links: SourceLinks, ignored: readonly IgnoredAddress[], conflicts: readonly string[]): Plan {
  let actions: readonly SyncAction[] | null = null
  return {
    sequence,
    get actions(): readonly SyncAction[] {
      return (actions ??= sequence.toArray())
    },
    links,
    ignored,
    conflicts,
  }
}
