import { useEffect } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatCount, formatDateTime, formatDuration } from '../../components/format.ts'
import { OutcomeBadge } from '../../components/status-badge.tsx'
import { sum } from '../../store/slices/progress-slice.ts'
import { useAppStore } from '../../store/app-store.ts'

const READ_OUTCOMES = { read: 'Read', rejected: 'Rejected', failed: 'Failed', skipped: 'Skipped' } as const

/** Runs that read this integration, newest first. */
export function HistoryTab({ integration }: { readonly integration: IntegrationView }) {
  const runs = useAppStore((state) => state.runs)
  const runsState = useAppStore((state) => state.runsState)
  const loadRuns = useAppStore((state) => state.loadRuns)
  const navigate = useAppStore((state) => state.navigate)
  const openRun = useAppStore((state) => state.openRun)

  useEffect(() => {
    void loadRuns()
  }, [loadRuns])

  const mine = runs.flatMap((run) => {
    const read = run.reads.find((item) => item.integrationId === integration.id)
    return read ? [{ run, read }] : []
  })

  if (runsState.error) return <LoadError message={runsState.error} onRetry={() => void loadRuns()} />
  if (runsState.loaded && mine.length === 0) return <EmptyState title="No run yet">Sync this integration to see its history here.</EmptyState>

  return (
    <table className="data-table compact">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Read</th>
          <th scope="col" className="num">
            Users
          </th>
          <th scope="col">Run outcome</th>
          <th scope="col" className="num">
            Applied
          </th>
          <th scope="col" className="num">
            Held
          </th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {mine.map(({ run, read }) => (
          <tr key={run.id}>
            <td>
              <button
                type="button"
                className="row-link"
                onClick={() => {
                  openRun(run.id)
                  navigate({ page: 'runs' })
                }}
              >
                {formatDateTime(run.startedAt)}
              </button>
            </td>
            <td title={read.message ?? undefined}>
              {READ_OUTCOMES[read.outcome]}
              {read.mode ? <span className="muted small"> ({read.mode})</span> : null}
              {read.message && read.outcome !== 'read' ? <div className="small text-error">{read.message}</div> : null}
            </td>
            <td className="num">{formatCount(read.users)}</td>
            <td>
              <OutcomeBadge outcome={run.outcome} />
            </td>
            <td className="num">{formatCount(sum(run.applied))}</td>
            <td className="num">{formatCount(sum(run.held))}</td>
            <td>{formatDuration(run.startedAt, run.finishedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
