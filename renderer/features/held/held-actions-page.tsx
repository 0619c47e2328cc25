import { useEffect, useId, useState } from 'react'
import { ACTION_KIND_LABELS, DESTRUCTIVE_KINDS, type ActionKind, type HeldAction } from '../../../shared/domain/sync-action.ts'
import { Dialog } from '../../components/dialog.tsx'
import { KindSelect } from '../../components/kind-select.tsx'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatDateTime, formatRelative } from '../../components/format.ts'
import { IntegrationSelect } from '../../components/integration-select.tsx'
import { VirtualRows } from '../../components/virtual-rows.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { integrationLabelOf } from '../../store/slices/integrations-slice.ts'
import { HeldActionHistory } from '../journal/held-action-history.tsx'

type Pending =
  | { readonly what: 'selected'; readonly ids: readonly string[] }
  | { readonly what: 'matching'; readonly integrationId: string | null; readonly kind: ActionKind | null; readonly count: number }

/** Only threshold holds can be approved; a disabled/errored block is resolved, not overridden. */
function isApprovable(action: HeldAction): boolean {
  return action.reason === 'threshold' && !action.approved
}

export function HeldActionsPage() {
  const filter = useAppStore((state) => state.heldFilter)
  const held = useAppStore((state) => state.held)
  const total = useAppStore((state) => state.heldTotal)
  const heldState = useAppStore((state) => state.heldState)
  const selection = useAppStore((state) => state.heldSelection)
  const approvals = useAppStore((state) => state.approvals)
  const approvable = useAppStore((state) => state.heldApprovable)
  const integrationNames = useAppStore((state) => state.integrationNames)
  const loadMore = useAppStore((state) => state.loadMoreHeld)
  const setFilter = useAppStore((state) => state.setHeldFilter)
  const loadHeld = useAppStore((state) => state.loadHeld)
  const loadApprovals = useAppStore((state) => state.loadApprovals)
  const toggle = useAppStore((state) => state.toggleHeldSelection)
  const setSelection = useAppStore((state) => state.setHeldSelection)
  const approve = useAppStore((state) => state.approveHeld)
  const [pending, setPending] = useState<Pending | null>(null)
  const [historyOf, setHistoryOf] = useState<HeldAction | null>(null)
  const id = useId()

  useEffect(() => {
    void loadHeld()
    void loadApprovals()
  }, [loadHeld, loadApprovals])

  const nameOf = (integrationId: string) => integrationLabelOf(integrationNames, integrationId)
  const selectable = held.filter(isApprovable)
  const allSelected = selectable.length > 0 && selectable.every((action) => selection.has(action.id))
  // Live integrations first, then deleted ones (their held actions stay until approved or dropped).
  const filterChoices = [...integrationNames].sort((a, b) => Number(a.deleted) - Number(b.deleted) || a.name.localeCompare(b.name))
  const kindWord = (kind: ActionKind | null) => (kind ? `“${ACTION_KIND_LABELS[kind]}” ` : '')
  const ofWhom = (integrationId: string | null) => (integrationId ? `of ${nameOf(integrationId)}` : 'of every integration')

  return (
    <div className="held-page">
      <p className="page-intro">
        Destructive actions wait here. <strong>Threshold holds</strong> (more removals than an integration's maximum) can be approved; they apply at the
        next sync. <strong>Blocked</strong> actions wait because an integration is disabled or in error — enable or fix it, or delete it.
      </p>
      <form className="filters" aria-label="Filter held actions" onSubmit={(event) => event.preventDefault()}>
        <IntegrationSelect id={`${id}-integration`} label="Integration" entries={filterChoices} value={filter.integrationId} onChange={(integrationId) => void setFilter({ integrationId })} />
        <KindSelect id={`${id}-kind`} kinds={DESTRUCTIVE_KINDS} value={filter.kind} onChange={(kind) => void setFilter({ kind })} />
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason</label>
          <select id={`${id}-reason`} value={filter.reason ?? ''} onChange={(event) => void setFilter({ reason: (event.target.value || null) as 'blocked' | 'threshold' | null })}>
            <option value="">Any reason</option>
            <option value="threshold">Threshold reached</option>
            <option value="blocked">Blocked by a disabled or errored integration</option>
          </select>
        </div>
        <div className="filter-actions">
          <button type="button" className="primary" disabled={selection.size === 0} onClick={() => setPending({ what: 'selected', ids: [...selection] })}>
            Approve selected ({selection.size})
          </button>
          <button
            type="button"
            disabled={approvable === 0 || filter.reason === 'blocked'}
            title={approvable === 0 ? 'No threshold hold matches the filters (blocked actions cannot be approved)' : undefined}
            onClick={() => setPending({ what: 'matching', integrationId: filter.integrationId, kind: filter.kind, count: approvable })}
          >
            Approve all {approvable.toLocaleString()} matching
          </button>
        </div>
      </form>

      {heldState.error ? <LoadError message={heldState.error} onRetry={() => void loadHeld()} /> : null}
      {heldState.loaded && held.length === 0 && !heldState.error ? (
        <EmptyState title="Nothing is held">Destructive actions that a block or a threshold stops will be listed here for review.</EmptyState>
      ) : null}

      {held.length > 0 ? (
        <>
          <p className="muted small" role="status">
            {total.toLocaleString()} held {total === 1 ? 'action' : 'actions'}
            {approvable > 0 ? `, ${approvable.toLocaleString()} of them approvable` : ''}.
          </p>
          <VirtualRows
            key={JSON.stringify(filter)}
            count={total}
            label="Held actions"
            scrollerClassName="virtual-scroller-held"
            onRange={(_start, end) => void loadMore(end)}
            header={
              <div role="row" className="grid-row grid-held grid-head">
                <span role="columnheader">
                  <input
                    type="checkbox"
                    aria-label="Select every approvable action loaded"
                    checked={allSelected}
                    disabled={selectable.length === 0}
                    onChange={() => setSelection(allSelected ? [] : selectable.map((action) => action.id))}
                  />
                </span>
                <span role="columnheader">Action</span>
                <span role="columnheader">Target</span>
                <span role="columnheader">Integration</span>
                <span role="columnheader">Why held</span>
                <span role="columnheader">Held since</span>
              </div>
            }
            renderRow={(index) => {
              const action = held[index]
              if (!action) {
                return (
                  <div className="grid-row placeholder">
                    <span role="cell">Loading…</span>
                  </div>
                )
              }
              return (
                <div className="grid-row grid-held">
                  <span role="cell">
                    <input
                      type="checkbox"
                      aria-label={`Select ${ACTION_KIND_LABELS[action.kind]} ${action.member ? `${action.member} from ` : ''}${action.target}`}
                      checked={selection.has(action.id)}
                      disabled={!isApprovable(action)}
                      onChange={() => toggle(action.id)}
                    />
                  </span>
                  <span role="cell" className="ellipsis">
                    {ACTION_KIND_LABELS[action.kind]}
                    {action.approved ? <span className="badge badge-ok">Approved</span> : null}
                  </span>
                  <span role="cell" className="ellipsis" title={action.detail}>
                    {/* Its journal entries: when and why it was held, and what became of it. */}
                    <button type="button" className="row-link" aria-haspopup="dialog" title={`History of ${action.member ? `${action.member} from ${action.target}` : action.target}`} onClick={() => setHistoryOf(action)}>
                      {action.member ? `${action.member} from ${action.target}` : action.target}
                    </button>
                  </span>
                  <span role="cell" className="ellipsis">
                    {action.integrationNames.join(', ')}
                  </span>
                  <span role="cell" className="ellipsis" title={action.reasonText}>
                    <span className={`badge ${action.reason === 'threshold' ? 'badge-outcome-warn' : 'badge-error'}`}>{action.reason === 'threshold' ? 'Threshold' : 'Blocked'}</span>{' '}
                    <span className="small">{action.reasonText}</span>
                  </span>
                  <span role="cell" className="ellipsis" title={`${formatRelative(action.heldSince)} · ${action.heldSince}`}>
                    {formatDateTime(action.heldSince)}
                  </span>
                </div>
              )
            }}
          />
        </>
      ) : null}

      <section className="approvals" aria-labelledby={`${id}-approvals`}>
        <h2 id={`${id}-approvals`}>Approvals</h2>
        {approvals.length === 0 ? (
          <p className="muted">No action has been approved yet.</p>
        ) : (
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Approved by</th>
                <th scope="col">When</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {approvals.map((approval) => (
                <tr key={approval.id}>
                  <td>
                    {ACTION_KIND_LABELS[approval.kind as ActionKind] ?? approval.kind}: {approval.target}
                  </td>
                  <td>{approval.approvedBy}</td>
                  <td>{formatDateTime(approval.approvedAt)}</td>
                  <td>{approval.appliedAt ? formatDateTime(approval.appliedAt) : <span className="muted">At the next sync</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {historyOf ? <HeldActionHistory action={historyOf} onClose={() => setHistoryOf(null)} /> : null}

      {pending ? (
        <Dialog
          title="Approve held actions?"
          onClose={() => setPending(null)}
          footer={
            <>
              <button type="button" onClick={() => setPending(null)} data-autofocus>
                Cancel
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => {
                  const request =
                    pending.what === 'selected'
                      ? { actionIds: [...pending.ids] }
                      : { ...(pending.integrationId ? { integrationId: pending.integrationId } : {}), ...(pending.kind ? { kind: pending.kind } : {}) }
                  setPending(null)
                  void approve(request)
                }}
              >
                Approve
              </button>
            </>
          }
        >
          {pending.what === 'selected' ? (
            <p>
              Approve {pending.ids.length.toLocaleString()} selected {pending.ids.length === 1 ? 'action' : 'actions'}? They will apply at the next sync and
              cannot be undone by this console.
            </p>
          ) : (
            <p>
              Approve all <strong>{pending.count.toLocaleString()}</strong> threshold-held {kindWord(pending.kind)}actions {ofWhom(pending.integrationId)}? They will apply at the next sync. Actions
              blocked by a disabled or errored integration stay held.
            </p>
          )}
        </Dialog>
      ) : null}
    </div>
  )
}
