import { useRef, useState } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { StatusBadge } from '../../components/status-badge.tsx'
import { TypeLabel } from '../../components/type-icon.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { DeleteDialog } from './delete-dialog.tsx'
import { DetailsTab } from './details-tab.tsx'
import { DisableDialog } from './disable-dialog.tsx'
import { HistoryTab } from './history-tab.tsx'
import { SettingsTab } from './settings-tab.tsx'
import { TestConnectionTab } from './test-connection-tab.tsx'

const TABS = [
  { id: 'details', label: 'Details' },
  { id: 'settings', label: 'Settings' },
  { id: 'test', label: 'Test Connection' },
  { id: 'history', label: 'History' },
] as const
type TabId = (typeof TABS)[number]['id']

interface IntegrationDetailProps {
  readonly integration: IntegrationView
  readonly onEdit: () => void
}

export function IntegrationDetail({ integration, onEdit }: IntegrationDetailProps) {
  const [tab, setTab] = useState<TabId>('details')
  const [dialog, setDialog] = useState<'disable' | 'delete' | null>(null)
  const runSync = useAppStore((state) => state.runSync)
  const setEnabled = useAppStore((state) => state.setIntegrationEnabled)
  const navigate = useAppStore((state) => state.navigate)
  const busy = useAppStore((state) => state.syncRequested || state.progress !== null)
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({})

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves on into the panel.
  function onTabKey(event: React.KeyboardEvent, index: number): void {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (delta === 0) return
    event.preventDefault()
    const next = TABS[(index + delta + TABS.length) % TABS.length]
    if (!next) return
    setTab(next.id)
    tabRefs.current[next.id]?.focus()
  }

  return (
    <aside className="pane" aria-labelledby="detail-title">
      <div className="pane-header">
        <div>
          <h2 id="detail-title">{integration.name}</h2>
          <div className="pane-subtitle">
            <TypeLabel type={integration.config.type} /> <StatusBadge status={integration.status} />
          </div>
        </div>
        <button type="button" className="link-button" onClick={() => navigate({ page: 'integrations' })} aria-label="Close details">
          ✕
        </button>
      </div>

      <div className="pane-actions">
        <button type="button" className="primary" disabled={busy || !integration.enabled} onClick={() => void runSync({ integration: integration.id })} title={integration.enabled ? undefined : 'Enable the integration to sync it'}>
          Sync now
        </button>
        {integration.enabled ? (
          <button type="button" onClick={() => setDialog('disable')}>
            Disable
          </button>
        ) : (
          <button type="button" onClick={() => void setEnabled(integration.id, true)}>
            Enable
          </button>
        )}
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        <button type="button" onClick={() => navigate({ page: 'migration', integrationId: integration.id })} title="Move from this integration to another one, step by step">
          Migrate…
        </button>
        <button type="button" className="danger" onClick={() => setDialog('delete')}>
          Delete
        </button>
      </div>

      <div role="tablist" aria-label="Integration" className="tabs">
        {TABS.map((item, index) => (
          <button
            key={item.id}
            ref={(element) => {
              tabRefs.current[item.id] = element
            }}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`panel-${item.id}`}
            tabIndex={tab === item.id ? 0 : -1}
            onClick={() => setTab(item.id)}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel" tabIndex={0}>
        {tab === 'details' ? <DetailsTab integration={integration} /> : null}
        {tab === 'settings' ? <SettingsTab integration={integration} /> : null}
        {tab === 'test' ? <TestConnectionTab integration={integration} /> : null}
        {tab === 'history' ? <HistoryTab integration={integration} /> : null}
      </div>

      {dialog === 'disable' ? <DisableDialog integration={integration} onClose={() => setDialog(null)} /> : null}
      {dialog === 'delete' ? <DeleteDialog integration={integration} onClose={() => setDialog(null)} /> : null}
    </aside>
  )
}
