import type { ReactNode } from 'react'
import { ENTRA_CLOUD_LABELS, SECRET_LABELS, type IntegrationConfig } from '../../../shared/domain/integration-config.ts'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { formatCount, formatDateTime, formatRelative } from '../../components/format.ts'
import { STATUS_LABELS } from '../../components/status-badge.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { ENCRYPTION_LABELS } from './integration-fields.ts'

type Row = readonly [label: string, value: ReactNode]

/** The type-specific fields, labelled as the cloud console labels them. */
function configRows(config: IntegrationConfig): readonly Row[] {
  switch (config.type) {
    case 'active-directory':
    case 'ldap':
    case 'domino': {
      const s = config.settings
      const rows: Row[] = [
        ['Hostname / IP Address', s.host],
        ['Alternate hostname', s.alternateHost ?? '—'],
        ['Encryption', ENCRYPTION_LABELS[s.encryption]],
        ['Port', s.port ?? (s.encryption === 'ldaps' ? '636 (default)' : '389 (default)')],
        ['Certificate verification', s.verifyCertificate ? 'On' : 'Off — the server is not authenticated'],
        ['Custom CA certificate', s.caCertificatePem ? 'Provided' : 'System store'],
        ['User DN (bind account)', s.bindDn],
        ['Root DN', s.baseDn],
        ['User filter', s.userFilter || 'Preset for this type'],
        ['Group filter', s.groupFilter || 'Preset for this type'],
        ['Page size', formatCount(s.pageSize)],
      ]
      if (config.type === 'domino') rows.push(['Domino Foreign Directory Synchronization', s.honourForeignDirectorySync ? 'Honoured' : 'Ignored'])
      return rows
    }
    case 'entra': {
      const s = config.settings
      return [
        ['Tenant', s.tenantId],
        ['Application (client) ID', s.clientId],
        ['Cloud', ENTRA_CLOUD_LABELS[s.cloud]],
        ['Authentication', s.authMethod === 'certificate' ? `Certificate ${s.certificateThumbprint ?? ''}` : 'Client secret'],
        ['Sync external users', s.includeGuests ? 'Yes' : 'No'],
        ['Sync internal guests', s.includeInternalGuests ? 'Yes' : 'No'],
        ['Nested group members', s.transitiveMembers ? 'Included' : 'Direct members only'],
        // Overrides are for sovereign clouds, proxies and emulators: shown, so nobody wonders where a read went.
        ['Login endpoint', s.authorityHost ?? 'Microsoft default for the cloud'],
        ['Graph endpoint', s.graphEndpoint ?? 'Microsoft default for the cloud'],
        ['Custom CA certificate', s.caCertificatePem ? 'Provided' : 'System store'],
        ['Page size', formatCount(s.pageSize)],
      ]
    }
    case 'google': {
      const s = config.settings
      return [
        ['Admin email (impersonated)', s.adminEmail],
        ['Customer ID', s.customerId || 'my_customer'],
        ['Domain', s.domain || 'All domains of the customer'],
        ['API root', s.rootUrl ?? 'Google default'],
        ['Token endpoint', s.tokenUrl ?? 'Google default'],
        ['Custom CA certificate', s.caCertificatePem ? 'Provided' : 'System store'],
        ['Page size', formatCount(s.pageSize)],
      ]
    }
    case 'ldif-file': {
      const s = config.settings
      return [
        ['Export file', <code key="path">{s.path}</code>],
        ['Format', s.format === 'auto' ? 'Detected from the file' : s.format.toUpperCase()],
      ]
    }
  }
}

export function DetailsTab({ integration }: { readonly integration: IntegrationView }) {
  const secretStore = useAppStore((state) => state.secretStore)
  const secretLabel = SECRET_LABELS[integration.config.type]
  const snapshot = integration.snapshot

  return (
    <div className="details-tab">
      {integration.statusReason ? (
        <p className={`status-reason status-reason-${integration.status}`}>
          <strong>{STATUS_LABELS[integration.status]}</strong> since {formatDateTime(integration.statusSince)}: {integration.statusReason}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Description</dt>
        <dd>{integration.description || <span className="muted">No description</span>}</dd>
        {configRows(integration.config).map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {secretLabel ? (
          <div className="fact">
            <dt>{secretLabel}</dt>
            <dd>{integration.hasSecret ? `Set — stored in ${secretStore}` : <span className="text-warn">Not set</span>}</dd>
          </div>
        ) : null}
        <div className="fact">
          <dt>{integration.status === 'error' ? 'Last attempt' : 'Last sync'}</dt>
          <dd>
            {formatDateTime(integration.lastSyncAt)} {integration.lastSyncAt ? <span className="muted">({formatRelative(integration.lastSyncAt)})</span> : null}
            {integration.status === 'error' && integration.lastSyncAt ? <span className="text-warn"> — failed</span> : null}
          </dd>
        </div>
        {integration.status === 'error' ? (
          // The failed attempt did not replace the snapshot: what the account still holds is the last good read.
          <div className="fact">
            <dt>Last good read</dt>
            <dd data-testid="last-good-read">
              {snapshot ? (
                <>
                  {formatDateTime(snapshot.takenAt)} <span className="muted">({formatRelative(snapshot.takenAt)})</span>
                </>
              ) : (
                <span className="muted">None: no read of this directory has succeeded yet.</span>
              )}
            </dd>
          </div>
        ) : null}
        <div className="fact">
          <dt>Next sync</dt>
          <dd>{integration.enabled ? formatDateTime(integration.nextSyncAt) : 'Paused while disabled'}</dd>
        </div>
        <div className="fact">
          <dt>Last snapshot</dt>
          <dd>
            {snapshot ? (
              <>
                <span data-testid="snapshot-users">{formatCount(snapshot.users)} users</span>, {formatCount(snapshot.groups)} groups,{' '}
                {formatCount(snapshot.memberships)} memberships — {snapshot.mode}, taken {formatDateTime(snapshot.takenAt)}
              </>
            ) : (
              <span className="muted">None yet: sync to read the directory.</span>
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>Created</dt>
          <dd>{formatDateTime(integration.createdAt)}</dd>
        </div>
      </dl>
    </div>
  )
}
