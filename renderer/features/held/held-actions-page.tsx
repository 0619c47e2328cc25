import { useEffect, useId, useState } from 'react'
import { ACTION_KIND_LABELS, DESTRUCTIVE_KINDS, type ActionKind, type HeldAction } from '../../../shared/domain/sync-action.ts'
import { Dialog } from '../../components/dialog.tsx'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatDateTime, formatRelative } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'

type Pending = { readonly what: 'selected'; readonly ids: readonly string[] } | { readonly what: 'matching'; readonly integrationId: string; readonly kind: ActionKind | null }

/** Only threshold holds can be approved; a disabled/errored block is resolved, not overridden. */
function approvable(action: HeldAction): boolean {
  return action.reason === 'threshold' && !action.approved
}

export function HeldActionsPage() {
  const filter = useAppStore((state) => state.heldFilter)
  const held = useAppStore((state) => state.held)
  const total = useAppStore((state) => state.heldTotal)
  const heldState = useAppStore((state) => state.heldState)
  const selection = useAppStore((state) => state.heldSelection)
  const approvals = useAppStore((state) => state.approvals)
  const integrations = useAppStore((state) => state.integrations)
  const setFilter = useAppStore((state) => state.setHeldFilter)
  const loadHeld = useAppStore((state) => state.loadHeld)
  const loadApprovals = useAppStore((state) => state.loadApprovals)
  const toggle = useAppStore((state) => state.toggleHeldSelection)
  const setSelection = useAppStore((state) => state.setHeldSelection)
  const approve = useAppStore((state) => state.approveHeld)
  const [pending, setPending] = useState<Pending | null>(null)
  const id = useId()

  useEffect(() => {
    void loadHeld()
    void loadApprovals()
  }, [loadHeld, loadApprovals])

  const nameOf = (integrationId: string) => integrations.find((integration) => integration.id === integrationId)?.name ?? integrationId
  const selectable = held.filter(approvable)
  const allSelected = selectable.length > 0 && selectable.every((action) => selection.has(action.id))
  const matchingCount = held.filter(approvable).length
  const canApproveMatching = filter.integrationId !== null && filter.reason !== 'blocked' && matchingCount > 0

  return (
    <div className="held-page">
      <p className="page-intro">
        Destructive actions wait here. <strong>Threshold holds</strong> (more removals than an integration's maximum) can be approved; they apply at the
        next sync. <strong>Blocked</strong> actions wait because an integration is disabled or in error — enable or fix it, or delete it.
      </p>
      <form className="filters" aria-label="Filter held actions" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor={`${id}-integration`}>Integration</label>
          <select id={`${id}-integration`} value={filter.integrationId ?? ''} onChange={(event) => void setFilter({ integrationId: event.target.value || null })}>
            <option value="">All integrations</option>
            {integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={filter.kind ?? ''} onChange={(event) => void setFilter({ kind: (event.target.value || null) as ActionKind | null })}>
            <option value="">All kinds</option>
            {DESTRUCTIVE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {ACTION_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
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
            disabled={!canApproveMatching}
            title={filter.integrationId ? undefined : 'Choose an integration first'}
            onClick={() => filter.integrationId && setPending({ what: 'matching', integrationId: filter.integrationId, kind: filter.kind })}
          >
            Approve all matching
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
            {total > held.length ? `Showing the first ${held.length.toLocaleString()} of ${total.toLocaleString()} held actions.` : `${total.toLocaleString()} held ${total === 1 ? 'action' : 'actions'}.`}
          </p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select every approvable action shown"
                    checked={allSelected}
                    disabled={selectable.length === 0}
                    onChange={() => setSelection(allSelected ? [] : selectable.map((action) => action.id))}
                  />
                </th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Integration</th>
                <th scope="col">Why held</th>
                <th scope="col">Held since</th>
              </tr>
            </thead>
            <tbody>
              {held.map((action) => (
                <tr key={action.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${ACTION_KIND_LABELS[action.kind]} ${action.target}`}
                      checked={selection.has(action.id)}
                      disabled={!approvable(action)}
                      onChange={() => toggle(action.id)}
                    />
                  </td>
                  <td>
                    {ACTION_KIND_LABELS[action.kind]}
                    {action.approved ? <span className="badge badge-ok">Approved</span> : null}
                  </td>
                  <td>
                    <div>{action.member ? `${action.member} from ${action.target}` : action.target}</div>
                    <div className="muted small">{action.detail}</div>
                  </td>
                  <td>{action.integrationIds.map(nameOf).join(', ')}</td>
                  <td>
                    <span className={`badge ${action.reason === 'threshold' ? 'badge-outcome-warn' : 'badge-error'}`}>{action.reason === 'threshold' ? 'Threshold' : 'Blocked'}</span>{' '}
                    <span className="small">{action.reasonText}</span>
                  </td>
                  <td title={action.heldSince}>
                    {formatDateTime(action.heldSince)}
                    <div className="muted small">{formatRelative(action.heldSince)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
                  const request = pending.what === 'selected' ? { actionIds: [...pending.ids] } : { integrationId: pending.integrationId, ...(pending.kind ? { kind: pending.kind } : {}) }
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
              Approve every threshold-held {pending.kind ? `“${ACTION_KIND_LABELS[pending.kind]}” ` : ''}action of <strong>{nameOf(pending.integrationId)}</strong>{' '}
              ({matchingCount.toLocaleString()} shown here)? They will apply at the next sync. Actions blocked by a disabled or errored integration stay held.
            </p>
          )}
        </Dialog>
      ) : null}
    </div>
  )
}
