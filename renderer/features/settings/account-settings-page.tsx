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
        <DaysField
          label="Keep deleted users (days)"
          value={draft.retentionDays}
          min={0}
          max={3650}
          error={errors['retentionDays']}
          onChange={(retentionDays) => edit({ retentionDays })}
          help="A user deleted by an integration with “Delete users” on is kept this long, then purged. Default 30."
        />
        <DaysField
          label="Keep the change journal (days)"
          value={draft.journalRetentionDays}
          min={1}
          max={36500}
          error={errors['journalRetentionDays']}
          onChange={(journalRetentionDays) => edit({ journalRetentionDays })}
          help="What each run did to each user and group (run details, a user’s history). Older entries are removed at the end of a run; the audit log is never pruned. Default 400."
        />
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

interface DaysFieldProps {
  readonly label: string
  readonly value: string
  readonly min: number
  readonly max: number
  readonly error: string | undefined
  readonly help: string
  readonly onChange: (value: string) => void
}

/** A whole number of days, with its range in the error so the admin knows what is allowed. */
function DaysField({ label, value, min, max, error, help, onChange }: DaysFieldProps) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
      />
      <p id={`${id}-help`} className="help">
        {help}
      </p>
      <FieldError message={error ? `enter a whole number of days from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}` : undefined} />
    </div>
  )
}
