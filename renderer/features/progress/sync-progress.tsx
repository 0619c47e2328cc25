import { ACCOUNT_PHASE_KEY } from '../../store/slices/progress-slice.ts'
import { formatCount } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'

const PHASE_LABELS = {
  queued: 'Queued',
  reading: 'Reading',
  validating: 'Validating',
  planning: 'Planning',
  applying: 'Applying',
  done: 'Done',
  failed: 'Failed',
} as const

/** Live progress of the running sync: per integration, phase and objects read (from `sync:progress`). */
export function SyncProgress() {
  const progress = useAppStore((state) => state.progress)
  const requested = useAppStore((state) => state.syncRequested)
  const integrations = useAppStore((state) => state.integrations)
  if (!progress && !requested) return null

  const entries = progress ? Object.entries(progress.byIntegration) : []
  const nameOf = (id: string) => (id === ACCOUNT_PHASE_KEY ? 'Account directory' : (integrations.find((integration) => integration.id === id)?.name ?? id))

  return (
    <section className="sync-progress" aria-label="Sync progress" aria-live="polite" aria-busy="true">
      <h2>
        <span className="spinner" aria-hidden="true" /> Synchronizing…
      </h2>
      {entries.length === 0 ? <p className="muted">Starting the run…</p> : null}
      {entries.length > 0 ? (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Integration</th>
              <th scope="col">Phase</th>
              <th scope="col" className="num">
                Objects read
              </th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([id, item]) => (
              <tr key={id}>
                <td>{nameOf(id)}</td>
                <td>
                  <span className={`phase phase-${item.phase}`}>{PHASE_LABELS[item.phase]}</span>
                </td>
                <td className="num">{formatCount(item.objectsRead)}</td>
                <td>{item.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
