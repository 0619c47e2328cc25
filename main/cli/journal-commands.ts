import { parseArgs } from 'node:util'
import { journalToCsv } from '../../shared/domain/journal-csv.ts'
import { JOURNAL_EVENTS, type JournalEntry, type JournalEvent, type JournalQuery } from '../../shared/domain/journal.ts'
import type { Core } from '../core/dirsync-core.ts'
import { CliError } from './cli-error.ts'
import { table, type Output } from './cli-output.ts'
import { kindOption } from './parse-values.ts'

/** Entries fetched per page (the IPC channel's own maximum). */
const PAGE = 1000

function eventOption(value: string | undefined): JournalEvent | undefined {
  if (value === undefined) return undefined
  if ((JOURNAL_EVENTS as readonly string[]).includes(value)) return value as JournalEvent
  throw new CliError(`--event is one of ${JOURNAL_EVENTS.join(', ')} (got "${value}").`, 2)
}

/** Every entry matching `query`, page by page along the seq cursor (no OFFSET scans on a big run). */
function allEntries(core: Core, query: Omit<JournalQuery, 'offset' | 'limit' | 'afterSeq' | 'newestFirst'>): { entries: JournalEntry[]; total: number } {
  const entries: JournalEntry[] = []
  let total = 0
  let afterSeq: number | undefined
  for (;;) {
    const page = core.journal({ ...query, newestFirst: false, offset: 0, limit: PAGE, ...(afterSeq === undefined ? {} : { afterSeq }) })
    if (afterSeq === undefined) total = page.total
    entries.push(...page.entries)
    if (page.entries.length < PAGE) return { entries, total }
    afterSeq = page.entries[page.entries.length - 1]?.seq
  }
}

function who(entry: JournalEntry): string {
  return entry.integrations.map((i) => i.name).join(', ')
}

function why(entry: JournalEntry): string {
  return entry.reason?.text ?? ''
}

function humanTable(entries: readonly JournalEntry[]): string {
  return table(
    ['WHEN', 'EVENT', 'KIND', 'OBJECT', 'CHANGE', 'INTEGRATION', 'RUN', 'WHY'],
    entries.map((e) => [e.at, e.event, e.kind, e.member ? `${e.target} / ${e.member}` : e.target, e.detail, who(e), e.runId?.slice(0, 8) ?? '(approval)', why(e)]),
  )
}

/**
 * `dirsync run <id> --changes [--kind k] [--integration i] [--event e] [--json|--csv]`: every
 * journal entry of one run, in time order (the console's run details read the same records).
 */
export function runChangesCommand(core: Core, out: Output, argv: readonly string[]): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { changes: { type: 'boolean' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, kind: { type: 'string' }, integration: { type: 'string' }, event: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  const runId = positionals[0]
  if (!runId) throw new CliError('Usage: dirsync run <run-id> --changes [--kind k] [--integration i] [--event e] [--json | --csv]', 2)
  if (values.json && values.csv) throw new CliError('Choose --json or --csv, not both.', 2)
  const run = core.run(runId)
  const { entries, total } = allEntries(core, { runId: run.id, kind: kindOption(values.kind), integrationId: values.integration, event: eventOption(values.event) })
  if (values.csv) {
    out.raw(journalToCsv(entries))
    return
  }
  out.print({ runId: run.id, entries, total }, () => (total === 0 ? `Run ${run.id} changed nothing (and held nothing new).` : `Run ${run.id}: ${total} journal entr${total === 1 ? 'y' : 'ies'}\n${humanTable(entries)}`))
}

/**
 * `dirsync history <address|group> [--kind k] [--limit N | --all] [--json|--csv]`: what happened to
 * one user (any of its addresses) or one group (name, address or key), oldest first.
 */
export function historyCommand(core: Core, out: Output, argv: readonly string[]): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean' }, csv: { type: 'boolean' }, kind: { type: 'string' }, limit: { type: 'string', default: '200' }, all: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  })
  const subject = positionals.join(' ').trim()
  if (!subject) throw new CliError('Usage: dirsync history <user address | group name, address or key> [--kind k] [--limit N | --all] [--json | --csv]', 2)
  const limit = Number(values.limit)
  if (!values.all && (!Number.isInteger(limit) || limit < 1)) throw new CliError(`--limit must be a whole number from 1 (got "${values.limit}").`, 2)
  const found = core.history(subject, { offset: 0, limit: 1, newestFirst: false }).subject
  const filter = { ...(found.type === 'user' ? { user: found.key } : { group: found.key }), kind: kindOption(values.kind) }
  const every = allEntries(core, filter)
  const total = every.total
  // The newest `limit` entries, still oldest first: recent history is what an admin asks about.
  const entries = !values.all && every.entries.length > limit ? every.entries.slice(every.entries.length - limit) : every.entries
  if (values.csv) {
    out.raw(journalToCsv(entries))
    return
  }
  out.print({ subject: found, entries, total }, () =>
    total === 0 ? `Nothing is journalled for the ${found.type} ${found.key}.` : `History of the ${found.type} ${found.key}: ${total} entr${total === 1 ? 'y' : 'ies'}${entries.length < total ? ` (newest ${entries.length}; --all for every one)` : ''}\n${humanTable(entries)}`,
  )
}
