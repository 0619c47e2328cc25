import { useEffect, useId, useState } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import type { DeletePreview } from '../../../shared/domain/sync-views.ts'
import { Dialog } from '../../components/dialog.tsx'
import { plural } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'

/** Items listed per consequence; the rest are counted ("and 120 more"). */
const SHOWN = 8

function Consequence({ title, items }: { readonly title: string; readonly items: readonly string[] }) {
  return (
    <div className="consequence">
      <h3>
        {title}: <span className="count">{items.length.toLocaleString()}</span>
      </h3>
      {items.length > 0 ? (
        <ul>
          {items.slice(0, SHOWN).map((item) => (
            <li key={item}>{item}</li>
          ))}
          {items.length > SHOWN ? <li className="muted">and {(items.length - SHOWN).toLocaleString()} more</li> : null}
        </ul>
      ) : null}
    </div>
  )
}

/** Deletion: first what it will cause at the next sync, then the integration's name typed to confirm. */
export function DeleteDialog({ integration, onClose }: { readonly integration: IntegrationView; readonly onClose: () => void }) {
  const previewDelete = useAppStore((state) => state.previewDelete)
  const deleteIntegration = useAppStore((state) => state.deleteIntegration)
  const [preview, setPreview] = useState<DeletePreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [typed, setTyped] = useState('')
  const [working, setWorking] = useState(false)
  const inputId = useId()

  useEffect(() => {
    let live = true
    void previewDelete(integration.id).then((result) => {
      if (!live) return
      if (result.ok) setPreview(result.value)
      else setError(result.error.message)
    })
    return () => {
      live = false
    }
  }, [integration.id, previewDelete])

  const matches = typed === integration.name
  async function confirm(): Promise<void> {
    setWorking(true)
    const result = await deleteIntegration(integration.id, typed)
    setWorking(false)
    if (result.ok) onClose()
    else setError(result.error.message)
  }

  return (
    <Dialog
      title={`Delete “${integration.name}”?`}
      tone="danger"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={!matches || working || !preview} onClick={() => void confirm()}>
            Delete integration
          </button>
        </>
      }
    >
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {!preview && !error ? <p className="muted">Working out what the deletion will cause…</p> : null}
      {preview ? (
        <div className="delete-preview" aria-label="What the deletion will cause">
          <p>At the next sync, after this integration is deleted:</p>
          {preview.usersDeleted.length > 0 || !integration.policy.deleteUsers ? (
            <Consequence title="Users demoted to “Created by Message in Transit”" items={preview.usersDemoted} />
          ) : null}
          {preview.usersDeleted.length > 0 || integration.policy.deleteUsers ? <Consequence title="Users deleted" items={preview.usersDeleted} /> : null}
          <Consequence title="Group memberships removed" items={preview.membershipsRemoved.map((item) => `${item.member} from ${item.group}`)} />
          <Consequence title="Groups deleted" items={preview.groupsDeleted} />
          <Consequence title="Users kept because another integration still backs them" items={preview.usersStillBacked.map((item) => `${item.user} (by ${item.by.join(', ')})`)} />
          {preview.liftsBlock ? (
            <p className="note-ok">Deleting it ends the pause on destructive actions for all integrations.</p>
          ) : preview.remainingBlockers.length > 0 ? (
            <p className="note-warn">Destructive actions stay paused: {preview.remainingBlockers.join(', ')} still block them.</p>
          ) : null}
          {preview.holdNote ? <p className="note-warn">{preview.holdNote}</p> : null}
          <p className="muted small">
            In all: {plural(preview.usersDemoted.length + preview.usersDeleted.length, 'user')} affected, {plural(preview.membershipsRemoved.length, 'membership')}{' '}
            removed, {plural(preview.groupsDeleted.length, 'group')} deleted.
          </p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={inputId}>
          Type the integration name <strong>{integration.name}</strong> to confirm
        </label>
        <input
          id={inputId}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && matches && preview && !working) void confirm()
          }}
        />
      </div>
    </Dialog>
  )
}
