import { useEffect, useId, useState } from 'react'
import type { JournalEntry } from '../../../shared/domain/journal.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatCount } from '../../components/format.ts'
import { LocalTime } from '../../components/local-time.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { EventBadge, integrationWords, kindWord, Why, whyText } from './journal-words.tsx'

/** Entries per "Show older" step. */
const HISTORY_PAGE = 50

export interface HistorySubject {
  readonly type: 'user' | 'group'
  /** A user's primary address, or a group's key. */
  readonly key: string
}

interface ObjectHistoryProps {
  readonly subject: HistorySubject
  /** Only this planned action's entries (a held action's history), until the admin asks for all. */
  readonly actionId?: string | null
  /** Heading level of the section title (Default: 3, inside a page or pane that has an h2). */
  readonly headingLevel?: 2 | 3
  /** `wide`: one column each for run, why and integration; `narrow` (a side pane): under what happened (Default: wide). */
  readonly layout?: 'wide' | 'narrow'
  /** False inside a section that already has its "History" heading (the directory's user and group pages). Default: true. */
  readonly titled?: boolean
}

/**
 * What happened to one user or group, newest first, from the change journal: what, when, which
 * run (a link to its details), why (the blocker and since when, the threshold, the approver) and
 * which integration, by the name it had then. Reloads when the account's state changes.
 */
export function ObjectHistory({ subject, actionId = null, headingLevel = 3, layout = 'wide', titled = true }: ObjectHistoryProps) {
  const id = useId()
  const queryJournal = useAppStore((state) => state.queryJournal)
  // Any change pushed by the core reloads the status; the history may have grown with it.
  const status = useAppStore((state) => state.status)
  const openRun = useAppStore((state) => state.openRun)
  const navigate = useAppStore((state) => state.navigate)
  const [onlyAction, setOnlyAction] = useState(actionId)
  const [page, setPage] = useState<{ readonly entries: readonly JournalEntry[]; readonly total: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const filter = { [subject.type]: subject.key, ...(onlyAction ? { actionId: onlyAction } : {}), newestFirst: true }

  useEffect(() => setOnlyAction(actionId), [actionId])
  useEffect(() => {
    let current = true
    void queryJournal({ ...filter, offset: 0, limit: HISTORY_PAGE }).then((result) => {
      if (!current) return
      if (result.ok) {
        setPage(result.value)
        setError(null)
      } else setError(result.error.message)
    })
    return () => {
      current = false
    }
    // `filter` is made of subject and onlyAction; `status` and `attempt` reload it.
  }, [queryJournal, subject.type, subject.key, onlyAction, status, attempt])

  /** The next older entries, after the oldest shown (a cursor, so new entries do not shift it). */
  async function showOlder(): Promise<void> {
    const oldest = page?.entries[page.entries.length - 1]
    if (!oldest) return
    const result = await queryJournal({ ...filter, afterSeq: oldest.seq, offset: 0, limit: HISTORY_PAGE * 4 })
    if (!result.ok) setError(result.error.message)
    else setPage((state) => (state ? { entries: [...state.entries, ...result.value.entries], total: state.total } : state))
  }

  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const what = subject.type === 'user' ? 'user' : 'group'

  const body = (
    <>
      {titled || onlyAction ? (
        <div className="toolbar">
          {titled ? <Heading id={`${id}-title`}>{onlyAction ? 'History of this action' : 'History'}</Heading> : <span className="muted">This action only</span>}
          {onlyAction ? (
            <button type="button" className="link-button" onClick={() => setOnlyAction(null)}>
              Show the whole history of {subject.key}
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? <LoadError message={error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {page === null && !error ? <p className="muted">Loading history…</p> : null}
      {page !== null && page.total === 0 ? (
        <EmptyState title={onlyAction ? 'Nothing journalled for this action yet' : `Nothing journalled for this ${what} yet`}>
          <p>Every change a sync applies, holds or releases, and every approval, is recorded here.</p>
        </EmptyState>
      ) : null}
      {page !== null && page.total > 0 ? (
        <>
          <table className={`data-table compact history-table history-${layout}`}>
            <caption className="visually-hidden">
              History of the {what} {subject.key}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                {layout === 'wide' ? (
                  <>
                    <th scope="col">Run</th>
                    <th scope="col">Why</th>
                    <th scope="col">Integration</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => {
                const run = entry.runId ? (
                  <button
                    type="button"
                    className="row-link"
                    onClick={() => {
                      openRun(entry.runId)
                      navigate({ page: 'runs' })
                    }}
                  >
                    Open run
                  </button>
                ) : (
                  <span className="muted">Between runs</span>
                )
                const why = (
                  <div className="history-why" title={whyText(entry) ?? undefined}>
                    <Why entry={entry} />
                  </div>
                )
                return (
                  <tr key={entry.seq}>
                    <td>
                      <LocalTime iso={entry.at} />
                    </td>
                    <td>
                      <EventBadge event={entry.event} /> {kindWord(entry)}
                      <div className="small">{entry.detail}</div>
                      {layout === 'narrow' ? (
                        <>
                          {entry.reason ? why : null}
                          <div className="small muted">
                            {integrationWords(entry)} · {run}
                          </div>
                        </>
                      ) : null}
                    </td>
                    {layout === 'wide' ? (
                      <>
                        <td>{run}</td>
                        <td>{why}</td>
                        <td>{integrationWords(entry)}</td>
                      </>
                    ) : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p className="muted small">
            {page.entries.length < page.total ? `Newest ${formatCount(page.entries.length)} of ${formatCount(page.total)}. ` : `${formatCount(page.total)} ${page.total === 1 ? 'entry' : 'entries'}.`}
            {page.entries.length < page.total ? (
              <button type="button" className="link-button" onClick={() => void showOlder()}>
                Show older
              </button>
            ) : null}
          </p>
        </>
      ) : null}
    </>
  )
  return titled ? (
    <section className="object-history" aria-labelledby={`${id}-title`}>
      {body}
    </section>
  ) : (
    <div className="object-history">{body}</div>
  )
}
