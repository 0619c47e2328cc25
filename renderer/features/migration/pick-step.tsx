import { useEffect, useId } from 'react'
import type { MigrationView } from '../../../shared/domain/migration.ts'
import { formatDateTime, plural } from '../../components/format.ts'
import { TypeLabel } from '../../components/type-icon.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { TestConnectionTab } from '../integrations/test-connection-tab.tsx'

/** Step 1: which integration is replaced, by which one (or create it), and does the new one connect. */
export function PickStep({ migration }: { readonly migration: MigrationView | null }) {
  if (migration) return <Picked migration={migration} />
  return <PickForm />
}

function Picked({ migration }: { readonly migration: MigrationView }) {
  return (
    <dl className="facts">
      <div className="fact">
        <dt>Old integration (replaced)</dt>
        <dd>{migration.oldIntegrationName}</dd>
      </div>
      <div className="fact">
        <dt>New integration</dt>
        <dd>{migration.newIntegrationName}</dd>
      </div>
      <div className="fact">
        <dt>Started</dt>
        <dd>{formatDateTime(migration.createdAt)}</dd>
      </div>
    </dl>
  )
}

function PickForm() {
  const integrations = useAppStore((state) => state.integrations)
  const draft = useAppStore((state) => state.migrationDraft)
  const setDraft = useAppStore((state) => state.setMigrationDraft)
  const start = useAppStore((state) => state.startMigration)
  const work = useAppStore((state) => state.migrationWork)
  const requestCreate = useAppStore((state) => state.requestCreateIntegration)
  const routeIntegrationId = useAppStore((state) => state.route.integrationId)
  const id = useId()

  // "Migrate" on an integration's detail pane opens the wizard with that one as the old one.
  useEffect(() => {
    if (routeIntegrationId) setDraft({ oldId: routeIntegrationId, newId: draft.newId === routeIntegrationId ? null : draft.newId })
    // Only when the route changes: the admin's later choice wins.
  }, [routeIntegrationId])

  const old = integrations.find((integration) => integration.id === draft.oldId) ?? null
  const next = integrations.find((integration) => integration.id === draft.newId) ?? null
  const candidatesForNew = integrations.filter((integration) => integration.id !== draft.oldId)
  const ready = old !== null && next !== null && old.id !== next.id

  return (
    <div className="pick-step">
      {integrations.length < 2 ? (
        <p className="note-warn">
          A migration needs two integrations: the old one you are moving away from (synced as usual) and the new one. Create the new one first.
        </p>
      ) : null}
      <div className="pick-grid">
        <fieldset>
          <legend>Old integration — the one being replaced</legend>
          <div className="field">
            <label htmlFor={`${id}-old`}>Old integration</label>
            <select id={`${id}-old`} value={draft.oldId ?? ''} onChange={(event) => setDraft({ oldId: event.target.value || null, ...(event.target.value === draft.newId ? { newId: null } : {}) })}>
              <option value="">Choose…</option>
              {integrations.map((integration) => (
                <option key={integration.id} value={integration.id}>
                  {integration.name}
                </option>
              ))}
            </select>
          </div>
          {old ? (
            <p className="small">
              <TypeLabel type={old.config.type} /> ·{' '}
              {old.snapshot ? (
                <>
                  last read {formatDateTime(old.snapshot.takenAt)}: {plural(old.snapshot.users, 'user')}, {plural(old.snapshot.groups, 'group')}
                </>
              ) : (
                <span className="text-warn">never read — sync it first, so its users can be compared</span>
              )}
            </p>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>New integration — the one taking over</legend>
          <div className="field">
            <label htmlFor={`${id}-new`}>New integration</label>
            <select id={`${id}-new`} value={draft.newId ?? ''} onChange={(event) => setDraft({ newId: event.target.value || null })}>
              <option value="">Choose…</option>
              {candidatesForNew.map((integration) => (
                <option key={integration.id} value={integration.id}>
                  {integration.name}
                </option>
              ))}
            </select>
          </div>
          <p className="small">
            Not added yet?{' '}
            <button type="button" className="link-button" onClick={() => requestCreate('migration')}>
              Create New Integration
            </button>{' '}
            — you come back here when it is saved.
          </p>
          {next ? (
            <p className="small">
              <TypeLabel type={next.config.type} /> · {next.snapshot ? `last read ${formatDateTime(next.snapshot.takenAt)}` : 'not read yet (the next step reads it without applying anything)'}
            </p>
          ) : null}
        </fieldset>
      </div>

      {next ? (
        <fieldset className="pick-test">
          <legend>Test the new integration</legend>
          <TestConnectionTab integration={next} />
        </fieldset>
      ) : null}

      <div className="form-actions">
        <button type="button" className="primary" disabled={!ready || work !== null} onClick={() => void start()}>
          {work === 'start' ? 'Starting…' : 'Start the migration'}
        </button>
        {!ready ? <span className="muted small">Choose the old and the new integration.</span> : null}
      </div>

      <PastMigrations />
    </div>
  )
}

/** Finished migrations, newest first, each with its result against the preview. */
function PastMigrations() {
  const migrations = useAppStore((state) => state.migrations)
  const show = useAppStore((state) => state.showMigration)
  const done = migrations.filter((migration) => migration.step === 'done')
  if (done.length === 0) return null
  return (
    <section className="past-migrations" aria-labelledby="past-migrations-title">
      <h3 id="past-migrations-title">Finished migrations</h3>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Finished</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {done.map((migration) => (
            <tr key={migration.id}>
              <td>{migration.oldIntegrationName}</td>
              <td>{migration.newIntegrationName}</td>
              <td>{formatDateTime(migration.updatedAt)}</td>
              <td>
                <button type="button" className="row-link" onClick={() => show(migration.id)}>
                  {migration.result && migration.result.differences.length === 0 ? 'Identical to the preview' : `${migration.result?.differences.length ?? 0} difference(s)`}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
