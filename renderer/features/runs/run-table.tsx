import type { RunSummary, RunTrigger } from '../../../shared/domain/run.ts'
import { formatCount, formatDateTime, formatDuration, formatUtc } from '../../components/format.ts'
import { OutcomeBadge } from '../../components/status-badge.tsx'
import { sum } from '../../store/slices/progress-slice.ts'

const TRIGGERS = { manual: 'Manual', schedule: 'Scheduled', 'missed-schedule': 'Missed schedule', cli: 'Command line', approval: 'Approval', migration: 'Migration' } as const satisfies Record<RunTrigger, string>
const READ_OUTCOMES = { read: 'Read', rejected: 'Rejected', failed: 'Failed', skipped: 'Skipped' } as const

type Read = RunSummary['reads'][number]

interface RunTableProps {
  readonly runs: readonly RunSummary[]
  readonly caption: string
  readonly onOpen: (run: RunSummary) => void
  readonly openId?: string | null
  /** Run history: a "Compare" tick per row. */
  readonly compare?: { readonly ids: readonly string[]; readonly toggle: (id: string) => void }
  /** An integration's history: how that integration's read went in each run. */
  readonly readOf?: (run: RunSummary) => Read | undefined
}

/**
 * The one run table (Run history, an integration's History tab): one outcome word per run, its
 * errors and warnings counted apart, times local with UTC on hover.
 */
export function RunTable({ runs, caption, onOpen, openId = null, compare, readOf }: RunTableProps) {
  return (
    <table className="data-table compact">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {compare ? <th scope="col">Compare</th> : null}
          <th scope="col">Started</th>
          <th scope="col">Trigger</th>
          {readOf ? <th scope="col">Read</th> : <th scope="col">Scope</th>}
          {readOf ? (
            <th scope="col" className="num">
              Users
            </th>
          ) : null}
          <th scope="col">Outcome</th>
          <th scope="col" className="num">
            Applied
          </th>
          <th scope="col" className="num">
            Held
          </th>
          <th scope="col" className="num">
            Errors
          </th>
          <th scope="col" className="num">
            Warnings
          </th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const read = readOf?.(run)
          return (
            <tr key={run.id} className={run.id === openId ? 'selected' : undefined}>
              {compare ? (
                <td>
                  <input type="checkbox" aria-label={`Compare the run of ${formatDateTime(run.startedAt)}`} checked={compare.ids.includes(run.id)} onChange={() => compare.toggle(run.id)} />
                </td>
              ) : null}
              <td>
                <button type="button" className="row-link" title={formatUtc(run.startedAt)} onClick={() => onOpen(run)}>
                  {formatDateTime(run.startedAt)}
                </button>
              </td>
              <td>{TRIGGERS[run.trigger]}</td>
              {readOf ? (
                <td title={read?.message ?? undefined}>
                  {read ? READ_OUTCOMES[read.outcome] : '—'}
                  {read?.mode ? <span className="muted small"> ({read.mode})</span> : null}
                  {read?.message && read.outcome !== 'read' ? <div className="small text-error">{read.message}</div> : null}
                </td>
              ) : (
                <td>{run.scope === 'all' ? 'All integrations' : run.scope}</td>
              )}
              {readOf ? <td className="num">{read ? formatCount(read.users) : '—'}</td> : null}
              <td>
                <OutcomeBadge outcome={run.outcome} />
              </td>
              <td className="num">{formatCount(sum(run.applied))}</td>
              <td className="num">{formatCount(sum(run.held))}</td>
              <td className="num">{run.errors.length}</td>
              <td className="num">{run.warnings.length}</td>
              <td>{formatDuration(run.startedAt, run.finishedAt)}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
