import type { IntegrationView } from '../../shared/domain/integration.ts'
import type { IntegrationRecord } from '../store/integration-store.ts'
import type { SnapshotInfo } from '../store/snapshot-store.ts'

/** What leaves the core about an integration: settings and status, and only whether a secret is set. */
export function toIntegrationView(record: IntegrationRecord, snapshot: SnapshotInfo | null, nextSyncAt: Date | null): IntegrationView {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    enabled: record.enabled,
    config: record.config,
    policy: record.policy,
    hasSecret: record.secretRef !== null,
    status: record.status,
    statusReason: record.statusReason,
    statusSince: record.statusSince,
    lastSyncAt: record.lastSyncAt,
    lastOutcome: record.lastOutcome,
    nextSyncAt: record.enabled && nextSyncAt ? nextSyncAt.toISOString() : null,
    snapshot: snapshot ? { id: snapshot.id, takenAt: snapshot.takenAt, users: snapshot.users, groups: snapshot.groups, memberships: snapshot.memberships, mode: `${snapshot.mode}: ${snapshot.modeReason.replace(/\.$/, '')}` } : null,
    createdAt: record.createdAt,
    stagedBehind: record.stagedBehind,
  }
}
