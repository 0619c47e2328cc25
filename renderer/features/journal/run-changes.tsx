import { useEffect, useId, useRef, useState } from 'react'
import type { JournalExportFormat } from '../../../shared/domain/journal-export.ts'
import { JOURNAL_EVENTS, type JournalEvent } from '../../../shared/domain/journal.ts'
import type { RunSummary } from '../../../shared/domain/run.ts'
import { ACTION_KINDS, type ActionKind } from '../../../shared/domain/sync-action.ts'
import { LoadError } from '../../components/empty-state.tsx'
import { KindSelect } from '../../components/kind-select.tsx'
import { formatCount, plural } from '../../components/format.ts'
import { LocalTime } from '../../components/local-time.tsx'
import { VirtualRows } from '../../components/virtual-rows.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { exportJournal } from './journal-download.ts'
import { EVENT_WORDS, EventBadge, entryObject, integrationWords, kindWord, Why, whyText } from './journal-words.tsx'
import { useJournalRows, type JournalFilter } from './use-journal-rows.ts'

/** How long typing in the object filter waits before asking the core (ms). */
const OBJECT_DEBOUNCE_MS = 300

interface Filters {
  readonly kind: ActionKind | null
  readonly integrationId: string | null
  readonly event: JournalEvent | null
  readonly object: string
}

const NO_FILTERS: Filters = { kind: null, integrationId: null, event: null, object: '' }

/**
 * What a run did, object by object (the change journal): filtered by kind, integration, event and
 * object, virtualised and paged from the core (a first sync has over a million entries), and
 * exported — exactly the filtered entries, all of them — as the CLI's `run --changes` writes them.
 */
