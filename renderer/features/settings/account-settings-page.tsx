import { useEffect, useId, useState } from 'react'
import { AccountSettingsSchema, type AccountSettings } from '../../../shared/domain/account.ts'
import { LoadError } from '../../components/empty-state.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { FieldError } from '../integrations/field-error.tsx'
import { issuesByField } from '../integrations/validation.ts'
import { changedFields, fromAccountDraft, toAccountDraft, type AccountSettingsDraft } from './account-settings-draft.ts'
import { UnsavedChangesGuard } from './unsaved-changes.tsx'

export function AccountSettingsPage() {
  const settings = useAppStore((state) => state.accountSettings)
  const load = useAppStore((state) => state.accountSettingsLoad)
  const loadSettings = useAppStore((state) => state.loadAccountSettings)

  useEffect(() => {
    void loadSettings()
  }, [loadSettings])

  if (load.error && !settings) return <LoadError message={load.error} onRetry={() => void loadSettings()} />
  if (!settings) return <p aria-busy="true">Loading the account settings…</p>
  // Keyed by what is saved: a save (here or from the CLI) starts the form again from the new values.
  return <AccountSettingsForm key={JSON.stringify(settings)} saved={settings} />
}

function AccountSettingsForm({ saved }: { readonly saved: AccountSettings }) {
  const save = useAppStore((state) => state.saveAccountSettings)
  const [draft, setDraft] = useState<AccountSettingsDraft>(() => toAccountDraft(saved))
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const id = useId()

  const parsed = AccountSettingsSchema.safeParse(fromAccountDraft(draft))
  const errors = parsed.success ? {} : issuesByField(parsed.error.issues)
  const changes = parsed.success ? changedFields(saved, parsed.data) : null
  const dirty = JSON.stringify(fromAccountDraft(draft)) !== JSON.stringify(fromAccountDraft(toAccountDraft(saved)))
  const edit = (patch: Partial<AccountSettingsDraft>) => setDraft({ ...draft, ...patch })

  async function submit(): Promise<void> {
    if (!changes || Object.keys(changes).length === 0) return
    setSaving(true)
    setError(await save(changes))
    setSaving(false)
  }

  return (
    <form
      className="account-settings"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <fieldset>
        <legend>Addresses</legend>
        <div className="field">
          <label htmlFor={`${id}-domains`}>Internal domains</label>
          <textarea
            id={`${id}-domains`}
            rows={4}
            value={draft.internalDomains}
            placeholder="example.com"
            onChange={(event) => edit({ internalDomains: event.target.value })}
            aria-describedby={`${id}-domains-help`}
          />
          <p id={`${id}-domains-help`} className="help">
            One per line. Addresses outside these domains are not added to the account; each run lists them under “Ignored addresses”. Empty: every domain
            counts as internal.
          </p>
          <FieldError message={errors['internalDomains']} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Scheduled Sync All</legend>
        <div className="field field-check">
          <input type="checkbox" id={`${id}-enabled`} checked={draft.scheduleEnabled} onChange={(event) => edit({ scheduleEnabled: event.target.checked })} />
          <label htmlFor={`${id}-enabled`}>Run Sync All on a schedule</label>
        </div>
        <div className="field">
          <label htmlFor={`${id}-times`}>Times</label>
          <input
            id={`${id}-times`}
            value={draft.schedule}
            disabled={!draft.scheduleEnabled}
            onChange={(event) => edit({ schedule: event.target.value })}
            aria-invalid={errors['schedule'] ? true : undefined}
            aria-describedby={`${id}-times-help`}
          />
          <p id={`${id}-times-help`} className="help">
            Local times of this computer, 24-hour, comma-separated. Default 08:00, 13:00, 23:00. A run is only started while the console (or the browser
            host) is running.
          </p>
          <FieldError message={errors['schedule'] ? 'times are HH:MM, 24-hour, for example 08:00, 13:00' : undefined} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Retention</legend>
        <div className="field">
          <label htmlFor={`${id}-retention`}>Keep deleted users (days)</label>
          <input
            id={`${id}-retention`}
            type="number"
            inputMode="numeric"
            min={0}
            max={3650}
            value={draft.retentionDays}
            onChange={(event) => edit({ retentionDays: event.target.value })}
            aria-invalid={errors['retentionDays'] ? true : undefined}
            aria-describedby={`${id}-retention-help`}
          />
          <p id={`${id}-retention-help`} className="help">
            A user deleted by an integration with “Delete users” on is kept this long, then purged. Default 30.
          </p>
          <FieldError message={errors['retentionDays'] ? 'enter a whole number of days from 0 to 3,650' : undefined} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-journal`}>Keep the change journal (days)</label>
          <input
            id={`${id}-journal`}
            type="number"
            inputMode="numeric"
            min={1}
            max={36500}
            value={draft.journalRetentionDays}
            onChange={(event) => edit({ journalRetentionDays: event.target.value })}
            aria-invalid={errors['journalRetentionDays'] ? true : undefined}
            aria-describedby={`${id}-journal-help`}
          />
          <p id={`${id}-journal-help`} className="help">
            What each run did to each user and group (run details, a user’s history). Older entries are removed at the end of a run; the audit log is
            never pruned. Default 400.
          </p>
          <FieldError message={errors['journalRetentionDays'] ? 'enter a whole number of days from 1 to 36,500' : undefined} />
        </div>
      </fieldset>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <UnsavedChangesGuard reason={dirty ? 'The account settings have unsaved changes.' : null} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!parsed.success || !dirty || saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" disabled={!dirty || saving} onClick={() => setDraft(toAccountDraft(saved))}>
          Discard changes
        </button>
      </div>
    </form>
  )
}
