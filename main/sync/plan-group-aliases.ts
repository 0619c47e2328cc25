import type { AccountGroupState, PlanIntegration } from '../model/plan-types.ts'
import type { DesiredGroup } from './desired-groups.ts'
import type { PlanBuilder } from './plan-builder.ts'
import { describeIntegrations } from './plan-users.ts'

/**
 * A group's alias addresses brought in line with its directories: aliases a snapshot lists and the
 * account group lacks are added (one action per group); aliases no snapshot lists any more are
 * removed — destructive (see ACTION_KIND_TABLE), attributed to the integrations that backed the
 * group. A group has a handful of aliases at most, so the lists are compared directly.
 */
export function planGroupAliases(current: AccountGroupState, desired: DesiredGroup, sources: readonly string[], plan: PlanBuilder, byId: ReadonlyMap<string, PlanIntegration>): void {
  const have = current.aliases ?? []
  const want = desired.aliases
  const added = want.filter((a) => !have.includes(a))
  const removed = have.filter((a) => !want.includes(a))
  if (added.length > 0) {
    plan.push({ kind: 'add-group-alias', target: desired.key, addresses: added, detail: `${desired.name}: + ${added.join(', ')}`, integrationIds: [...sources] })
  }
  if (removed.length > 0) {
    const from = describeIntegrations(current.sources, byId) || 'any directory'
    plan.push({ kind: 'remove-group-alias', target: desired.key, addresses: removed, detail: `${desired.name}: ${removed.join(', ')} no longer an alias in ${from}`, integrationIds: [...current.sources] })
  }
}
