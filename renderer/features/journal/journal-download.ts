import { journalExportWriter, type JournalExportFormat, type JournalExportWriter } from '../../../shared/domain/journal-export.ts'
import type { JournalPage } from '../../../shared/domain/journal.ts'
import type { IpcRequest } from '../../../shared/ipc/contract.ts'
import type { IpcResult } from '../../../shared/ipc/result.ts'
import { download } from '../runs/run-export.ts'
import type { JournalFilter } from './use-journal-rows.ts'

/** Entries per request while exporting (the contract's maximum). */
const EXPORT_PAGE = 1000

export interface ExportJob {
  readonly format: JournalExportFormat
  /** What the document says it holds (`{ runId }`, as the CLI's `run --changes --json` writes). */
  readonly about: Readonly<Record<string, unknown>>
  readonly filter: JournalFilter
  readonly fileName: string
  readonly onProgress: (done: number, total: number) => void
  readonly signal: AbortSignal
}

/**
 * Exports exactly the entries the filter matches — every one, not only those loaded — in time
 * order, fetched a page at a time along the seq cursor and written through the shared writer, so
 * the file is the one `dirsync run <id> --changes --csv|--json` writes. Each page becomes a Blob
 * part as it arrives. Resolves with the entries written, or an error message; nothing is saved when aborted.
 */
export async function exportJournal(queryJournal: (query: IpcRequest<'journal:query'>) => Promise<IpcResult<JournalPage>>, job: ExportJob): Promise<{ readonly written: number } | { readonly error: string }> {
  const parts: Blob[] = []
  let writer: JournalExportWriter | null = null
  let written = 0
  let afterSeq: number | undefined
  for (;;) {
    const result = await queryJournal({ ...job.filter, newestFirst: false, offset: 0, limit: EXPORT_PAGE, ...(afterSeq === undefined ? {} : { afterSeq }) })
    if (job.signal.aborted) return { error: 'Export cancelled.' }
    if (!result.ok) return { error: result.error.message }
    const { entries, total } = result.value
    if (!writer) {
      writer = journalExportWriter(job.format, job.about, total)
      parts.push(new Blob([writer.head()]))
    }
    parts.push(new Blob([writer.rows(entries)]))
    written += entries.length
    job.onProgress(written, total)
    if (entries.length < EXPORT_PAGE) break
    afterSeq = entries[entries.length - 1]?.seq
  }
  parts.push(new Blob([writer.tail()]))
  download(job.fileName, parts, writer.mimeType)
  return { written }
}
