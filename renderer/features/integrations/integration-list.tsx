import { useMemo, useState } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { INTEGRATION_TYPE_LABELS } from '../../../shared/domain/integration-type.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatDateTime, formatRelative } from '../../components/format.ts'
import { OutcomeBadge, STATUS_LABELS, StatusBadge } from '../../components/status-badge.tsx'
import { TypeLabel } from '../../components/type-icon.tsx'
import { useAppStore } from '../../store/app-store.ts'

type SortKey = 'name' | 'type' | 'status' | 'lastSyncAt' | 'lastOutcome' | 'nextSyncAt'

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'type', label: 'Type' },
  { key: 'status', label: 'Status' },
  { key: 'lastSyncAt', label: 'Last sync' },
  { key: 'lastOutcome', label: 'Last outcome' },
  { key: 'nextSyncAt', label: 'Next sync' },
]

function sortValue(integration: IntegrationView, key: SortKey): string {
  switch (key) {
    case 'name':
      return integration.name.toLowerCase()
    case 'type':
      return INTEGRATION_TYPE_LABELS[integration.config.type]
    case 'status':
      return STATUS_LABELS[integration.status]
    case 'lastSyncAt':
      return integration.lastSyncAt ?? ''
    case 'lastOutcome':
      return integration.lastOutcome ?? ''
    case 'nextSyncAt':
      return integration.nextSyncAt ?? ''
  }
}

interface IntegrationListProps {
  readonly selectedId: string | null
  readonly onSelect: (id: string) => void
  readonly onCreate: () => void
}

export function IntegrationList({ selectedId, onSelect, onCreate }: IntegrationListProps) {
  const integrations = useAppStore((state) => state.integrations)
  const loadState = useAppStore((state) => state.integrationsState)
  const refresh = useAppStore((state) => state.refresh)
  const runSync = useAppStore((state) => state.runSync)
  const busy = useAppStore((state) => state.syncRequested || state.progress !== null)
  const demo = useAppStore((state) => state.demo)
  const dataDir = useAppStore((state) => state.dataDir)
  const addSample = useAppStore((state) => state.addSample)
  const progress = useAppStore((state) => state.progress)
  // While a run reads an integration, say so at once (the core's status catches up when the run ends).
  const shownStatus = (integration: IntegrationView) => {
    const phase = progress?.byIntegration[integration.id]?.phase
    return phase === 'queued' || phase === 'reading' || phase === 'validating' ? 'syncing' : integration.status
  }
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'name', dir: 1 })

  const rows = useMemo(
    () => [...integrations].sort((a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) * sort.dir),
    [integrations, sort],
  )
  const anyEnabled = integrations.some((integration) => integration.enabled)

  return (
    <section className="integration-list" aria-labelledby="integrations-title">
      <div className="toolbar">
        <h2 id="integrations-title">Integrations</h2>
        <div className="toolbar-actions">
          <button type="button" className="primary" onClick={() => void runSync('all')} disabled={busy || !anyEnabled} title={anyEnabled ? undefined : 'No enabled integration to sync'}>
            {busy ? 'Syncing…' : 'Sync All'}
          </button>
          <button type="button" onClick={onCreate}>
            Create New Integration
          </button>
        </div>
      </div>

      {loadState.error && !loadState.loaded ? <LoadError message={loadState.error} onRetry={() => void refresh()} /> : null}

      {loadState.loaded && integrations.length === 0 ? (
        <EmptyState title="No integration yet">
          <p>
            An integration connects one directory — Active Directory, another LDAP server, Domino, Microsoft Entra ID, Google Directory, or an LDIF/CSV
            export — to the account directory. Create one, test its connection, then choose <strong>Sync All</strong>.
          </p>
          <p>
            To try the console first, add the bundled <strong>sample directory</strong> (an LDIF export of about 200 users and 20 groups), then choose{' '}
            <strong>Sync All</strong>.{demo ? '' : ' (Starting the console with --demo does the same.)'}
          </p>
          {dataDir ? (
            <p className="muted">
              The account directory, run history and settings are kept on this computer in <code>{dataDir}</code>.
            </p>
          ) : null}
          <div className="toolbar-actions">
            <button type="button" className="primary" onClick={() => void addSample()}>
              Try the sample directory
            </button>
            <button type="button" onClick={onCreate}>
              Create New Integration
            </button>
          </div>
        </EmptyState>
      ) : null}

      {!loadState.loaded && loadState.loading ? <p className="muted">Loading integrations…</p> : null}

      {integrations.length > 0 ? (
        <table className="data-table">
          <caption className="visually-hidden">Integrations, sortable by column</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column.key} scope="col" aria-sort={sort.key === column.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => setSort((current) => ({ key: column.key, dir: current.key === column.key ? (current.dir === 1 ? -1 : 1) : 1 }))}
                  >
                    {column.label}
                    <span aria-hidden="true">{sort.key === column.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((integration) => (
              <tr key={integration.id} className={integration.id === selectedId ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="row-link" onClick={() => onSelect(integration.id)} aria-current={integration.id === selectedId ? 'true' : undefined}>
                    {integration.name}
                  </button>
                  {integration.description ? <div className="muted small">{integration.description}</div> : null}
                </th>
                <td>
                  <TypeLabel type={integration.config.type} />
                </td>
                <td>
                  <StatusBadge status={shownStatus(integration)} />
                  {integration.stagedBehind ? (
                    <div className="badge badge-staged" title={`Read and compared with ${integration.stagedBehind.name}; nothing of it is applied until the cut-over.`}>
                      Staged for migration
                    </div>
                  ) : null}
                </td>
                <td title={integration.lastSyncAt ?? undefined}>
                  {formatDateTime(integration.lastSyncAt)}
                  {integration.lastSyncAt ? <div className="muted small">{formatRelative(integration.lastSyncAt)}</div> : null}
                </td>
                <td>
                  <OutcomeBadge outcome={integration.lastOutcome} />
                </td>
                <td>{integration.enabled ? formatDateTime(integration.nextSyncAt) : <span className="muted">Paused</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
