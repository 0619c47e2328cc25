import { csvRows } from '../export/csv.ts'
import type { JournalEntry, JournalState } from './journal.ts'

export const JOURNAL_CSV_HEADER = ['seq', 'at', 'run', 'event', 'kind', 'target', 'member', 'detail', 'integrations', 'integration ids', 'before', 'after', 'reason', 'held since', 'approved by', 'action id'] as const

function state(value: JournalState | null): string {
  return value === null ? '' : JSON.stringify(value)
}

/** Exactly these journal entries, one row each (the CLI's `--csv` and the console's export). */
export function journalToCsv(entries: readonly JournalEntry[]): string {
  return csvRows([
    [...JOURNAL_CSV_HEADER],
    ...entries.map((e) => [
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
    ]),
  ])
}
