import { useState } from 'react'
import type { MigrationView } from '../../../shared/domain/migration.ts'
import { Dialog } from '../../components/dialog.tsx'
import { useAppStore } from '../../store/app-store.ts'

/** While the old integration is disabled for the window, every step says what that pauses. */
export function WindowNote({ migration }: { readonly migration: MigrationView }) {
  if (!migration.oldDisabledForWindow || migration.step === 'done') return null
  return (
    <p className="note-box note-box-warn" role="note">
      <strong>{migration.oldIntegrationName}</strong> is disabled for the migration window: destructive actions are paused for ALL integrations on the
      account. The cut-over deletes it, which ends the pause.
    </p>
  )
}

/** Step 2's offer: disable the old integration for the window — and say plainly that the pause is account-wide. */
export function DisableOldOffer({ migration }: { readonly migration: MigrationView }) {
  const disableOld = useAppStore((state) => state.disableOldForMigration)
  const work = useAppStore((state) => state.migrationWork)
  const [confirming, setConfirming] = useState(false)

  if (migration.oldDisabledForWindow) {
    return (
      <section className="wizard-card" aria-labelledby="freeze-title">
        <h3 id="freeze-title">Migration window</h3>
        <p>
          <strong>{migration.oldIntegrationName}</strong> is disabled: destructive actions are paused for all integrations until the cut-over.
        </p>
      </section>
    )
  }
  return (
    <section className="wizard-card" aria-labelledby="freeze-title">
      <h3 id="freeze-title">Optional: pause destructive actions for the window</h3>
      <p>
        You may disable <strong>{migration.oldIntegrationName}</strong> while you migrate. That pauses <strong>all destructive actions account-wide</strong>{' '}
        — for every integration, not only this one: no user is removed from a group, no address type is downgraded, no user or group is deleted.
        Additions and updates keep applying. The pause ends when the cut-over deletes {migration.oldIntegrationName}.
      </p>
      <button type="button" disabled={work !== null} onClick={() => setConfirming(true)}>
        Disable {migration.oldIntegrationName} for the window…
      </button>
      {confirming ? (
        <Dialog
          title={`Disable “${migration.oldIntegrationName}” for the migration window?`}
          tone="danger"
          onClose={() => setConfirming(false)}
          footer={
            <>
              <button type="button" onClick={() => setConfirming(false)} data-autofocus>
                Cancel
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setConfirming(false)
                  void disableOld()
                }}
              >
                Disable and pause destructive actions
              </button>
            </>
          }
        >
          <p>
            <strong>This pauses destructive actions for ALL integrations on the account</strong>, not only {migration.oldIntegrationName}: they are held
            and listed under Held actions until the cut-over deletes it (or you enable it again).
          </p>
          <p>{migration.oldIntegrationName} is not read while disabled; its last good snapshot still counts, so nobody loses an address meanwhile.</p>
        </Dialog>
      ) : null}
    </section>
  )
}
