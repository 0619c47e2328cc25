import { STATUS_LABELS } from '../../components/status-badge.tsx'
import { formatDateTime, formatRelative } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { HeldCounts } from './held-counts.tsx'

/**
 * Shown on every page while a disabled or errored integration pauses destructive actions for the
 * whole account — the cloud console does this silently; here it says who, since when, and what waits.
 */
export function BlockerBanner() {
  const status = useAppStore((state) => state.status)
  const navigate = useAppStore((state) => state.navigate)
  const setHeldFilter = useAppStore((state) => state.setHeldFilter)
  const folded = useAppStore((state) => state.bannersFolded)
  const setFolded = useAppStore((state) => state.setBannersFolded)
  if (!status || status.blockers.length === 0) return null

  const blockedHeld = status.heldByReason.blocked
  const reviewHeld = () => {
    navigate({ page: 'held' })
    void setHeldFilter({ reason: 'blocked', integrationId: null, kind: null })
  }
  if (folded) {
    return (
      <section className="banner banner-blocker banner-folded" role="region" aria-label="Destructive actions paused">
        <p>
          <strong>Paused</strong> by {status.blockers.map((blocker) => `${blocker.name} (${STATUS_LABELS[blocker.status].toLowerCase()})`).join(', ')} ·{' '}
          {blockedHeld.toLocaleString()} {blockedHeld === 1 ? 'action' : 'actions'} held
        </p>
        <button type="button" className="link-button" onClick={reviewHeld}>
          Review held actions
        </button>
        <button type="button" className="link-button" aria-expanded="false" onClick={() => setFolded(false)}>
          Unfold the banner
        </button>
      </section>
    )
  }
  return (
    <section className="banner banner-blocker" role="region" aria-label="Destructive actions paused">
      <div className="banner-head">
        <h2>Destructive actions are paused for all integrations</h2>
        <button type="button" className="link-button" aria-expanded="true" onClick={() => setFolded(true)}>
          Fold the banner
        </button>
      </div>
      <p>
        While an integration is disabled or in error, no user is removed from a group, no address type is downgraded, and no user or group is deleted —
        for every integration. Enable or fix the integration, or delete it, to end the pause.
      </p>
      <ul className="blockers">
        {status.blockers.map((blocker) => (
          <li key={blocker.integrationId}>
            <button type="button" className="link-button" onClick={() => navigate({ page: 'integrations', integrationId: blocker.integrationId })}>
              {blocker.name}
            </button>{' '}
            is <strong>{STATUS_LABELS[blocker.status].toLowerCase()}</strong> since <time dateTime={blocker.since}>{formatDateTime(blocker.since)}</time> (
            {formatRelative(blocker.since)}){blocker.reason ? `: ${blocker.reason}` : '.'}
          </li>
        ))}
      </ul>
      <div className="banner-held">
        <span>
          {blockedHeld.toLocaleString()} {blockedHeld === 1 ? 'action is' : 'actions are'} held:
        </span>
        <HeldCounts counts={status.heldByKind} />
        <button type="button" className="link-button" onClick={reviewHeld}>
          Review held actions
        </button>
      </div>
    </section>
  )
}
