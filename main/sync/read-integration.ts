import type { RunRead } from '../../shared/domain/run.ts'
import { ConnectorError } from '../connectors/connector-error.ts'
import type { DirectoryConnector, ReadSummary } from '../connectors/directory-connector.ts'
import type { IntegrationRecord, IntegrationStore } from '../store/integration-store.ts'
import type { SnapshotStore } from '../store/snapshot-store.ts'
import { readToEnd } from './read-loop.ts'
import { rejectReason } from './validate-read.ts'
import type { SnapshotDelta } from '../model/snapshot-delta.ts'

export interface ReadDeps {
  readonly integrations: IntegrationStore
  readonly snapshots: SnapshotStore
  readonly now: () => Date
  readonly connect: (integration: IntegrationRecord) => Promise<DirectoryConnector>
  readonly onProgress: (objectsRead: number, phase: 'reading' | 'validating', message: string) => void
  readonly signal: AbortSignal
  /** Called inside the promotion's transaction with what it changed (dirty-set planning records it). */
  readonly onDelta?: ((integrationId: string, delta: SnapshotDelta) => void) | undefined
}

/** Plain words for any failure; connector errors already are, anything else is summarised. */
export function describeFailure(error: unknown): string {
  if (error instanceof ConnectorError) return error.message
  if (error instanceof Error && error.message) return `The read failed: ${error.message.split('\n')[0]}`
  return 'The read failed for an unknown reason.'
}

/**
 * Read → stage → validate → promote, for one integration. A failed read, a read cut short, or a
 * read rejected by validation puts the integration in `error` with the reason and keeps the last
 * good snapshot untouched; only a complete, valid read changes it (by its difference, in place).
 */
export async function readIntegration(integration: IntegrationRecord, deps: ReadDeps): Promise<RunRead> {
  const { integrations, snapshots } = deps
  const base = snapshots.current(integration.id)
  const at = deps.now().toISOString()
  integrations.setStatus(integration.id, 'syncing', null, at)
  const stagedId = snapshots.stage(integration.id, at)
  const result: { -readonly [K in keyof RunRead]: RunRead[K] } = {
    integrationId: integration.id,
    integrationName: integration.name,
    outcome: 'failed',
    mode: null,
    message: null,
    snapshotId: null,
    users: 0,
    groups: 0,
    memberships: 0,
  }
  let summary: ReadSummary
  try {
    const connector = await deps.connect(integration)
    summary = await readToEnd(
      connector,
      integration,
      base ? () => snapshots.externalIds(base.id) : null,
      {
        users: (users) => snapshots.writeUsers(stagedId, users),
        groups: (groups, memberPositions) => snapshots.writeGroups(stagedId, groups, memberPositions),
        deleted: (userIds, groupIds) => snapshots.writeDeletions(stagedId, userIds, groupIds),
      },
      {
        signal: deps.signal,
        onConnectorProgress: (n, phase) => deps.onProgress(n, 'reading', phase),
        onBatch: (read) => deps.onProgress(read, 'reading', `${read} objects read`),
      },
    )
    if (summary.mode === 'incremental' && !base) throw new ConnectorError('protocol', 'The connector answered with an incremental read but there is no earlier snapshot to apply it to.')
  } catch (error) {
    snapshots.discard(stagedId)
    if (error instanceof ConnectorError && error.cursorRejected) integrations.forgetCursor(integration.id)
    const message = describeFailure(error)
    integrations.setStatus(integration.id, 'error', message, deps.now().toISOString())
    result.message = message
    result.errorSince = integrations.get(integration.id)?.statusSince ?? null
    return result
  }

  deps.onProgress(0, 'validating', 'validating the read')
  // The counts the snapshot would have after promotion, from the difference alone.
  const counts = snapshots.countAfterPromotion(stagedId, summary.mode)
  const reason = rejectReason(counts, base, integration.policy.shrinkGuardPercent)
  if (reason) {
    snapshots.discard(stagedId)
    if (summary.cursorRejected) integrations.forgetCursor(integration.id)
    integrations.setStatus(integration.id, 'error', reason, deps.now().toISOString())
    return { ...result, outcome: 'rejected', mode: `${summary.mode}: ${summary.modeReason}`, message: reason, errorSince: integrations.get(integration.id)?.statusSince ?? null, ...counts }
  }
  const promoted = snapshots.promote(stagedId, integration.id, summary.mode, summary.modeReason, deps.onDelta ? (delta) => deps.onDelta?.(integration.id, delta) : undefined)
  integrations.recordRead(integration.id, summary.cursor, summary.mode)
  integrations.setStatus(integration.id, 'ok', null, deps.now().toISOString())
  return {
    ...result,
    outcome: 'read',
    mode: `${summary.mode}: ${summary.modeReason}`,
    message: summary.warnings.length > 0 ? summary.warnings.slice(0, 20).join(' ') : null,
    snapshotId: promoted.id,
    users: promoted.users,
    groups: promoted.groups,
    memberships: promoted.memberships,
  }
}
