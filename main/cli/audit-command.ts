import { parseArgs } from 'node:util'
import type { AuditEntry } from '../../shared/domain/audit.ts'
import type { Core } from '../core/dirsync-core.ts'
import { CliError } from './cli-error.ts'
import { table, type Output } from './cli-output.ts'

/** Rows fetched per page when exporting the whole log (the IPC channel's own maximum). */
const PAGE = 1000

function summary(detail: Readonly<Record<string, unknown>>): string {
  const parts: string[] = []
  if (typeof detail['why'] === 'string') parts.push(detail['why'])
  if (Array.isArray(detail['integrations'])) parts.push(`integrations ${detail['integrations'].join(', ')}`)
  if (typeof detail['approvedBy'] === 'string') parts.push(`approved by ${detail['approvedBy']}`)
  return parts.length > 0 ? parts.join('; ') : JSON.stringify(detail)
}

/**
 * `dirsync audit [--event E] [--subject S] [--limit N] [--all] [--json]`: the append-only audit
 * log, newest first. `--all --json` is the export: every row, one JSON document.
 */
export function auditCommand(core: Core, out: Output, argv: readonly string[]): void {
  const { values } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean' }, event: { type: 'string' }, subject: { type: 'string' }, limit: { type: 'string', default: '100' }, all: { type: 'boolean', default: false } },
    strict: true,
  })
  const limit = Number(values.limit)
  if (!values.all && (!Number.isInteger(limit) || limit < 1)) throw new CliError(`--limit must be a whole number from 1 (got "${values.limit}").`, 2)
  const filter = { event: values.event, subject: values.subject }
  let entries: AuditEntry[] = []
  let total = 0
  if (values.all) {
    for (let offset = 0; ; offset += PAGE) {
      const page = core.auditLog(filter, offset, PAGE)
      total = page.total
      entries = entries.concat(page.entries)
      if (page.entries.length < PAGE) break
    }
  } else ({ entries, total } = core.auditLog(filter, 0, limit))
  out.print({ entries, total }, () =>
    `${total} audit entr${total === 1 ? 'y' : 'ies'}${entries.length < total ? ` (newest ${entries.length}; --all for every one)` : ''}\n` +
    table(['#', 'WHEN', 'WHO', 'EVENT', 'WHAT', 'WHY / DETAIL'], entries.map((e) => [e.seq, e.at, e.actor, e.event, e.subject, summary(e.detail)])),
  )
}
