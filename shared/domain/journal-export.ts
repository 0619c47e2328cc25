import { csvRows } from '../export/csv.ts'
import type { JournalEntry, JournalState } from './journal.ts'

/**
 * The one place that says how journal entries are exported — the CLI's `run --changes` and
 * `history` (`--csv`, `--json`) and the console's run-changes export write through it, so a
 * file from either is the same. A document is written as it is read (head, pages of rows, tail),
 * so a first sync's 1.3 million entries never sit in memory whole.
 */
export type JournalExportFormat = 'csv' | 'json'

export const JOURNAL_CSV_HEADER = ['seq', 'at', 'run', 'event', 'kind', 'target', 'member', 'detail', 'integrations', 'integration ids', 'before', 'after', 'reason', 'held since', 'approved by', 'action id'] as const

function state(value: JournalState | null): string {
  return value === null ? '' : JSON.stringify(value)
}

function csvCells(e: JournalEntry): (string | number)[] {
  return [
    e.seq,
    e.at,
    e.runId ?? '',
    e.event,
    e.kind,
    e.target,
    e.member ?? '',
    e.detail,
    e.integrations.map((i) => i.name).join('; '),
    e.integrations.map((i) => i.id).join('; '),
    state(e.before),
    state(e.after),
    e.reason?.text ?? '',
    e.reason?.heldSince ?? '',
    e.reason?.approvedBy ?? '',
    e.actionId,
  ]
}

/** Writes one export document in parts; `head() + rows(page1) + rows(page2) + … + tail()` is the whole file. */
export interface JournalExportWriter {
  readonly mimeType: string
  head(): string
  rows(entries: readonly JournalEntry[]): string
  tail(): string
}

/**
 * - `csv`: a header row, then one row per entry (RFC 4180, CRLF, formula-safe cells).
 * - `json`: `{ ...about, "total": N, "entries": [ one entry per line ] }` — `about` says what was
 *   exported (`runId`, or the history's `subject`), `total` how many entries matched.
 */
export function journalExportWriter(format: JournalExportFormat, about: Readonly<Record<string, unknown>>, total: number): JournalExportWriter {
  if (format === 'csv') {
    return {
      mimeType: 'text/csv',
      head: () => csvRows([[...JOURNAL_CSV_HEADER]]),
      rows: (entries) => (entries.length === 0 ? '' : csvRows(entries.map(csvCells))),
      tail: () => '',
    }
  }
  let written = 0
  return {
    mimeType: 'application/json',
    head: () => `{\n${Object.entries(about).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`).join('')}  "total": ${total},\n  "entries": [`,
    rows: (entries) => entries.map((entry) => `${written++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(entry)}`).join(''),
    tail: () => `${written > 0 ? '\n  ' : ''}]\n}\n`,
  }
}

/** Exactly these entries as one document (small exports and tests). */
export function journalDocument(format: JournalExportFormat, about: Readonly<Record<string, unknown>>, entries: readonly JournalEntry[], total = entries.length): string {
  const writer = journalExportWriter(format, about, total)
  return writer.head() + writer.rows(entries) + writer.tail()
}
