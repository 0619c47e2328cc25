import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE } from '../../main/store/backup.ts'
import { migrate } from '../../main/store/migrations.ts'

/**
 * Makes `dataDir` hold a store as an earlier version left it: migrated only up to `schema`, then
 * given rows by `seed` in that schema's own SQL. Opening it with the app's code then runs the
 * later migrations, as an upgrade would.
 */
export function storeAtSchema(dataDir: string, schema: number, seed: (db: Database.Database) => void): void {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, DATABASE_FILE))
  try {
    migrate(db, schema)
    seed(db)
  } finally {
    db.close()
  }
}
