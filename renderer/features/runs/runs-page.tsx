import { useEffect } from 'react'
import { ACTION_KIND_LABELS, ActionKindSchema } from '../../../shared/domain/sync-action.ts'
import type { RunSummary } from '../../../shared/domain/run.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatCount, formatDateTime } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { RunChanges } from '../journal/run-changes.tsx'
import { SyncProgress } from '../progress/sync-progress.tsx'
import { RunTable } from './run-table.tsx'
import { download, runToCsv, runToJson } from './run-export.ts'


export function kindLabel(kind: string): string {
  const parsed = ActionKindSchema.safeParse(kind)
  return parsed.success ? ACTION_KIND_LABELS[parsed.data] : kind
}

export function RunsPage() {
  const runs = useAppStore((state) => state.runs)
  const runsState = useAppStore((state) => state.runsState)
  const loadRuns = useAppStore((state) => state.loadRuns)
  const openRunId = useAppStore((state) => state.openRunId)
  const openRun = useAppStore((state) => state.openRun)
  const compare = useAppStore((state) => state.runCompare)
  const toggleCompare = useAppStore((state) => state.toggleRunCompare)

  useEffect(() => {
    void loadRuns()
  }, [loadRuns])

  const open = runs.find((run) => run.id === openRunId) ?? null
  const [first, second] = compare.map((id) => runs.find((run) => run.id === id)).filter((run): run is RunSummary => run !== undefined)
  // Compare older → newer, whatever the order of picking.
  const pair = first && second ? ([first, second].sort((a, b) => a.startedAt.localeCompare(b.startedAt)) as [RunSummary, RunSummary]) : null

  return (
    <div className="runs-page">
      <SyncProgress />
      {runsState.error ? <LoadError message={runsState.error} onRetry={() => void loadRuns()} /> : null}
      {runsState.loaded && runs.length === 0 ? <EmptyState title="No run yet">Choose Sync All on the Integrations page; each run is recorded here.</EmptyState> : null}
      {runs.length > 0 ? (
        <RunTable
          runs={runs}
          caption="Runs, newest first. Tick two to compare them."
          openId={openRunId}
          onOpen={(run) => openRun(run.id === openRunId ? null : run.id)}
          compare={{ ids: compare, toggle: toggleCompare }}
        />
      ) : null}
      {pair ? <RunCompare older={pair[0]} newer={pair[1]} /> : compare.length === 1 ? <p className="muted">Tick a second run to compare.</p> : null}
      {open ? <RunDetail run={open} /> : null}
    </div>
  )
}

