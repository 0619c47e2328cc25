import { CliError } from './cli-error.ts'
import { table, type Output } from './cli-output.ts'

/** Rows fetched from the store per page while streaming (Default: 1,000). */
const PAGE = 1000

/** How `users` and `groups` print their rows. */
export type RowFormat = 'table' | 'json' | 'ndjson'

export interface RowPaging {
  /** Rows to skip (Default: 0). */
  readonly offset: number
  /** Most rows to print; null = every row (the default). */
  readonly limit: number | null
}

/** `--offset`/`--limit` from their text: whole numbers ≥ 0 (limit ≥ 1), or a usage error. */
export function rowPaging(offset: string | undefined, limit: string | undefined): RowPaging {
  const whole = (text: string, name: string, min: number): number => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} takes a whole number of at least ${min} (got "${text}").`, 2)
    return n
  }
  return { offset: offset === undefined ? 0 : whole(offset, 'offset', 0), limit: limit === undefined ? null : whole(limit, 'limit', 1) }
}

export function rowFormat(json: boolean | undefined, ndjson: boolean | undefined): RowFormat {
  if (json && ndjson) throw new CliError('Choose --json or --ndjson, not both.', 2)
  return ndjson ? 'ndjson' : json ? 'json' : 'table'
}

/**
 * Prints every row a paged query returns (or the `--offset`/`--limit` window of them), fetching a
 * page at a time so an export of 100,000 users never sits in memory whole:
 * - `json`: one document, `{ "total", ...extra, "rows": [...] }`, written as the rows arrive;
 * - `ndjson`: one row per line (for large exports and line tools), nothing else;
 * - `table`: a heading line, then the rows as a table.
 */
export function streamRows<T>(
  out: Output,
  format: RowFormat,
  paging: RowPaging,
  fetch: (offset: number, limit: number) => { readonly rows: readonly T[]; readonly total: number },
  view: { readonly extra: Record<string, unknown>; readonly heading: (total: number) => string; readonly headers: readonly string[]; readonly cells: (row: T) => ReadonlyArray<string | number | null> },
): void {
  let offset = paging.offset
  let remaining = paging.limit ?? Number.POSITIVE_INFINITY
  let written = 0
  let page = fetch(offset, Math.min(PAGE, remaining))
  const total = page.total
  if (format === 'json') out.raw(`{\n  "total": ${total},\n${Object.entries(view.extra).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`).join('')}  "rows": [`)
  if (format === 'table') out.raw(`${view.heading(total)}\n`)
  for (;;) {
    const rows = page.rows.length > remaining ? page.rows.slice(0, remaining) : page.rows
    if (format === 'json') out.raw(rows.map((row) => `${written++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(row)}`).join(''))
    else if (format === 'ndjson') out.raw(rows.map((row) => `${JSON.stringify(row)}\n`).join(''))
    else if (rows.length > 0 || written === 0) {
      // A table per page, its column headings only on the first (columns are sized per page).
      const text = table(view.headers, rows.map(view.cells))
      out.raw(`${written === 0 ? text : text.split('\n').slice(2).join('\n')}\n`)
      written += rows.length
    }
    offset += rows.length
    remaining -= rows.length
    if (rows.length === 0 || remaining <= 0) break
    page = fetch(offset, Math.min(PAGE, remaining))
  }
  if (format === 'json') out.raw(`${written > 0 ? '\n  ' : ''}]\n}\n`)
}
