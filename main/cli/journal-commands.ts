import { parseArgs } from 'node:util'
import { journalDocument, journalExportWriter, type JournalExportFormat, type JournalExportWriter } from '../../shared/domain/journal-export.ts'
import { JOURNAL_EVENTS, type JournalEntry, type JournalEvent, type JournalPage, type JournalQuery } from '../../shared/domain/journal.ts'
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

type JournalFilter = Omit<JournalQuery, 'offset' | 'limit' | 'afterSeq' | 'newestFirst'>

/** Every entry matching `query`, page by page along the seq cursor (no OFFSET scans on a big run); each page carries the total. */
function* pages(core: Core, query: JournalFilter): Generator<JournalPage> {
  let afterSeq: number | undefined
  for (;;) {
    const page = core.journal({ ...query, newestFirst: false, offset: 0, limit: PAGE, ...(afterSeq === undefined ? {} : { afterSeq }) })
    yield page
    if (page.entries.length < PAGE) return
    afterSeq = page.entries[page.entries.length - 1]?.seq
  }
}

function allEntries(core: Core, query: JournalFilter): { entries: JournalEntry[]; total: number } {
  const entries: JournalEntry[] = []
  let total: number | null = null
  for (const page of pages(core, query)) {
    total ??= page.total
    entries.push(...page.entries)
  }
  return { entries, total: total ?? 0 }
}

/** Writes the export page by page as it is read (a first sync's run has over a million entries). */
function streamExport(core: Core, out: Output, format: JournalExportFormat, about: Record<string, unknown>, query: JournalFilter): void {
  let writer: JournalExportWriter | null = null
  for (const page of pages(core, query)) {
    if (!writer) {
      writer = journalExportWriter(format, about, page.total)
      out.raw(writer.head())
    }
    out.raw(writer.rows(page.entries))
  }
  if (writer) out.raw(writer.tail())
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
  const query = { runId: run.id, kind: kindOption(values.kind), integrationId: values.integration, event: eventOption(values.event) }
  if (values.csv || values.json) {
    streamExport(core, out, values.csv ? 'csv' : 'json', { runId: run.id }, query)
    return
  }
  const { entries, total } = allEntries(core, query)
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
  if (values.csv || values.json) {
    out.raw(journalDocument(values.csv ? 'csv' : 'json', { subject: found }, entries, total))
    return
  }
  out.print({ subject: found, entries, total }, () =>
    total === 0 ? `Nothing is journalled for the ${found.type} ${found.key}.` : `History of the ${found.type} ${found.key}: ${total} entr${total === 1 ? 'y' : 'ies'}${entries.length < total ? ` (newest ${entries.length}; --all for every one)` : ''}\n${humanTable(entries)}`,
  )
}