export function RunChanges({ run }: { readonly run: RunSummary }) {
  const id = useId()
  const queryJournal = useAppStore((state) => state.queryJournal)
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [objectText, setObjectText] = useState('')
  const [exporting, setExporting] = useState<{ readonly format: JournalExportFormat; readonly done: number; readonly total: number; readonly abort: AbortController } | null>(null)
  const [exportError, setExportError] = useState<string | null>(null)
  const exportingRef = useRef(exporting)
  exportingRef.current = exporting

  useEffect(() => {
    const timer = setTimeout(() => setFilters((state) => ({ ...state, object: objectText.trim() })), OBJECT_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [objectText])
  // Leaving the run (or the page) stops an export on its way.
  useEffect(() => () => exportingRef.current?.abort.abort(), [run.id])

  const filter: JournalFilter = {
    runId: run.id,
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.integrationId ? { integrationId: filters.integrationId } : {}),
    ...(filters.event ? { event: filters.event } : {}),
    ...(filters.object ? { object: filters.object } : {}),
  }
  const rows = useJournalRows(filter)
  const filtered = Boolean(filters.kind || filters.integrationId || filters.event || filters.object)
  const stamp = run.startedAt.replace(/[:.]/g, '-')

  async function startExport(format: JournalExportFormat): Promise<void> {
    const abort = new AbortController()
    setExportError(null)
    setExporting({ format, done: 0, total: rows.total ?? 0, abort })
    const outcome = await exportJournal(queryJournal, {
      format,
      about: { runId: run.id },
      filter,
      fileName: `dirsync-run-${stamp}-changes.${format}`,
      signal: abort.signal,
      onProgress: (done, total) => setExporting((state) => (state && state.abort === abort ? { ...state, done, total } : state)),
    })
    setExporting((state) => (state?.abort === abort ? null : state))
    if ('error' in outcome && !abort.signal.aborted) setExportError(outcome.error)
  }

  return (
    <section className="run-changes" aria-labelledby={`${id}-title`}>
      <div className="toolbar">
        <h3 id={`${id}-title`}>Changes, object by object</h3>
        <div className="toolbar-actions">
          {exporting ? (
            <>
              <span className="small muted" role="status">
                Exporting {formatCount(exporting.done)} of {formatCount(exporting.total)}…
              </span>
              <button type="button" onClick={() => exporting.abort.abort()}>
                Cancel export
              </button>
            </>
          ) : (
            <>
              <button type="button" disabled={!rows.total} onClick={() => void startExport('csv')}>
                Export changes CSV
              </button>
              <button type="button" disabled={!rows.total} onClick={() => void startExport('json')}>
                Export changes JSON
              </button>
            </>
          )}
        </div>
      </div>
      <form className="filters" aria-label="Filter the run's changes" onSubmit={(event) => event.preventDefault()}>
        <KindSelect id={`${id}-kind`} kinds={ACTION_KINDS} value={filters.kind} onChange={(kind) => setFilters((state) => ({ ...state, kind }))} />
        <div className="field">
          <label htmlFor={`${id}-integration`}>Integration</label>
          <select id={`${id}-integration`} value={filters.integrationId ?? ''} onChange={(event) => setFilters((state) => ({ ...state, integrationId: event.target.value || null }))}>
            <option value="">All integrations</option>
            {run.reads.map((read) => (
              <option key={read.integrationId} value={read.integrationId}>
                {read.integrationName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-event`}>Outcome</label>
          <select id={`${id}-event`} value={filters.event ?? ''} onChange={(event) => setFilters((state) => ({ ...state, event: (event.target.value || null) as JournalEvent | null }))}>
            <option value="">Any outcome</option>
            {JOURNAL_EVENTS.map((event) => (
              <option key={event} value={event}>
                {EVENT_WORDS[event].label}
              </option>
            ))}
          </select>
        </div>
        <div className="field search-field">
          <label htmlFor={`${id}-object`}>Object</label>
          <input id={`${id}-object`} type="search" value={objectText} placeholder="User address, group name or address" onChange={(event) => setObjectText(event.target.value)} />
        </div>
      </form>
      {exportError ? <LoadError message={exportError} /> : null}
      {rows.error ? <LoadError message={rows.error} onRetry={rows.retry} /> : null}
      <p className="muted small" role="status" data-testid="run-changes-total">
        {rows.total === null ? 'Loading changes…' : rows.total === 0 ? (filtered ? 'No change of this run matches the filters.' : 'This run changed nothing and held nothing new.') : `${plural(rows.total, 'change')}${filtered ? ' match the filters' : ''}, in the order they were made.`}
      </p>
      {rows.total ? (
        <VirtualRows
          key={JSON.stringify(filter)}
          count={rows.total}
          label="Changes of this run"
          scrollerClassName="virtual-scroller-short"
          onRange={rows.ensure}
          header={
            <div role="row" className="grid-row grid-journal grid-head">
              <span role="columnheader">When</span>
              <span role="columnheader">Outcome</span>
              <span role="columnheader">Kind</span>
              <span role="columnheader">Object</span>
              <span role="columnheader">Change</span>
              <span role="columnheader">Integration</span>
              <span role="columnheader">Why</span>
            </div>
          }
          renderRow={(index) => {
            const entry = rows.rowAt(index)
            if (!entry) {
              return (
                <div className="grid-row placeholder">
                  <span role="cell">Loading…</span>
                </div>
              )
            }
            return (
              <div className="grid-row grid-journal">
                <span role="cell">
                  <LocalTime iso={entry.at} />
                </span>
                <span role="cell">
                  <EventBadge event={entry.event} />
                </span>
                <span role="cell">{kindWord(entry)}</span>
                <span role="cell" title={entryObject(entry)}>
                  {entryObject(entry)}
                </span>
                <span role="cell" title={entry.detail}>
                  {entry.detail}
                </span>
                <span role="cell" title={integrationWords(entry)}>
                  {integrationWords(entry)}
                </span>
                <span role="cell" title={whyText(entry) ?? undefined}>
                  <Why entry={entry} />
                </span>
              </div>
            )
          }}
        />
      ) : null}
    </section>
  )
}
