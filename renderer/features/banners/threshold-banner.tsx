import type { AccountStatus } from '../../../shared/domain/sync-views.ts'
import { useAppStore } from '../../store/app-store.ts'

// A stable empty list: a selector returning a fresh [] each time would re-render forever.
const NO_HOLDS: AccountStatus['thresholdHolds'] = []

/** A deletion threshold ("maximum unlinks") held one integration's destructive actions for approval. */
export function ThresholdBanner() {
  const holds = useAppStore((state) => state.status?.thresholdHolds ?? NO_HOLDS)
  const navigate = useAppStore((state) => state.navigate)
  const setHeldFilter = useAppStore((state) => state.setHeldFilter)
  const folded = useAppStore((state) => state.bannersFolded)
  const setFolded = useAppStore((state) => state.setBannersFolded)
  if (holds.length === 0) return null

  if (folded) {
    const total = holds.reduce((n, hold) => n + hold.count, 0)
    return (
      <section className="banner banner-threshold banner-folded" role="region" aria-label="Deletion threshold reached">
        <p>
          <strong>Threshold reached</strong> by {holds.map((hold) => hold.name).join(', ')} · {total.toLocaleString()} {total === 1 ? 'action waits' : 'actions wait'} for approval
        </p>
        <button type="button" className="link-button" aria-expanded="false" onClick={() => setFolded(false)}>
          Unfold the banner
        </button>
      </section>
    )
  }
  return (
    <section className="banner banner-threshold" role="region" aria-label="Deletion threshold reached">
      <div className="banner-head">
        <h2>Deletion threshold reached — actions wait for your approval</h2>
        <button type="button" className="link-button" aria-expanded="true" onClick={() => setFolded(true)}>
          Fold the banner
        </button>
      </div>
      <ul>
        {holds.map((hold) => (
          <li key={hold.integrationId}>
            <strong>{hold.name}</strong> planned {hold.count.toLocaleString()} destructive actions; its maximum is{' '}
            {hold.limit === 'unlimited' ? 'unlimited' : hold.limit.toLocaleString()}.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                navigate({ page: 'held' })
                void setHeldFilter({ integrationId: hold.integrationId, reason: 'threshold', kind: null })
              }}
            >
              Review and approve
            </button>{' '}
            {hold.deleted ? (
              <span className="muted">It was deleted: what it held can only be approved or left held.</span>
            ) : (
              <button type="button" className="link-button" onClick={() => navigate({ page: 'integrations', integrationId: hold.integrationId })}>
                Open integration to raise the limit
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
