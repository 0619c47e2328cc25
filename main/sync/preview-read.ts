import type { DirectoryGroup, DirectorySnapshotData, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import type { RunRead } from '../../shared/domain/run.ts'
import type { DirectoryConnector, ReadSummary } from '../connectors/directory-connector.ts'
import type { IntegrationRecord } from '../store/integration-store.ts'
import type { PlanIntegration } from '../model/plan-types.ts'
import { describeFailure } from './read-integration.ts'
import { readToEnd } from './read-loop.ts'
import { rejectReason } from './validate-read.ts'

export interface PreviewReadDeps {
  readonly now: () => Date
  readonly connect: (integration: IntegrationRecord) => Promise<DirectoryConnector>
  readonly onProgress: (objectsRead: number, message: string) => void
  readonly signal: AbortSignal
}

export interface PreviewRead {
  /** How the read went, as a sync's run record would say it (no snapshot id: nothing was kept). */
  readonly read: RunRead
  /** The integration as the next sync's plan would see it after this read. */
  readonly integration: PlanIntegration
}

/**
 * Reads one integration the way the next sync will — incrementally from the stored cursor when
 * there is one, validated by the same rules — but read-only: nothing is staged, promoted or
 * recorded, the cursor and status stay as they are. The read is laid over the current snapshot in
 * memory (an incremental read carries the rest over, as promotion does), so the plan made from it
 * is the plan the next sync would apply if the directory does not change in between. A read that
 * fails or is rejected leaves the integration as the sync would: in error, its last snapshot
 * counting, destructive actions held.
 */
export async function readForPreview(record: IntegrationRecord, planned: PlanIntegration, deps: PreviewReadDeps): Promise<PreviewRead> {
  const base = planned.snapshot
  const read: { -readonly [K in keyof RunRead]: RunRead[K] } = {
    integrationId: record.id,
    integrationName: record.name,
    outcome: 'failed',
    mode: null,
    message: null,
    snapshotId: null,
    users: 0,
    groups: 0,
    memberships: 0,
  }
  const inError = (reason: string): PreviewRead => ({
    read: { ...read, message: reason, errorSince: record.status === 'error' ? record.statusSince : deps.now().toISOString() },
    integration: { ...planned, status: 'error', statusReason: reason, statusSince: record.status === 'error' ? record.statusSince : deps.now().toISOString() },
  })

  const users = new Map<string, DirectoryUser>()
  const groups = new Map<string, DirectoryGroup>()
  const deletedUsers = new Set<string>()
  const deletedGroups = new Set<string>()
  let summary: ReadSummary
  try {
    const connector = await deps.connect(record)
    summary = await readToEnd(
      connector,
      record,
      base ? () => ({ users: base.users.map((u) => u.externalId), groups: base.groups.map((g) => g.externalId) }) : null,
      {
        users: (batch) => batch.forEach((user) => users.set(user.externalId, user)),
        groups: (batch) => batch.forEach((group) => groups.set(group.externalId, group)),
        deleted: (userIds, groupIds) => {
          for (const id of userIds) deletedUsers.add(id)
          for (const id of groupIds) deletedGroups.add(id)
        },
      },
      {
        signal: deps.signal,
        onConnectorProgress: (n, phase) => deps.onProgress(n, phase),
        onBatch: () => deps.onProgress(users.size + groups.size, `${users.size + groups.size} objects read`),
      },
    )
  } catch (error) {
    return inError(describeFailure(error))
  }

  const snapshot = summary.mode === 'incremental' && base ? carryOver(base, users, groups, deletedUsers, deletedGroups) : { users: [...users.values()], groups: [...groups.values()] }
  const counts = { users: snapshot.users.length, groups: snapshot.groups.length }
  const mode = `${summary.mode}: ${summary.modeReason}`
  const reason = rejectReason(counts, base ? { users: base.users.length, groups: base.groups.length } : null, record.policy.shrinkGuardPercent)
  if (reason) return { read: { ...inError(reason).read, outcome: 'rejected', mode, ...counts }, integration: inError(reason).integration }
  const memberships = snapshot.groups.reduce((n, g) => n + g.memberIds.length, 0)
  return {
    read: { ...read, outcome: 'read', mode, message: summary.warnings.length > 0 ? summary.warnings.slice(0, 20).join(' ') : null, ...counts, memberships },
    integration: { ...planned, status: 'ok', statusReason: null, statusSince: deps.now().toISOString(), snapshot },
  }
}

/**
 * An incremental read over its base, as promotion makes it: what the read did not rewrite or
 * delete is carried over, and a deleted user leaves every carried-over group.
 */
function carryOver(base: DirectorySnapshotData, users: Map<string, DirectoryUser>, groups: Map<string, DirectoryGroup>, deletedUsers: ReadonlySet<string>, deletedGroups: ReadonlySet<string>): DirectorySnapshotData {
  const mergedUsers = base.users.filter((u) => !deletedUsers.has(u.externalId) && !users.has(u.externalId))
  mergedUsers.push(...users.values())
  const mergedGroups: DirectoryGroup[] = []
  for (const group of base.groups) {
    if (deletedGroups.has(group.externalId) || groups.has(group.externalId)) continue
    const memberIds = deletedUsers.size === 0 ? group.memberIds : group.memberIds.filter((id) => !deletedUsers.has(id))
    mergedGroups.push({ externalId: group.externalId, name: group.name, address: group.address, aliases: group.aliases ?? [], memberIds })
  }
  mergedGroups.push(...groups.values())
  return { users: mergedUsers, groups: mergedGroups }
}
