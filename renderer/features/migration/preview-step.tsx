import type { MigrationView } from '../../../shared/domain/migration.ts'
import type { DeletePreview } from '../../../shared/domain/sync-views.ts'
import { formatCount, plural } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'

/** Items listed per consequence before "and N more": a screenful that still reads at a glance. */
const LISTED = 500

/** Step 4: exactly what deleting the old integration will do at the next sync, once the new one is live. */
export function PreviewStep({ migration }: { readonly migration: MigrationView }) {
  const computePreview = useAppStore((state) => state.computeCutoverPreview)
  const openCutover = useAppStore((state) => state.openCutover)
  const work = useAppStore((state) => state.migrationWork)
  const old = useAppStore((state) => state.integrations.find((integration) => integration.id === migration.oldIntegrationId) ?? null)
  const preview = migration.preview

  if (!preview) {
    return (
      <button type="button" className="primary" disabled={work !== null} onClick={() => void computePreview()}>
        {work === 'preview' ? 'Working out the cut-over…' : 'Preview the cut-over'}
      </button>
    )
  }

  return (
    <div className="preview-step">
      <p>
        At the cut-over, <strong>{migration.newIntegrationName}</strong> is synced, <strong>{migration.oldIntegrationName}</strong> is deleted, and a sync
        runs. Everyone the new directory covers keeps their account and addresses; only what follows changes.
      </p>
      <PreviewFacts
        preview={preview}
        maxUnlinks={old?.policy.maxUnlinks ?? null}
        oldName={migration.oldIntegrationName}
        covered={migration.coverage ? migration.coverage.counts.matched + migration.coverage.counts.matchedByAlias : null}
      />
      {migration.step === 'cutover' ? (
        <div className="form-actions wizard-next">
          <button type="button" disabled={work !== null} onClick={() => void computePreview()}>
            {work === 'preview' ? 'Working it out again…' : 'Work the preview out again'}
          </button>
          <button type="button" className="primary" disabled={work !== null} onClick={() => openCutover(true)}>
            Next: cut over
          </button>
        </div>
      ) : null}
    </div>
  )
}

/** The preview's consequences; the cut-over step shows them again next to the result. */
interface PreviewFactsProps {
  readonly preview: DeletePreview
  readonly maxUnlinks: number | 'unlimited' | null
  readonly oldName: string
  /** Old users the new directory covers (from the coverage report), or null when unknown. */
  readonly covered: number | null
}

export function PreviewFacts({ preview, maxUnlinks, oldName, covered }: PreviewFactsProps) {
  const destructive = preview.usersDemoted.length + preview.usersDeleted.length + preview.membershipsRemoved.length + preview.groupsDeleted.length
  const overLimit = typeof maxUnlinks === 'number' && destructive > maxUnlinks
  return (
    <div className="preview-facts" aria-label="Cut-over preview">
      <PreviewList
        testId="preview-demoted"
        title="Users demoted to “Created by Message in Transit” — not covered by the new directory"
        items={preview.usersDemoted}
        empty="Nobody: the new directory covers every user of the old one."
      />
      {preview.usersDeleted.length > 0 ? <PreviewList testId="preview-deleted" title="Users deleted (the old integration deletes users)" items={preview.usersDeleted} empty="" /> : null}
      <PreviewList testId="preview-memberships" title="Group memberships removed" items={preview.membershipsRemoved.map((item) => `${item.member} from ${item.group}`)} empty="None." />
      {preview.groupsDeleted.length > 0 ? <PreviewList testId="preview-groups" title="Groups deleted" items={preview.groupsDeleted} empty="" /> : null}
      {covered !== null ? (
        <p>
          <strong>{plural(covered, 'user')}</strong> of {oldName} stay as they are: the new directory covers them (by address or alias), so they keep
          their account, addresses and memberships.
        </p>
      ) : null}
      {preview.usersStillBacked.length > 0 ? (
        <details className="preview-kept">
          <summary>{plural(preview.usersStillBacked.length, 'user')} already backed by another integration</summary>
          <ul className="preview-items" tabIndex={0} aria-label="Users already backed by another integration">
            {preview.usersStillBacked.slice(0, LISTED).map((item) => (
              <li key={item.user}>
                {item.user} <span className="muted">(by {item.by.join(', ')})</span>
              </li>
            ))}
            {preview.usersStillBacked.length > LISTED ? <li className="muted">and {formatCount(preview.usersStillBacked.length - LISTED)} more</li> : null}
          </ul>
        </details>
      ) : null}
      <h3>Thresholds and pauses</h3>
      <ul className="preview-notes">
        <li>
          {formatCount(destructive)} destructive {destructive === 1 ? 'action' : 'actions'} against {oldName}'s maximum of{' '}
          {maxUnlinks === null ? 'unknown' : maxUnlinks === 'unlimited' ? 'unlimited' : formatCount(maxUnlinks)} unlinks per sync:{' '}
          {overLimit ? <strong className="text-warn">over the threshold — they will be held for your approval</strong> : 'within the threshold.'}
        </li>
        {preview.liftsBlock ? <li>Deleting {oldName} ends the pause on destructive actions for all integrations.</li> : null}
        {preview.remainingBlockers.length > 0 ? (
          <li className="text-warn">Destructive actions stay paused: {preview.remainingBlockers.join(', ')} still block them.</li>
        ) : null}
        <li data-testid="preview-hold-note">{preview.holdNote ? <strong className="text-warn">{preview.holdNote}</strong> : 'Nothing will be held: every action above applies at the cut-over run.'}</li>
      </ul>
    </div>
  )
}

function PreviewList({ title, items, empty, testId }: { readonly title: string; readonly items: readonly string[]; readonly empty: string; readonly testId: string }) {
  return (
    <section className="consequence" aria-label={title}>
      <h3>
        {title}: <span className="count" data-testid={`${testId}-count`}>{formatCount(items.length)}</span>
      </h3>
      {items.length === 0 ? <p className="muted">{empty}</p> : null}
      {items.length > 0 ? (
        // Focusable: the list scrolls past a few hundred items (axe: scrollable-region-focusable).
        <ul className="preview-items" data-testid={testId} tabIndex={0} aria-label={title}>
          {items.slice(0, LISTED).map((item) => (
            <li key={item}>{item}</li>
          ))}
          {items.length > LISTED ? <li className="muted">and {formatCount(items.length - LISTED)} more</li> : null}
        </ul>
      ) : null}
    </section>
  )
}
