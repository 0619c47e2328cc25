import { useState } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { Dialog } from '../../components/dialog.tsx'
import { useAppStore } from '../../store/app-store.ts'

/** Disabling is not local: it pauses destructive actions of every integration. Say so, then confirm. */
export function DisableDialog({ integration, onClose }: { readonly integration: IntegrationView; readonly onClose: () => void }) {
  const setEnabled = useAppStore((state) => state.setIntegrationEnabled)
  const [working, setWorking] = useState(false)

  return (
    <Dialog
      title={`Disable “${integration.name}”?`}
      tone="danger"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={working}
            onClick={() => {
              setWorking(true)
              void setEnabled(integration.id, false).then(onClose)
            }}
          >
            Disable integration
          </button>
        </>
      }
    >
      <p>
        <strong>While this integration is disabled, destructive actions are paused for ALL integrations on the account</strong> — not only this one: no
        user is removed from a group, no address type is downgraded, and no user or group is deleted. They are held and listed under Held actions.
      </p>
      <p>Additions and updates keep applying. This integration is not read while disabled; its last good snapshot still counts.</p>
      <p>Disable only for a planned maintenance window or a migration, then enable it again — or delete it when it is no longer needed.</p>
    </Dialog>
  )
}
