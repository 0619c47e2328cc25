import { isDestructiveKind, type ActionKind } from '../../../shared/domain/sync-action.ts'
import { plural } from '../../components/format.ts'
import { LocalTime } from '../../components/local-time.tsx'
import { useAppStore } from '../../store/app-store.ts'

function split(counts: Readonly<Record<string, number>>): { readonly changes: number; readonly removals: number } {
  let changes = 0
  let removals = 0
  for (const [kind, n] of Object.entries(counts)) {
    if (isDestructiveKind(kind as ActionKind)) removals += n
    else changes += n
  }
  return { changes, removals }
}

/**
 * "At the next sync": after an enable, a delete or an approval, what the next run will apply,
 * remove or delete and still hold (a dry run from the stored snapshots), when that run is
 * scheduled, and Sync now.
 */
export function NextSyncStrip() {
  const next = useAppStore((state) => state.nextSync)
  const scheduled = useAppStore((state) => state.status?.nextScheduledRun ?? null)
  const busy = useAppStore((state) => state.syncRequested || state.progress !== null)
  const runSync = useAppStore((state) => state.runSync)
  const dismiss = useAppStore((state) => state.dismissNextSync)
  if (!next) return null

  const preview = next.preview
  const apply = preview ? split(preview.toApply) : null
  return (
    <section className="next-sync" role="region" aria-label="At the next sync">
      <p>
        <strong>{next.because}.</strong> At the next sync{' '}
        {scheduled ? (
          <>
            (scheduled <LocalTime iso={scheduled} />)
          </>
        ) : (
          '(no schedule: when you sync)'
        )}
        :{' '}
        {next.error ? (
          <span className="text-error">{next.error}</span>
        ) : !preview || !apply ? (
          <span className="muted">working it out…</span>
        ) : (
          <span data-testid="next-sync-counts">
            {plural(apply.changes, 'change')} will apply, {plural(apply.removals, 'removal or deletion', 'removals or deletions')} will apply,{' '}
            {plural(preview.totalHeld, 'action')} will stay held.
          </span>
        )}
      </p>
      <div className="next-sync-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void runSync('all')}>
          Sync now
        </button>
        <button type="button" className="link-button" aria-label="Close the next-sync forecast" onClick={dismiss}>
          Close
        </button>
      </div>
    </section>
  )
}
