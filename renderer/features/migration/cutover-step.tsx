import { useId, useState } from 'react'
import type { CutoverResult, MigrationView } from '../../../shared/domain/migration.ts'
import { formatCount } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'

/** Step 5: sync the new one, delete the old one (its name typed), run, and hold the result against the preview. */
export function CutoverStep({ migration }: { readonly migration: MigrationView }) {
  if (migration.step === 'done' && migration.result) return <CutoverOutcome migration={migration} result={migration.result} />
  return <CutoverConfirm migration={migration} />
}

function CutoverConfirm({ migration }: { readonly migration: MigrationView }) {
  const cutOver = useAppStore((state) => state.cutOver)
  const openCutover = useAppStore((state) => state.openCutover)
  const work = useAppStore((state) => state.migrationWork)
  const [typed, setTyped] = useState('')
  const id = useId()
  const matches = typed === migration.oldIntegrationName
  const preview = migration.preview
  const working = work === 'cutover'

  function confirm(): void {
    if (matches && !working) void cutOver(typed)
  }

  return (
    <div className="cutover-step">
      <ol className="cutover-plan">
        <li>
          Sync <strong>{migration.newIntegrationName}</strong>: its users, addresses and memberships are applied.
        </li>
        <li>
          Delete <strong>{migration.oldIntegrationName}</strong>
          {migration.oldDisabledForWindow ? ', which ends the pause on destructive actions' : ''}.
        </li>
        <li>Run a sync of all integrations: the changes of the preview apply.</li>
        <li>Compare the result with the preview; any difference is flagged.</li>
      </ol>
      {preview ? (
        <p>
          The preview said: {formatCount(preview.usersDemoted.length)} users demoted, {formatCount(preview.usersDeleted.length)} deleted,{' '}
          {formatCount(preview.membershipsRemoved.length)} memberships removed, {formatCount(preview.groupsDeleted.length)} groups deleted.
        </p>
      ) : null}
      <div className="field typed-confirm">
        <label htmlFor={`${id}-confirm`}>
          Type the old integration's name <strong>{migration.oldIntegrationName}</strong> to confirm
        </label>
        <input
          id={`${id}-confirm`}
          autoComplete="off"
          spellCheck={false}
          value={typed}
          disabled={working}
          onChange={(event) => setTyped(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') confirm()
          }}
        />
      </div>
      <div className="form-actions">
        <button type="button" disabled={working} onClick={() => openCutover(false)}>
          Back to the preview
        </button>
        <button type="button" className="danger danger-solid" disabled={!matches || work !== null} onClick={confirm}>
          {working ? 'Cutting over…' : 'Cut over'}
        </button>
        {working ? <span className="muted small">Syncing, deleting and syncing again; progress is shown above.</span> : null}
      </div>
    </div>
  )
}

function CutoverOutcome({ migration, result }: { readonly migration: MigrationView; readonly result: CutoverResult }) {
  const close = useAppStore((state) => state.closeMigration)
  const navigate = useAppStore((state) => state.navigate)
  const preview = migration.preview ?? result.preview
  const identical = result.differences.length === 0
  const rows: readonly { readonly label: string; readonly expected: number; readonly actual: number }[] = [
    { label: 'Users demoted', expected: preview.usersDemoted.length, actual: result.actual.usersDemoted.length },
    { label: 'Users deleted', expected: preview.usersDeleted.length, actual: result.actual.usersDeleted.length },
    { label: 'Memberships removed', expected: preview.membershipsRemoved.length, actual: result.actual.membershipsRemoved },
    { label: 'Groups deleted', expected: preview.groupsDeleted.length, actual: result.actual.groupsDeleted.length },
  ]

  return (
    <div className="cutover-outcome">
      {identical ? (
        <p className="note-box note-box-ok" role="status" data-testid="cutover-verdict">
          <strong>Cut-over finished: the result is identical to the preview.</strong> {migration.oldIntegrationName} is deleted;{' '}
          {migration.newIntegrationName} now backs the account.
        </p>
      ) : (
        <div className="note-box note-box-error" role="alert" data-testid="cutover-verdict">
          <p>
            <strong>
              Cut-over finished, but the result differs from the preview in {result.differences.length} {result.differences.length === 1 ? 'way' : 'ways'}:
            </strong>
          </p>
          <ul>
            {result.differences.map((difference) => (
              <li key={difference}>{difference}</li>
            ))}
          </ul>
        </div>
      )}
      <table className="data-table compact result-table">
        <caption>Result against the preview</caption>
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col" className="num">
              Preview
            </th>
            <th scope="col" className="num">
              Result
            </th>
            <th scope="col">Same?</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className={row.expected === row.actual ? undefined : 'row-different'}>
              <th scope="row">{row.label}</th>
              <td className="num">{formatCount(row.expected)}</td>
              <td className="num">{formatCount(row.actual)}</td>
              <td>{row.expected === row.actual ? <span className="badge badge-ok">Same</span> : <span className="badge badge-error">Different</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.actual.usersDemoted.length > 0 ? (
        <details>
          <summary>Users demoted ({formatCount(result.actual.usersDemoted.length)})</summary>
          <ul className="preview-items" tabIndex={0} aria-label="Users demoted">
            {result.actual.usersDemoted.map((user) => (
              <li key={user}>{user}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={() => navigate({ page: 'runs' })}>
          Open Run history
        </button>
        <button type="button" className="primary" onClick={close}>
          Finish
        </button>
      </div>
    </div>
  )
}
