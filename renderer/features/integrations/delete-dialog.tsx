import { useEffect, useId, useState } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import type { DeletePreview } from '../../../shared/domain/sync-views.ts'
import { Dialog } from '../../components/dialog.tsx'
import { csvRows } from '../../../shared/export/csv.ts'
import { plural } from '../../components/format.ts'
import { LocalTime } from '../../components/local-time.tsx'
import { download } from '../runs/run-export.ts'
import { useAppStore } from '../../store/app-store.ts'

/** Items listed per consequence before "Show all N". */
const SHOWN = 8

interface ConsequenceList {
  readonly title: string
  /** The number the heading says (memberships that go with a group count more than their lines). */
  readonly count: number
  readonly items: readonly string[]
}

/** Every consequence as CSV rows (consequence, item): the whole list, not the lines shown. */
export function deletePreviewCsv(lists: readonly ConsequenceList[]): string {
  return csvRows([['consequence', 'item'], ...lists.flatMap((list) => list.items.map((item) => [list.title, item]))])
}

function Consequence({ title, count, items }: ConsequenceList) {
  return (
    <div className="consequence">
      <h3>
        {title}: <span className="count">{count.toLocaleString()}</span>
      </h3>
      {items.length > 0 ? (
        <ul>
          {items.slice(0, SHOWN).map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : null}
      {items.length > SHOWN ? (
        <details>
          <summary>Show all {items.length.toLocaleString()}</summary>
          <ul className="consequence-rest" tabIndex={0} aria-label={`${title}, the rest`}>
            {items.slice(SHOWN).map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  )
}

/** Deletion: first what it will cause at the next sync, then the integration's name typed to confirm. */
export function DeleteDialog({ integration, onClose }: { readonly integration: IntegrationView; readonly onClose: () => void }) {
  const previewDelete = useAppStore((state) => state.previewDelete)
  const deleteIntegration = useAppStore((state) => state.deleteIntegration)
  const scheduled = useAppStore((state) => state.status?.nextScheduledRun ?? null)
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
  const withGroups = preview ? preview.membershipsOfDeletedGroups.reduce((n, group) => n + group.members, 0) : 0
  const membershipCount = (preview?.membershipsRemoved.length ?? 0) + withGroups
  const lists: ConsequenceList[] = !preview
    ? []
    : [
        ...(preview.usersDeleted.length > 0 || !integration.policy.deleteUsers
          ? [{ title: 'Users demoted to “Created by Message in Transit”', count: preview.usersDemoted.length, items: preview.usersDemoted }]
          : []),
        ...(preview.usersDeleted.length > 0 || integration.policy.deleteUsers ? [{ title: 'Users deleted', count: preview.usersDeleted.length, items: preview.usersDeleted }] : []),
        {
          title: 'Group memberships removed',
          count: membershipCount,
          items: [
            ...preview.membershipsOfDeletedGroups.map((group) => `All ${plural(group.members, 'member')} of ${group.group} (the group is deleted)`),
            ...preview.membershipsRemoved.map((item) => `${item.member} from ${item.group}`),
          ],
        },
        { title: 'Groups deleted', count: preview.groupsDeleted.length, items: preview.groupsDeleted },
        {
          title: 'Users kept because another integration still backs them',
          count: preview.usersStillBacked.length,
          items: preview.usersStillBacked.map((item) => `${item.user} (by ${item.by.join(', ')})`),
        },
      ]
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
          <p>
            At the next sync{' '}
            {scheduled ? (
              <>
                (scheduled <LocalTime iso={scheduled} />)
              </>
            ) : (
              '(no schedule: when you sync)'
            )}
            , after this integration is deleted:
          </p>
          {lists.map((list) => (
            <Consequence key={list.title} {...list} />
          ))}
          <button type="button" onClick={() => download(`delete-preview-${integration.name}.csv`.replace(/[^\w.-]+/g, '-'), deletePreviewCsv(lists), 'text/csv')}>
            Export CSV
          </button>
          {preview.liftsBlock ? (
            <p className="note-ok">Deleting it ends the pause on destructive actions for all integrations.</p>
          ) : preview.remainingBlockers.length > 0 ? (
            <p className="note-warn">Destructive actions stay paused: {preview.remainingBlockers.join(', ')} still block them.</p>
          ) : null}
          {preview.holdNote ? <p className="note-warn">{preview.holdNote}</p> : null}
          <p className="muted small">
            In all: {plural(preview.usersDemoted.length + preview.usersDeleted.length, 'user')} affected, {plural(membershipCount, 'membership')}{' '}
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
