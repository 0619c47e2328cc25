import type { DeletePreview } from '../../shared/domain/sync-views.ts'
import { findBlockers } from '../sync/gate.ts'
import type { SyncEngine } from '../sync/sync-engine.ts'
import type { DirectoryQueries } from '../store/directory-queries.ts'
import type { IntegrationRecord } from '../store/integration-store.ts'

/**
 * Exactly what deleting the integration will cause at the next sync: the plan with the
 * integration tombstoned, restricted to what is attributed to it — from the same planner and
 * gate a real run uses.
 */
export function buildDeletePreview(directory: DirectoryQueries, engine: SyncEngine, integration: IntegrationRecord, names: ReadonlyMap<string, string>): DeletePreview {
  const { plan, verdict, integrations } = engine.planWithout(integration.id)
  // Group keys of address-less groups are internal ("<integration id>:<guid>"): show names.
  const groupLabel = (key: string): string => directory.groupLabel(key)
  const mine = plan.actions.filter((a) => a.integrationIds.includes(integration.id))
  const stillBacked = directory
    .usersBackedBy(integration.id)
    .map((row) => ({ user: row.user, by: row.sources.filter((id) => id !== integration.id) }))
    .filter((row) => row.by.length > 0)
    .map((row) => ({ user: row.user, by: row.by.map((id) => names.get(id) ?? id) }))
  const blockersNow = findBlockers(integrations.map((i) => (i.id === integration.id ? { ...i, deleted: false, status: integration.status } : i)))
  const remaining = findBlockers(integrations)
  const heldMine = verdict.held.filter((a) => a.integrationIds.includes(integration.id))
  const deletedGroups = mine.filter((a) => a.kind === 'delete-group')
  return {
    integrationId: integration.id,
    integrationName: integration.name,
    usersDemoted: mine.filter((a) => a.kind === 'demote-address').map((a) => a.target),
    usersDeleted: mine.filter((a) => a.kind === 'delete-user').map((a) => a.target),
    membershipsRemoved: mine.filter((a) => a.kind === 'remove-member').map((a) => ({ group: a.target, member: a.member ?? '' })),
    groupsDeleted: deletedGroups.map((a) => groupLabel(a.target)),
    membershipsOfDeletedGroups: deletedGroups.map((a) => ({ group: groupLabel(a.target), members: directory.memberCount(a.target) })).filter((g) => g.members > 0),
    usersStillBacked: stillBacked,
    liftsBlock: blockersNow.some((b) => b.integrationId === integration.id) && remaining.length === 0,
    remainingBlockers: remaining.map((b) => b.name),
    holdNote: heldMine.length > 0 ? `${heldMine.length} of these changes would still be held at the next run: ${heldMine[0]?.reasonText ?? ''}` : null,
  }
}
