import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { migrate } from './migrations.ts'

export type Db = Database.Database

/** Opens (creating if needed) the account store in `dataDir`: WAL, foreign keys on, migrated. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const db = new Database(join(dataDir, 'dirsync.db'))
  db.pragma('journal_mode = WAL')
  // FULL: a committed run survives power loss, not only a process kill (the cost is one fsync per run).
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}
