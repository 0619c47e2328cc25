import type { Db } from './open-database.ts'

export type BulkValue = string | number | bigint | null

/** Rows per multi-row INSERT: past ~20 the per-statement cost is gone; 64 × 9 columns stays far below SQLite's variable limit. */
const ROWS_PER_STATEMENT = 64

/**
 * Appends rows with multi-row INSERT statements (one native call per 64 rows instead of one per
 * row: a first sync writes 1.2M memberships and as many journal entries). Rows are buffered, so
 * call `flush()` before anything reads the table and before the transaction commits.
 * `onInserted(lastRowid, rows)` tells the caller which rowids a statement took: they are
 * consecutive, ending at `lastRowid` (a table whose INTEGER PRIMARY KEY is not given).
 */
export function createBulkInsert(db: Db, head: string, width: number, onInserted?: (lastRowid: number, rows: number) => void, row = `(${new Array<string>(width).fill('?').join(', ')})`) {
  // `row`: one row's VALUES tuple, with `width` placeholders; constants written into it are not bound per row.
  const placeholders = (rows: number): string => Array.from({ length: rows }, () => row).join(', ')
  const many = db.prepare(`${head} VALUES ${placeholders(ROWS_PER_STATEMENT)}`)
  const one = db.prepare(`${head} VALUES ${placeholders(1)}`)
  const buffer = new Array<BulkValue>(width * ROWS_PER_STATEMENT)
  let filled = 0

  function write(statement: typeof one, values: readonly BulkValue[], rows: number): void {
    const result = statement.run(values)
    onInserted?.(Number(result.lastInsertRowid), rows)
  }

  return {
    /** One row's values, in the column order of `head`. */
    add(...values: BulkValue[]): void {
      for (let i = 0; i < width; i++) buffer[filled++] = values[i] ?? null
      if (filled === buffer.length) {
        write(many, buffer, ROWS_PER_STATEMENT)
        filled = 0
      }
    },
    /** Writes what is buffered (row by row: fewer than a statement's worth). */
    flush(): void {
      for (let at = 0; at < filled; at += width) write(one, buffer.slice(at, at + width), 1)
      filled = 0
    },
  }
}
export type BulkInsert = ReturnType<typeof createBulkInsert>
