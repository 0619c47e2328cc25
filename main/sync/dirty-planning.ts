import type { AccountSettings } from '../../shared/domain/account.ts'
import { ACTION_KIND_TABLE, type HeldAction } from '../../shared/domain/sync-action.ts'
import type { AccountState } from '../model/plan-types.ts'
import type { ActionSequence } from '../model/action-sequence.ts'
import type { GateVerdict } from './gate.ts'
import type { DirtySet } from '../model/dirty-set.ts'
import type { PlanBasis } from '../store/plan-marks.ts'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import { purgeDue } from './plan-users.ts'

/**
 * How often a run plans the whole account even when the dirty set is bounded: the consistency
 * check DESIGN.md §6 asks for. Daily (Default: 24 hours): with the default schedule that is one
 * run in three, so a mark ever lost (a bug, a store edited by hand) is repaired within a day, while
 * the other runs cost what changed. A full plan at 100k users costs seconds, not minutes.
 */
export const FULL_PLAN_EVERY_MS = 24 * 60 * 60 * 1000

/** The inputs of the planner other than the snapshots' rows and the account, per integration. */
export interface PlanInputIntegration {
  readonly id: string
  readonly deleted: boolean
  /** Its snapshot counts in the plan (live, has one, not staged behind a migration). */
  readonly contributes: boolean
  readonly policy: IntegrationPolicy
}

/**
 * Everything besides rows that the planner's decisions depend on: the account settings, and per
 * integration whether it counts and its policy (scope domains, delete users, acknowledge
 * disabled accounts, limits). When it differs from the last applied plan's, any object may
 * decide differently: the plan is a full one. Status and names are left out on purpose: the
 * planner does not read status (the gate does, over the whole plan, which holds every held
 * action), and a name only appears in the text of actions not applied yet — held ones, which are
 * re-planned anyway.
 */
export function planFingerprint(settings: AccountSettings, integrations: readonly PlanInputIntegration[]): string {
  const sorted = [...integrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return JSON.stringify({ settings, integrations: sorted.map((i) => [i.id, i.deleted, i.contributes, i.policy]) })
}

export const PERIODIC_FULL_PLAN = 'the periodic full plan (consistency check) is due'

/** Why this run must plan the whole account, or null: the dirty set bounds it. */
export function fullPlanReason(input: { readonly forced: boolean; readonly pending: readonly string[]; readonly fingerprint: string; readonly basis: PlanBasis; readonly now: Date }): string | null {
  if (input.forced) return 'a full plan was asked for (sync --full)'
  if (input.basis.fingerprint === null || input.basis.lastFullAt === null) return 'no plan was applied with dirty-set tracking yet'
  if (input.pending.length > 0) return input.pending.join('; ')
  if (input.basis.fingerprint !== input.fingerprint) return 'settings, a policy or the set of contributing integrations changed'
  if (input.now.getTime() - Date.parse(input.basis.lastFullAt) >= FULL_PLAN_EVERY_MS) return PERIODIC_FULL_PLAN
  return null
}

/**
 * The marks, plus what is dirty without a mark: every held action's object (a hold ends by a
 * status change, an approval or a raised limit, none of which touches a row) and every deleted
 * user whose purge is due (time alone makes it so).
 */
export function withHeldAndDue(marks: DirtySet, held: readonly HeldAction[], deleted: ReadonlyArray<readonly [address: string, deletedAt: string | null]>, retentionDays: number, now: Date): DirtySet {
  const addresses = new Map(marks.addresses)
  const groupRows = new Set(marks.groupRows)
  const memberships = [...marks.memberships]
  const user = (address: string): void => void addresses.set(address, addresses.get(address) ?? false)
  for (const action of held) {
    switch (ACTION_KIND_TABLE[action.kind].subject) {
      case 'user':
      case 'address':
        user(action.target)
        break
      case 'group':
        groupRows.add(action.target)
        break
      case 'membership':
        memberships.push([action.target, action.member ?? ''])
        break
    }
  }
  for (const [address, deletedAt] of deleted) if (purgeDue(deletedAt, now, retentionDays)) user(address)
  return { addresses, groups: marks.groups, groupRows, memberships }
}

/**
 * Addresses a plan frees by purging their user. The one way applying a plan changes what the
 * planner decides for *other* objects next time: a directory user whose address the purged user
 * held (a conflict until now) may take it. They are marked for the next run, with memberships.
 */
export function freedAddresses(applied: ActionSequence, account: AccountState): string[] {
  const freed: string[] = []
  // Purges are among the other kinds: the add-members need not be walked.
  for (const action of applied.others) {
    if (action.kind !== 'purge-user') continue
    const index = account.userByAddress.get(action.target)
    const user = index === undefined ? undefined : account.users[index]
    freed.push(action.target, ...(user?.addresses.map((a) => a.address) ?? []))
  }
  return freed
}

/** How many actions two verdicts disagree on (applied or held, by id and reason): 0 when they plan the same. */
export function planDifference(a: GateVerdict, b: GateVerdict): number {
  const keys = (v: GateVerdict): Set<string> => new Set([...Array.from(v.apply, (x) => `apply ${x.id}`), ...v.held.map((x) => `held ${x.id} ${x.reason}`)])
  const left = keys(a)
  const right = keys(b)
  let differ = 0
  for (const key of left) if (!right.has(key)) differ++
  for (const key of right) if (!left.has(key)) differ++
  return differ
}
