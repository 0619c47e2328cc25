import type { MigrationView } from '../../../shared/domain/migration.ts'
import { formatDateTime } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { DisableOldOffer } from './window-note.tsx'

/** Step 2: read the new directory into its own snapshot — nothing is planned or applied. */
export function ReadStep({ migration }: { readonly migration: MigrationView }) {
  const readNew = useAppStore((state) => state.readNewForMigration)
  const work = useAppStore((state) => state.migrationWork)
  const current = migration.step === 'read-new'

  return (
    <div className="read-step">
      <p>
        The wizard reads <strong>{migration.newIntegrationName}</strong> into its own snapshot, only to compare it with{' '}
        <strong>{migration.oldIntegrationName}</strong>.{' '}
        <strong>Nothing is applied: no user, address, group or membership of the account changes</strong>, and no action is planned.
      </p>
      {migration.newReadAt ? <p className="note-ok">Read {formatDateTime(migration.newReadAt)}; nothing was applied.</p> : null}
      {current || migration.step === 'coverage' ? (
        <div className="form-actions">
          <button type="button" className="primary" disabled={work !== null} onClick={() => void readNew()}>
            {work === 'read-new' ? 'Reading…' : migration.newReadAt ? `Read ${migration.newIntegrationName} again (nothing is applied)` : `Read ${migration.newIntegrationName} without applying`}
          </button>
          {work === 'read-new' ? <span className="muted small">Reading the directory; progress is shown above.</span> : null}
        </div>
      ) : null}
      {migration.step !== 'done' ? <DisableOldOffer migration={migration} /> : null}
    </div>
  )
}
