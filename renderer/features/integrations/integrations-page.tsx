import { useEffect, useState } from 'react'
import { useAppStore } from '../../store/app-store.ts'
import { SyncProgress } from '../progress/sync-progress.tsx'
import { IntegrationDetail } from './integration-detail.tsx'
import { IntegrationForm } from './integration-form.tsx'
import { IntegrationList } from './integration-list.tsx'

type Editing = { readonly mode: 'create' } | { readonly mode: 'edit'; readonly id: string } | null

/** The list on the left, and on the right either the selected integration or the create/edit form. */
export function IntegrationsPage() {
  const selectedId = useAppStore((state) => state.route.integrationId)
  const integrations = useAppStore((state) => state.integrations)
  const navigate = useAppStore((state) => state.navigate)
  const createRequest = useAppStore((state) => state.createRequest)
  const clearCreateRequest = useAppStore((state) => state.clearCreateRequest)
  const setMigrationDraft = useAppStore((state) => state.setMigrationDraft)
  const [editing, setEditing] = useState<Editing>(() => (createRequest ? { mode: 'create' } : null))
  // Another page asked for the form (the migration wizard): open it, and remember where to return.
  const [returnTo, setReturnTo] = useState(() => createRequest?.returnTo ?? null)
  useEffect(() => {
    if (createRequest) {
      setEditing({ mode: 'create' })
      setReturnTo(createRequest.returnTo)
      clearCreateRequest()
    }
  }, [createRequest, clearCreateRequest])

  const selected = integrations.find((integration) => integration.id === selectedId) ?? null
  const editTarget = editing?.mode === 'edit' ? integrations.find((integration) => integration.id === editing.id) : undefined
  const paneOpen = editing !== null || selected !== null

  return (
    <div className={`integrations-page ${paneOpen ? 'with-pane' : ''}`}>
      <div className="integrations-main">
        <SyncProgress />
        <IntegrationList
          selectedId={selectedId}
          onSelect={(id) => {
            setEditing(null)
            navigate({ page: 'integrations', integrationId: id })
          }}
          onCreate={() => {
            setReturnTo(null)
            setEditing({ mode: 'create' })
          }}
        />
      </div>
      {editing?.mode === 'create' ? (
        <IntegrationForm
          key="create"
          onCancel={() => {
            setEditing(null)
            if (returnTo === 'migration') navigate({ page: 'migration' })
          }}
          onSaved={(id) => {
            setEditing(null)
            if (returnTo === 'migration') {
              // Back to the wizard with the new integration picked as the new one.
              setMigrationDraft({ newId: id })
              navigate({ page: 'migration' })
            } else {
              navigate({ page: 'integrations', integrationId: id })
            }
          }}
        />
      ) : editTarget ? (
        <IntegrationForm key={editTarget.id} existing={editTarget} onCancel={() => setEditing(null)} onSaved={() => setEditing(null)} />
      ) : selected ? (
        <IntegrationDetail key={selected.id} integration={selected} onEdit={() => setEditing({ mode: 'edit', id: selected.id })} />
      ) : selectedId && integrations.length > 0 ? (
        <aside className="pane">
          <p>This integration no longer exists.</p>
          <button type="button" onClick={() => navigate({ page: 'integrations' })}>
            Back to the list
          </button>
        </aside>
      ) : null}
    </div>
  )
}
