import { hostname } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { CoreError } from './core-errors.ts'

export const INSTANCE_LOCK_FILE = 'instance.lock'

/** A long-running Directory Sync Console (desktop app or browser host) already serves this data directory. */
export class InstanceLockedError extends CoreError {
  constructor(message: string) {
    super('busy', message)
    this.name = 'InstanceLockedError'
  }
}

export interface InstanceLock {
  release(): void
}

interface Holder {
  readonly pid: number
  readonly kind: string
  readonly host: string
  readonly since: string
}

/** Held locks stay referenced for the life of the process (a collected handle would drop the lock). */
const held = new Map<string, Database.Database>()

function holderOf(db: Database.Database): Holder | null {
  try {
    return (db.prepare('SELECT pid, kind, host, since FROM holder').get() as Holder | undefined) ?? null
  } catch {
    return null
  }
}

/**
 * One long-running instance per data directory. The lock is an OS file lock, held by a write
 * transaction that stays open on <dataDir>/instance.lock (a tiny SQLite file): the operating
 * system drops it when the process ends in any way (quit, crash, SIGKILL, power loss), so there
 * is no stale lock to clean up and no pid to trust. A second taker gets SQLITE_BUSY at once and
 * is refused with who holds it (kept in the same file, readable while the lock is held).
 *
 * Scope (decided in issue 8): the desktop app and the browser host take it — they run for hours,
 * schedule runs and would each show a console whose state the other changes underneath. The
 * dirsync CLI does not: its commands are short, `status`/`runs`/`users`/`audit` must work while
 * the app is open, and a CLI `sync` during a run is refused by the cross-process run lock
 * (main/store/run-lock.ts) instead.
 */
export function acquireInstanceLock(dataDir: string, kind: string, now: Date = new Date()): InstanceLock {
  const path = join(dataDir, INSTANCE_LOCK_FILE)
  const db = new Database(path)
  const refuse = (): never => {
    const holder = holderOf(db)
    db.close()
    const who = holder ? `${holder.kind}, process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'another process'
    throw new InstanceLockedError(
      `Another Directory Sync Console (${who}) is already using the data directory ${dataDir}. ` +
        'Only one desktop app or browser host may serve a data directory at a time: switch to the one that is running, or close it and try again. ' +
        '(The dirsync command line can still inspect this data directory meanwhile.)',
    )
  }
  try {
    db.pragma('busy_timeout = 0')
    // Rollback-journal mode: while the holder keeps its RESERVED lock, others can still read who it is.
    db.pragma('journal_mode = DELETE')
    db.exec('BEGIN IMMEDIATE')
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) refuse()
    db.close()
    throw error
  }
  db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, kind TEXT NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)')
  db.exec('DELETE FROM holder')
  db.prepare('INSERT INTO holder (pid, kind, host, since) VALUES (?, ?, ?, ?)').run(process.pid, kind, hostname(), now.toISOString())
  db.exec('COMMIT')
  // Between COMMIT and this BEGIN another process may win the race; then it holds the lock and we refuse.
  try {
    db.exec('BEGIN IMMEDIATE')
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) refuse()
    db.close()
    throw error
  }
  held.set(path, db)
  return {
    release(): void {
      if (held.get(path) !== db) return
      held.delete(path)
      db.exec('ROLLBACK')
      db.close()
    },
  }
}
