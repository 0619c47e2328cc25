import type { RunSummary } from '../../../shared/domain/run.ts'
import { csvRows } from '../../../shared/export/csv.ts'

const CSV_HEADER = ['section', 'key', 'applied', 'held', 'detail'] as const

/** One CSV a spreadsheet opens: run facts, counts per kind, reads per integration, errors. */
export function runToCsv(run: RunSummary): string {
  const rows: (string | number)[][] = [[...CSV_HEADER]]
  rows.push(['run', 'id', '', '', run.id], ['run', 'started', '', '', run.startedAt], ['run', 'finished', '', '', run.finishedAt ?? ''], ['run', 'outcome', '', '', run.outcome ?? ''])
  rows.push(['run', 'trigger', '', '', run.trigger], ['run', 'scope', '', '', run.scope])
  for (const kind of new Set([...Object.keys(run.applied), ...Object.keys(run.held)]).values()) {
    rows.push(['count', kind, run.applied[kind] ?? 0, run.held[kind] ?? 0, ''])
  }
  for (const read of run.reads) {
    rows.push(['read', read.integrationName, read.users, '', `${read.outcome}; ${read.groups} groups; ${read.memberships} memberships; ${read.mode ?? ''}; ${read.message ?? ''}`])
  }
  for (const error of run.errors) rows.push(['error', '', '', '', error])
  for (const warning of run.warnings) rows.push(['warning', '', '', '', warning])
  return csvRows(rows)
}

export function runToJson(run: RunSummary): string {
  return JSON.stringify(run, null, 2)
}

/**
 * Save through a download link (works in Electron and in the browser host; no Node needed). A long
 * export comes as parts (Blobs per page), which the browser may keep on disk rather than in memory.
 */
export function download(filename: string, content: string | readonly BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(typeof content === 'string' ? [content] : [...content], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
