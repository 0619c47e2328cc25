import type { MigrationStep } from '../../shared/domain/migration.ts'
import type { Db } from './open-database.ts'

/** A guided migration as stored: its step and its state (JSON the migration service owns). */
export interface MigrationRecord {
  readonly id: string
  readonly oldIntegrationId: string
  readonly newIntegrationId: string
  readonly step: MigrationStep
  readonly state: string
  readonly createdAt: string
  readonly updatedAt: string
}

interface Row {
  id: string
  old_integration_id: string
  new_integration_id: string
  step: MigrationStep
  state: string
  created_at: string
  updated_at: string
}

const toRecord = (row: Row): MigrationRecord => ({ id: row.id, oldIntegrationId: row.old_integration_id, newIntegrationId: row.new_integration_id, step: row.step, state: row.state, createdAt: row.created_at, updatedAt: row.updated_at })

/** The `migrations` table (schema 2): resumable guided moves between directory providers. */
export function createMigrationStore(db: Db) {
  return {
    /** By id, or by a unique-enough prefix of it (the newest match). */
    find(idOrPrefix: string): MigrationRecord | null {
      const row = (db.prepare('SELECT * FROM migrations WHERE id = ?').get(idOrPrefix) ?? db.prepare('SELECT * FROM migrations WHERE id LIKE ? ORDER BY created_at DESC').get(`${idOrPrefix}%`)) as Row | undefined
      return row ? toRecord(row) : null
    },
    /** Newest first. */
    list(): MigrationRecord[] {
      return (db.prepare('SELECT * FROM migrations ORDER BY created_at DESC').all() as Row[]).map(toRecord)
    },
    /** The unfinished migration away from this integration, if any. */
    openFor(oldIntegrationId: string): MigrationRecord | null {
      const row = db.prepare("SELECT * FROM migrations WHERE old_integration_id = ? AND step != 'done' ORDER BY created_at DESC").get(oldIntegrationId) as Row | undefined
      return row ? toRecord(row) : null
    },
    insert(record: Omit<MigrationRecord, 'updatedAt'>): void {
      db.prepare('INSERT INTO migrations (id, old_integration_id, new_integration_id, step, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(record.id, record.oldIntegrationId, record.newIntegrationId, record.step, record.state, record.createdAt, record.createdAt)
    },
    update(id: string, step: MigrationStep, state: string, at: string): void {
      db.prepare('UPDATE migrations SET step = ?, state = ?, updated_at = ? WHERE id = ?').run(step, state, at, id)
    },
  }
}
export type MigrationStore = ReturnType<typeof createMigrationStore>