function CountsTable({ run }: { readonly run: RunSummary }) {
  const kinds = [...new Set([...Object.keys(run.applied), ...Object.keys(run.held)])]
  if (kinds.length === 0) return <p className="muted">No change was needed.</p>
  return (
    <table className="data-table compact">
      <caption>Changes by kind</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col" className="num">
            Applied
          </th>
          <th scope="col" className="num">
            Held
          </th>
        </tr>
      </thead>
      <tbody>
        {kinds.map((kind) => (
          <tr key={kind}>
            <td>{kindLabel(kind)}</td>
            <td className="num">{formatCount(run.applied[kind] ?? 0)}</td>
            <td className="num">{formatCount(run.held[kind] ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function RunDetail({ run }: { readonly run: RunSummary }) {
  const stamp = run.startedAt.replace(/[:.]/g, '-')
  return (
    <section className="run-detail" aria-labelledby="run-detail-title">
      <div className="toolbar">
        <h2 id="run-detail-title">Run of {formatDateTime(run.startedAt)}</h2>
        <div className="toolbar-actions">
          <button type="button" onClick={() => download(`dirsync-run-${stamp}.csv`, runToCsv(run), 'text/csv')}>
            Export summary CSV
          </button>
          <button type="button" onClick={() => download(`dirsync-run-${stamp}.json`, runToJson(run), 'application/json')}>
            Export summary JSON
          </button>
        </div>
      </div>
      <CountsTable run={run} />
      <table className="data-table compact">
        <caption>Reads</caption>
        <thead>
          <tr>
            <th scope="col">Integration</th>
            <th scope="col">Read</th>
            <th scope="col" className="num">
              Users
            </th>
            <th scope="col" className="num">
              Groups
            </th>
            <th scope="col" className="num">
              Memberships
            </th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {run.reads.map((read) => (
            <tr key={read.integrationId}>
              <td>{read.integrationName}</td>
              <td>{read.outcome}</td>
              <td className="num">{formatCount(read.users)}</td>
              <td className="num">{formatCount(read.groups)}</td>
              <td className="num">{formatCount(read.memberships)}</td>
              <td>{[read.mode, read.message].filter(Boolean).join(' — ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Messages title="Errors" className="run-errors" messages={run.errors} />
      <Messages title="Warnings" className="run-warnings" messages={run.warnings} />
      {run.ignoredAddresses > 0 ? <p className="muted">{formatCount(run.ignoredAddresses)} addresses outside the internal domains were ignored.</p> : null}
      <RunChanges key={run.id} run={run} />
    </section>
  )
}

/** A run's errors or warnings, as a titled list (nothing when there are none). */
function Messages({ title, className, messages }: { readonly title: string; readonly className: string; readonly messages: readonly string[] }) {
  if (messages.length === 0) return null
  return (
    <div className={className}>
      <h3>{title}</h3>
      <ul>
        {messages.map((message, index) => (
          <li key={index}>{message}</li>
        ))}
      </ul>
    </div>
  )
}

function delta(a: number, b: number): string {
  const d = b - a
  return d === 0 ? '—' : d > 0 ? `+${formatCount(d)}` : `−${formatCount(-d)}`
}

/** What changed between two runs: counts per kind, what each integration read, and which snapshots changed. */
function RunCompare({ older, newer }: { readonly older: RunSummary; readonly newer: RunSummary }) {
  const kinds = [...new Set([older, newer].flatMap((run) => [...Object.keys(run.applied), ...Object.keys(run.held)]))]
  const integrationIds = [...new Set([older, newer].flatMap((run) => run.reads.map((read) => read.integrationId)))]
  return (
    <section className="run-compare" aria-labelledby="run-compare-title">
      <h2 id="run-compare-title">
        Compare {formatDateTime(older.startedAt)} → {formatDateTime(newer.startedAt)}
      </h2>
      <table className="data-table compact">
        <caption>Directory read per integration</caption>
        <thead>
          <tr>
            <th scope="col">Integration</th>
            <th scope="col" className="num">
              Users
            </th>
            <th scope="col" className="num">
              Groups
            </th>
            <th scope="col" className="num">
              Memberships
            </th>
            <th scope="col">Snapshot</th>
          </tr>
        </thead>
        <tbody>
          {integrationIds.map((integrationId) => {
            const a = older.reads.find((read) => read.integrationId === integrationId)
            const b = newer.reads.find((read) => read.integrationId === integrationId)
            const name = b?.integrationName ?? a?.integrationName ?? integrationId
            const changed = older.snapshots[integrationId] !== newer.snapshots[integrationId]
            return (
              <tr key={integrationId}>
                <td>{name}</td>
                <td className="num">
                  {formatCount(a?.users ?? 0)} → {formatCount(b?.users ?? 0)} ({delta(a?.users ?? 0, b?.users ?? 0)})
                </td>
                <td className="num">
                  {formatCount(a?.groups ?? 0)} → {formatCount(b?.groups ?? 0)} ({delta(a?.groups ?? 0, b?.groups ?? 0)})
                </td>
                <td className="num">
                  {formatCount(a?.memberships ?? 0)} → {formatCount(b?.memberships ?? 0)} ({delta(a?.memberships ?? 0, b?.memberships ?? 0)})
                </td>
                <td>{changed ? 'New snapshot' : 'Same snapshot'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <table className="data-table compact">
        <caption>Changes by kind (applied / held)</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Older
            </th>
            <th scope="col" className="num">
              Newer
            </th>
          </tr>
        </thead>
        <tbody>
          {kinds.map((kind) => (
            <tr key={kind}>
              <td>{kindLabel(kind)}</td>
              <td className="num">
                {formatCount(older.applied[kind] ?? 0)} / {formatCount(older.held[kind] ?? 0)}
              </td>
              <td className="num">
                {formatCount(newer.applied[kind] ?? 0)} / {formatCount(newer.held[kind] ?? 0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
