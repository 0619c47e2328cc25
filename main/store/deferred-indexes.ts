import type { Db } from './open-database.ts'

/** Below this many new rows, keeping the indexes up to date row by row is cheap enough. */
const MIN_BULK_ROWS = 50_000

/**
 * Builds a table's secondary indexes once after a bulk load instead of row by row during it: a
 * first sync inserts 1.2M memberships and 1.3M journal entries in an order that scatters them
 * over the indexes (measured: a sorted CREATE INDEX afterwards costs a third of it). Done only
 * when the load is large and at least as big as the table already is, so a routine run never
 * rebuilds a large index. Inside the run's transaction, the DROP and CREATE commit or roll back
 * with everything else: a kill mid-way leaves the indexes as they were. Indexes that enforce a
 * constraint (PRIMARY KEY, UNIQUE) have no SQL of their own and are never touched.
 */
export function deferIndexes(db: Db, table: 'memberships' | 'journal', newRows: number): { restore(): void } {
  if (newRows < MIN_BULK_ROWS) return { restore: () => undefined }
  const existing = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  if (newRows < existing) return { restore: () => undefined }
  const indexes = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as Array<{ name: string; sql: string }>
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`)
  let restored = false
  return {
    restore(): void {
      if (restored) return
      restored = true
      for (const index of indexes) db.exec(index.sql)
    },
  }
}
