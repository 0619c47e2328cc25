import { randomUUID } from 'node:crypto'
import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import { IntegrationConfigSchema } from '../../shared/domain/integration-config.ts'
import { IntegrationPolicySchema, type IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import type { IntegrationStatus } from '../../shared/domain/integration-status.ts'
import type { RunOutcome } from '../../shared/domain/integration.ts'
import type { Db } from './open-database.ts'

/** An integration as stored: settings, policy, status; never the secret (only a reference to it). */
export interface IntegrationRecord {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly enabled: boolean
  readonly config: IntegrationConfig
  readonly policy: IntegrationPolicy
  readonly secretRef: string | null
  readonly status: IntegrationStatus
  readonly statusReason: string | null
  readonly statusSince: string
  readonly lastSyncAt: string | null
  readonly lastOutcome: RunOutcome | null
  readonly cursor: string | null
  readonly incrementalRuns: number
  readonly createdAt: string
  readonly deletedAt: string | null
  /**
   * The live integration this one replaces in an open migration (`dirsync migrate start --to`),
   * or null. A staged integration is read and shown in coverage but contributes nothing to the
   * account until the cut-over deletes the old one — derived from the migration itself, so there
   * is no second flag to fall out of step.
   */
  readonly stagedBehind: { readonly id: string; readonly name: string } | null
}

interface Row {
  id: string
  name: string
  description: string
  type: string
  enabled: number
  config: string
  policy: string
  secret_ref: string | null
  status: IntegrationStatus
  status_reason: string | null
  status_since: string
  last_sync_at: string | null
  last_outcome: RunOutcome | null
  cursor: string | null
  incremental_runs: number
  created_at: string
  deleted_at: string | null
  staged_behind_id: string | null
  staged_behind_name: string | null
}

const toRecord = (row: Row): IntegrationRecord => ({
  id: row.id,
  name: row.name,
  description: row.description,
  enabled: row.enabled === 1,
  config: IntegrationConfigSchema.parse({ type: row.type, settings: JSON.parse(row.config) as unknown }),
  policy: IntegrationPolicySchema.parse(JSON.parse(row.policy) as unknown),
  secretRef: row.secret_ref,
  status: row.status,
  statusReason: row.status_reason,
  statusSince: row.status_since,
  lastSyncAt: row.last_sync_at,
  lastOutcome: row.last_outcome,
  cursor: row.cursor,
  incrementalRuns: row.incremental_runs,
  createdAt: row.created_at,
  deletedAt: row.deleted_at,
  stagedBehind: row.staged_behind_id && row.staged_behind_name ? { id: row.staged_behind_id, name: row.staged_behind_name } : null,
})

/** Every integration column, plus the open migration (if any) that stages it behind a live one. */
const SELECT = `SELECT i.*, o.id AS staged_behind_id, o.name AS staged_behind_name
  FROM integrations i
  LEFT JOIN integrations o ON o.deleted_at IS NULL AND o.id = (
    SELECT m.old_integration_id FROM migrations m WHERE m.new_integration_id = i.id AND m.step != 'done' ORDER BY m.created_at DESC LIMIT 1)`

export class IntegrationNotFoundError extends Error {}

export function createIntegrationStore(db: Db) {
  const store = {
    /** Live integrations, by name. */
    list(): IntegrationRecord[] {
      return (db.prepare(`${SELECT} WHERE i.deleted_at IS NULL ORDER BY i.name COLLATE NOCASE`).all() as Row[]).map(toRecord)
    },
    /** Live and deleted (tombstones keep the policy and name that past attributions refer to). */
    listAll(): IntegrationRecord[] {
      return (db.prepare(`${SELECT} ORDER BY i.name COLLATE NOCASE`).all() as Row[]).map(toRecord)
    },
    get(id: string): IntegrationRecord | null {
      const row = db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as Row | undefined
      return row ? toRecord(row) : null
    },
    /** By id, or by unique name (case-insensitive), live integrations only. */
    resolve(idOrName: string): IntegrationRecord {
      const row = (db.prepare(`${SELECT} WHERE i.id = ? AND i.deleted_at IS NULL`).get(idOrName) ??
        db.prepare(`${SELECT} WHERE i.name = ? COLLATE NOCASE AND i.deleted_at IS NULL`).get(idOrName)) as Row | undefined
      if (!row) throw new IntegrationNotFoundError(`No integration is called or has the id "${idOrName}".`)
      return toRecord(row)
    },
    /**
     * Like `resolve`, but a deleted integration answers to its id or its name too (a live one
     * first, then the most recently deleted): its held actions and history still carry it.
     */
    resolveAny(idOrName: string): IntegrationRecord {
      try {
        return store.resolve(idOrName)
      } catch (error) {
        const row = (db.prepare(`${SELECT} WHERE i.id = ?`).get(idOrName) ??
          db.prepare(`${SELECT} WHERE i.name = ? COLLATE NOCASE ORDER BY i.deleted_at DESC`).get(idOrName)) as Row | undefined
        if (!row) throw error
        return toRecord(row)
      }
    },
    nameTaken(name: string, exceptId?: string): boolean {
      const row = db.prepare('SELECT id FROM integrations WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL').get(name) as { id: string } | undefined
      return row !== undefined && row.id !== exceptId
    },
    insert(input: { name: string; description: string; config: IntegrationConfig; policy: IntegrationPolicy; enabled: boolean; secretRef: string | null }, now: string): IntegrationRecord {
      const id = randomUUID()
      db.prepare(
        `INSERT INTO integrations (id, name, description, type, enabled, config, policy, secret_ref, status, status_reason, status_since, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, input.name, input.description, input.config.type, input.enabled ? 1 : 0, JSON.stringify(input.config.settings), JSON.stringify(input.policy), input.secretRef, input.enabled ? 'never-synced' : 'disabled', input.enabled ? null : 'Created disabled', now, now)
      return store.get(id) as IntegrationRecord
    },
    update(id: string, changes: { name?: string; description?: string; config?: IntegrationConfig; policy?: IntegrationPolicy; secretRef?: string | null }): void {
      const current = store.get(id)
      if (!current) throw new IntegrationNotFoundError(`No integration has the id "${id}".`)
      const config = changes.config ?? current.config
      // A changed connection invalidates the incremental cursor: the next read is full.
      const cursorReset = changes.config !== undefined && JSON.stringify(changes.config) !== JSON.stringify(current.config)
      db.prepare('UPDATE integrations SET name = ?, description = ?, type = ?, config = ?, policy = ?, secret_ref = ?, cursor = CASE WHEN ? THEN NULL ELSE cursor END WHERE id = ?').run(
        changes.name ?? current.name,
        changes.description ?? current.description,
        config.type,
        JSON.stringify(config.settings),
        JSON.stringify(changes.policy ?? current.policy),
        changes.secretRef === undefined ? current.secretRef : changes.secretRef,
        cursorReset ? 1 : 0,
        id,
      )
    },
    setEnabled(id: string, enabled: boolean, status: IntegrationStatus, reason: string | null, now: string): void {
      db.prepare('UPDATE integrations SET enabled = ?, status = ?, status_reason = ?, status_since = ? WHERE id = ?').run(enabled ? 1 : 0, status, reason, now, id)
    },
    /**
     * Changes the status. `status_since` is when the current state began, and an error lasts until
     * a read succeeds: a retry (`error` → `syncing`) keeps the error's start and its reason (a
     * syncing integration with a reason is retrying after that error), and a failed retry
     * (`syncing` with a reason → `error`) keeps it too — so "in error since" is the first failure,
     * not the latest attempt, across any number of failed runs (and a run killed mid-read).
     * Anything else moves it when the status changes.
     */
    setStatus(id: string, status: IntegrationStatus, reason: string | null, now: string): void {
      db.prepare(
        `UPDATE integrations SET
           status_since = CASE
             WHEN status = @status THEN status_since
             WHEN @status = 'syncing' AND status = 'error' THEN status_since
             WHEN @status = 'error' AND status = 'syncing' AND status_reason IS NOT NULL THEN status_since
             ELSE @now END,
           status_reason = CASE WHEN @status = 'syncing' AND status = 'error' THEN status_reason ELSE @reason END,
           status = @status
         WHERE id = @id`,
      ).run({ id, status, reason, now })
    },
    recordRead(id: string, cursor: string | null, mode: 'full' | 'incremental'): void {
      db.prepare('UPDATE integrations SET cursor = ?, incremental_runs = CASE WHEN ? THEN incremental_runs + 1 ELSE 0 END WHERE id = ?').run(cursor, mode === 'incremental' ? 1 : 0, id)
    },
    /** The directory refused the stored cursor: the next read is full, whatever happens to this one. */
    forgetCursor(id: string): void {
      db.prepare('UPDATE integrations SET cursor = NULL WHERE id = ?').run(id)
    },
    recordOutcome(id: string, at: string, outcome: RunOutcome): void {
      db.prepare('UPDATE integrations SET last_sync_at = ?, last_outcome = ? WHERE id = ?').run(at, outcome, id)
    },
    /** Tombstone: the row stays (name, policy) for attribution; everything else about it goes. */
    markDeleted(id: string, now: string): void {
      db.prepare("UPDATE integrations SET deleted_at = ?, enabled = 0, secret_ref = NULL, cursor = NULL, status_reason = 'Deleted' WHERE id = ?").run(now, id)
    },
  }
  return store
}
export type IntegrationStore = ReturnType<typeof createIntegrationStore>
