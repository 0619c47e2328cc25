import { buildDesiredState } from './desired-state.ts'
import { PlanBuilder } from './plan-builder.ts'
import { planDesiredGroups, planVanishedMembers } from './plan-groups.ts'
import type { Plan, PlanInput } from '../model/plan-types.ts'
import { planDesiredUsers, planVanishedUsers } from './plan-users.ts'
import { matchUsers } from './user-matching.ts'

/**
 * The account-wide plan: desired state (the union of every live integration's latest snapshot)
 * diffed against the account directory into the closed set of actions. Pure and deterministic:
 * no I/O, the clock is injected, the output is sorted.
 *
 * Users on both sides are numbered once (desired users in the order first seen, account users
 * by index) and matched once; everything after compares numbers, which is what lets 1M users and
 * 5M memberships plan in seconds.
 */
export function planSync(input: PlanInput): Plan {
  const { account, settings, now } = input
  const byId = new Map(input.integrations.map((i) => [i.id, i]))
  const desired = buildDesiredState(input.integrations, settings, account)
  const match = matchUsers(desired, account)
  // A member is numbered as an account user (its index) or, when created now, as a desired user (after them).
  // Every add-member is one of the desired memberships: their count bounds the additions.
  const plan = new PlanBuilder(desired.conflicts, account.users.length + desired.users.count, desired.members.users.length)
  const context = { now, settings, account, desired, match, byId, plan }
  const created = planDesiredUsers(context)
  planVanishedUsers(context)
  const groupContext = { ...context, created, kept: new Uint8Array(account.membershipCount) }
  planDesiredGroups(groupContext)
  planVanishedMembers(groupContext)
  return plan.finish(desired.ignored)
}
