import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { backupDatabase, BACKUP_FOLDER, DATABASE_FILE, listBackups } from './backup.ts'
import { migrate, SCHEMA_VERSION } from './migrations.ts'

export type Db = Database.Database

/** SQLite's answers for a file that is not (or no longer) a sound database. */
const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB'])

/** The account store is damaged (truncated, overwritten, bad sectors): the app refuses to start on it and says how to recover. */
export class DatabaseCorruptError extends Error {
  readonly latestBackup: string | null
  constructor(file: string, detail: string, latestBackup: string | null) {
    super(
      `The account store ${file} is damaged (${detail}), so Directory Sync Console will not open it. ` +
        (latestBackup
          ? `To recover, close every Directory Sync Console window, browser host and dirsync command that uses this data directory, move ${file} (and any ${file}-wal and ${file}-shm) aside, and copy the newest automatic backup, ${latestBackup}, to ${file}; then sync again to catch up with the directories. Changes made after that backup (runs, approvals) are lost; the directories themselves are untouched.`
          : `No automatic backup exists in ${join(file, '..', BACKUP_FOLDER)}. Move ${file} (with its -wal and -shm files) aside and start again: the integrations must be added again and a first sync rebuilds the account directory from the directories.`),
    )
    this.name = 'DatabaseCorruptError'
    this.latestBackup = latestBackup
  }
}

function isCorruption(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && CORRUPT_CODES.has(String(error.code))
}

/**
 * The audit log is append-only: these triggers refuse UPDATE and DELETE on it, from any code path.
 * Created at every open (IF NOT EXISTS: idempotent, no schema version needed).
 */
const AUDIT_APPEND_ONLY = `
  CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`

/**
 * Opens (creating if needed) the account store in `dataDir`: WAL, foreign keys on, checked,
 * migrated. A damaged file is refused with DatabaseCorruptError, whose message names the newest
 * automatic backup and the recovery steps. Before any schema migration of an existing store, a
 * copy is kept in <dataDir>/backups (see backup.ts; the core adds one after each successful run).
 */
/**
 * How much checking at open: `full` runs `quick_check` (reads every page: ~0.25 s per 70 MB on a
 * busy 2-core VM), for the long-lived app and browser host; `{ upToBytes }` runs it only on a store
 * up to that size and otherwise reads just the header and schema (which catches a file that is not
 * a database or a truncated header), for short CLI commands. `dirsync check` runs the full check
 * on request.
 */
export type OpenCheck = 'full' | { readonly upToBytes: number }

/** Stores up to this size get the full quick_check even from the CLI (it costs < 0.1 s). */
export const QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024

/** `quick_check`: "ok", or the first problems SQLite found. */
export function quickCheck(db: Db): string {
  try {
    const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>
    return rows.map((r) => r.quick_check).join('; ')
  } catch (error) {
    // Damage bad enough that the check itself cannot read a page is an answer too.
    if (isCorruption(error)) return error.message
    throw error
  }
}

export function openDatabase(dataDir: string, check: OpenCheck = 'full'): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, DATABASE_FILE)
  const existed = existsSync(file)
  let db: Db | null = null
  try {
    db = new Database(file)
    db.pragma('journal_mode = WAL')
    // FULL: a committed run survives power loss, not only a process kill (the cost is one fsync per run).
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if (existed) {
      // quick_check reads every page once: measured 0.22–0.29 s for 100,000 users (a 70 MB file)
      // on a busy 2-core VM — far cheaper than discovering the damage halfway through a run.
      if (check === 'full' || statSync(file).size <= check.upToBytes) {
        const verdict = quickCheck(db)
        if (verdict !== 'ok') throw Object.assign(new Error(verdict), { code: 'SQLITE_CORRUPT' })
      } else db.prepare('SELECT count(*) FROM sqlite_schema').get()
      const version = db.pragma('user_version', { simple: true }) as number
      if (version > 0 && version < SCHEMA_VERSION) backupDatabase(db, dataDir, 'before-migration')
    }
    migrate(db)
    db.exec(AUDIT_APPEND_ONLY)
    return db
  } catch (error) {
    db?.close()
    if (isCorruption(error)) throw new DatabaseCorruptError(file, error.message.split('\n')[0] ?? error.code, listBackups(dataDir)[0]?.path ?? null)
    throw error
  }
}
