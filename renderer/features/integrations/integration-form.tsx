import { useId, useState } from 'react'
import { changedEndpointSettings, endpointChangeReason } from '../../../shared/domain/endpoint-settings.ts'
import { SECRET_LABELS, type IntegrationConfig } from '../../../shared/domain/integration-config.ts'
import { DEFAULT_POLICY, IntegrationPolicySchema } from '../../../shared/domain/integration-policy.ts'
import { INTEGRATION_TYPE_LABELS, INTEGRATION_TYPES, type IntegrationType } from '../../../shared/domain/integration-type.ts'
import { IntegrationDescriptionSchema, IntegrationNameSchema, type IntegrationView } from '../../../shared/domain/integration.ts'
import { DRAFT_TEST_ID } from '../../../shared/domain/connection-test.ts'
import { useAppStore } from '../../store/app-store.ts'
import { ConnectionLadder } from './connection-ladder.tsx'
import { FieldError } from './field-error.tsx'
import { FIELDS, fromFieldValues, SETTINGS_SCHEMAS, toFieldValues, type FieldSpec, type FieldValues } from './integration-fields.ts'
import { fromPolicyDraft, PolicyFields, toPolicyDraft } from './policy-fields.tsx'
import { issuesByField } from './validation.ts'

interface IntegrationFormProps {
  /** Absent: create. */
  readonly existing?: IntegrationView
  readonly onCancel: () => void
  readonly onSaved: (id: string) => void
}

type SecretMode = 'keep' | 'replace' | 'clear'

/** A PEM certificate, or a Google service-account key: checked here so the admin hears it at once. */
function secretProblem(type: IntegrationType, secret: string, required: boolean): string | undefined {
  const text = secret.trim()
  if (text === '') return required ? 'this integration cannot connect without it' : undefined
  if (type === 'google') {
    try {
      const key = JSON.parse(text) as Record<string, unknown>
      if (typeof key['client_email'] !== 'string' || typeof key['private_key'] !== 'string') return 'the JSON key must contain client_email and private_key'
    } catch {
      return 'this is not a JSON key file'
    }
  }
  return undefined
}

function readFile(file: File): Promise<string> {
  return file.text()
}

export function IntegrationForm({ existing, onCancel, onSaved }: IntegrationFormProps) {
  const create = useAppStore((state) => state.createIntegration)
  const update = useAppStore((state) => state.updateIntegration)
  const secretStore = useAppStore((state) => state.secretStore)
  const secretStoreAvailable = useAppStore((state) => state.secretStoreAvailable)
  const testDraft = useAppStore((state) => state.testDraft)
  const testKey = existing?.id ?? DRAFT_TEST_ID
  const test = useAppStore((state) => (state.connectionTest?.integrationId === testKey ? state.connectionTest : null))
  const id = useId()

  const [type, setType] = useState<IntegrationType>(existing?.config.type ?? 'ldif-file')
  const [name, setName] = useState(existing?.name ?? '')
  const [description, setDescription] = useState(existing?.description ?? '')
  const [values, setValues] = useState<FieldValues>(() => toFieldValues(type, existing ? existing.config.settings : null))
  const [policy, setPolicy] = useState(() => toPolicyDraft(DEFAULT_POLICY))
  const [secret, setSecret] = useState('')
  const [secretMode, setSecretMode] = useState<SecretMode>(existing?.hasSecret ? 'keep' : 'replace')
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set())
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)
  /** Test before save: the ladder is shown from the first save; a failure offers "Save anyway". */
  const [phase, setPhase] = useState<'editing' | 'testing' | 'test-failed'>('editing')
  const [ladderShown, setLadderShown] = useState(false)

  const keep = existing ? (existing.config.settings as Readonly<Record<string, unknown>>) : {}
  const settings = fromFieldValues(type, values, keep)
  const settingsResult = SETTINGS_SCHEMAS[type].safeParse(settings)
  const nameResult = IntegrationNameSchema.safeParse(name)
  const descriptionResult = IntegrationDescriptionSchema.safeParse(description)
  const policyResult = IntegrationPolicySchema.safeParse(fromPolicyDraft(policy))
  const secretLabel = SECRET_LABELS[type]
  const secretRequired = !existing && (type === 'entra' || type === 'google')
  // Re-pointing an integration does not carry its stored secret along: the admin hears it before saving.
  const endpointChanged = existing?.hasSecret && settingsResult.success ? changedEndpointSettings(existing.config, { type, settings: settingsResult.data } as IntegrationConfig) : []
  const secretNeeded = endpointChanged.length > 0 && secretMode !== 'clear'
  const secretError = !secretLabel
    ? undefined
    : secretNeeded && (secretMode === 'keep' || secret.trim() === '')
      ? endpointChangeReason(endpointChanged)
      : secretMode === 'replace'
        ? secretProblem(type, secret, secretRequired)
        : undefined

  const errors: Record<string, string> = {
    ...(settingsResult.success ? {} : issuesByField(settingsResult.error.issues)),
    ...(nameResult.success ? {} : { name: nameResult.error.issues[0]?.message ?? 'invalid name' }),
    ...(descriptionResult.success ? {} : { description: descriptionResult.error.issues[0]?.message ?? 'invalid description' }),
    ...(secretError ? { secret: secretError } : {}),
  }
  const valid = Object.keys(errors).length === 0 && (existing !== undefined || policyResult.success)
  const shown = (key: string) => (submitted || touched.has(key) ? errors[key] : undefined)
  const touch = (key: string) => setTouched((current) => (current.has(key) ? current : new Set([...current, key])))

  function setField(key: string, value: string | boolean): void {
    setValues((current) => ({ ...current, [key]: value }))
    touch(key)
  }

  function changeType(next: IntegrationType): void {
    setType(next)
    setValues(toFieldValues(next, null))
    setSecret('')
    setTouched(new Set())
  }

  /**
   * Create, and Edit when the connection or its secret changed, run the connection test first and
   * save only on a pass — or when the admin chose "Save anyway" (`force`) after reading what that means.
   */
  async function submit(force = false): Promise<void> {
    setSubmitted(true)
    if (!valid || !settingsResult.success) return
    setServerError(null)
    const config = { type, settings: settingsResult.data } as IntegrationConfig
    const secretField = !secretLabel ? {} : secretMode === 'replace' && secret.trim() !== '' ? { secret } : secretMode === 'clear' ? { secret: null } : {}
    const connectionChanged = !existing || JSON.stringify(config.settings) !== JSON.stringify(existing.config.settings) || 'secret' in secretField
    if (connectionChanged && !force) {
      setPhase('testing')
      setLadderShown(true)
      const steps = await testDraft({ ...(existing ? { id: existing.id } : {}), config, ...secretField })
      if (steps === null || steps.some((step) => step.verdict === 'fail')) {
        setPhase('test-failed')
        return
      }
    }
    setPhase('editing')
    setSaving(true)
    const result = existing
      ? await update({ id: existing.id, name, description, config, ...secretField })
      : await create({ name, description, config, policy: policyResult.success ? policyResult.data : {}, enabled: true, ...secretField })
    setSaving(false)
    if (result.ok) onSaved(result.value.id)
    else setServerError(result.error.message)
  }

  const visible = FIELDS[type].filter((field) => !field.when || field.when(values))
  const basic = visible.filter((field) => !field.advanced)
  const advanced = visible.filter((field) => field.advanced)

  const renderField = (field: FieldSpec) => (
    <FormField key={`${type}-${field.key}`} field={field} id={`${id}-${field.key}`} value={values[field.key] ?? ''} error={shown(field.key)} onChange={(value) => setField(field.key, value)} onBlur={() => touch(field.key)} />
  )

  return (
    <aside className="pane" aria-labelledby={`${id}-title`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void submit(false)
        }}
      >
        <div className="pane-header">
          <h2 id={`${id}-title`}>{existing ? `Edit “${existing.name}”` : 'Create New Integration'}</h2>
        </div>
        {secretLabel && !secretStoreAvailable ? (
          <div className="form-error" role="note" aria-label="Secrets cannot be stored">
            <p>
              <strong>This console cannot store a {secretLabel.toLowerCase()}</strong>, so {INTEGRATION_TYPE_LABELS[type]} cannot be saved with one.
            </p>
            <p>{secretStore.replace(/^none: /, '')}</p>
          </div>
        ) : null}
        {serverError ? (
          <p className="form-error" role="alert">
            {serverError}
          </p>
        ) : null}

        <fieldset>
          <legend>Details</legend>
          <div className="field">
            <label htmlFor={`${id}-type`}>Type</label>
            <select id={`${id}-type`} value={type} disabled={existing !== undefined} onChange={(event) => changeType(event.target.value as IntegrationType)}>
              {INTEGRATION_TYPES.map((option) => (
                <option key={option} value={option}>
                  {INTEGRATION_TYPE_LABELS[option]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              value={name}
              maxLength={200}
              onChange={(event) => {
                setName(event.target.value)
                touch('name')
              }}
              aria-invalid={shown('name') ? true : undefined}
              aria-describedby={shown('name') ? `${id}-name-error` : undefined}
            />
            <FieldError id={`${id}-name-error`} message={shown('name')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-description`}>Description</label>
            <input
              id={`${id}-description`}
              value={description}
              onChange={(event) => {
                setDescription(event.target.value)
                touch('description')
              }}
              aria-invalid={shown('description') ? true : undefined}
            />
            <FieldError message={shown('description')} />
          </div>
        </fieldset>

        <fieldset>
          <legend>Connection</legend>
          {basic.map(renderField)}
          {advanced.length > 0 ? (
            <details>
              <summary>Advanced</summary>
              {advanced.map(renderField)}
            </details>
          ) : null}
        </fieldset>

        {secretLabel ? (
          <fieldset>
            <legend>{secretLabel}</legend>
            {existing?.hasSecret && secretMode !== 'replace' ? (
              <div className="secret-set">
                <p>{secretMode === 'clear' ? 'Will be removed when you save.' : `Set — stored in ${secretStore}. It is never shown again.`}</p>
                {secretNeeded ? (
                  <p className="field-error" role="alert">
                    {endpointChangeReason(endpointChanged)}
                  </p>
                ) : null}
                <button type="button" onClick={() => setSecretMode('replace')}>
                  Replace
                </button>{' '}
                {secretMode === 'clear' ? (
                  <button type="button" onClick={() => setSecretMode('keep')}>
                    Keep it
                  </button>
                ) : (
                  <button type="button" onClick={() => setSecretMode('clear')}>
                    Remove
                  </button>
                )}
              </div>
            ) : (
              <SecretInput type={type} id={`${id}-secret`} label={secretLabel} value={secret} onChange={(value) => {
                setSecret(value)
                touch('secret')
              }} error={shown('secret')} secretStore={secretStore} />
            )}
          </fieldset>
        ) : null}

        {existing ? null : <PolicyFields draft={policy} onChange={setPolicy} errors={policyResult.success ? {} : issuesByField(policyResult.error.issues)} />}

        {ladderShown && test ? (
          <section className="form-test" aria-label="Connection test before saving">
            <h3>Connection test</h3>
            <ConnectionLadder test={test} />
            {phase === 'test-failed' ? (
              <div className="save-anyway">
                <p>
                  Nothing was saved. Correct the settings and save again — or save anyway: <strong>{name.trim() || 'this integration'}</strong> will be{' '}
                  <strong>in error</strong> after its first sync, and while it is in error, destructive actions are paused for every integration of
                  the account.
                </p>
                <button type="button" className="danger" onClick={() => void submit(true)}>
                  Save anyway
                </button>
              </div>
            ) : null}
          </section>
        ) : null}

        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving || phase === 'testing'}>
            {phase === 'testing' ? 'Testing the connection…' : saving ? 'Saving…' : existing ? 'Save changes' : 'Create integration'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          {submitted && !valid ? (
            <span className="text-error" role="status">
              Correct the fields marked above.
            </span>
          ) : null}
        </div>
      </form>
    </aside>
  )
}

interface FormFieldProps {
  readonly field: FieldSpec
  readonly id: string
  readonly value: string | boolean
  readonly error: string | undefined
  readonly onChange: (value: string | boolean) => void
  readonly onBlur: () => void
}

function FormField({ field, id, value, error, onChange, onBlur }: FormFieldProps) {
  const helpId = field.help ? `${id}-help` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined
  const label = `${field.label}${field.optional ? ' (optional)' : ''}`

  if (field.kind === 'checkbox') {
    return (
      <div className="field field-check">
        <input type="checkbox" id={id} checked={value === true} onChange={(event) => onChange(event.target.checked)} aria-describedby={describedBy} />
        <label htmlFor={id}>{field.label}</label>
        {field.help ? (
          <p id={helpId} className="help">
            {field.help}
          </p>
        ) : null}
      </div>
    )
  }
  const text = typeof value === 'string' ? value : ''
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {field.kind === 'select' ? (
        <select id={id} value={text} onChange={(event) => onChange(event.target.value)} aria-describedby={describedBy}>
          {field.options?.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : field.kind === 'pem-file' ? (
        <PemField id={id} value={text} onChange={onChange} describedBy={describedBy} />
      ) : (
        <input
          id={id}
          type="text"
          inputMode={field.kind === 'number' ? 'numeric' : undefined}
          value={text}
          placeholder={field.placeholder}
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
          onBlur={onBlur}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
      {field.help ? (
        <p id={helpId} className="help">
          {field.help}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  )
}

/** A CA certificate is picked as a file and kept as PEM text (it is public, not a secret). */
function PemField({ id, value, onChange, describedBy }: { readonly id: string; readonly value: string; readonly onChange: (value: string) => void; readonly describedBy: string | undefined }) {
  const [problem, setProblem] = useState<string | null>(null)
  return (
    <div className="pem-field">
      <input
        id={id}
        type="file"
        accept=".pem,.crt,.cer,.txt"
        aria-describedby={describedBy}
        onChange={(event) => {
          const file = event.target.files?.[0]
          if (!file) return
          void readFile(file).then((text) => {
            if (!text.includes('-----BEGIN CERTIFICATE-----')) {
              setProblem(`${file.name} is not a PEM certificate (no “BEGIN CERTIFICATE” line).`)
              return
            }
            setProblem(null)
            onChange(text)
          })
        }}
      />
      {value ? (
        <p className="small">
          A certificate is set.{' '}
          <button type="button" className="link-button" onClick={() => onChange('')}>
            Remove it
          </button>
        </p>
      ) : null}
      {problem ? <FieldError message={problem} /> : null}
    </div>
  )
}

interface SecretInputProps {
  readonly type: IntegrationType
  readonly id: string
  readonly label: string
  readonly value: string
  readonly onChange: (value: string) => void
  readonly error: string | undefined
  readonly secretStore: string
}

/** Entered once; sent to the core, which keeps it in the keychain; never read back. */
function SecretInput({ type, id, label, value, onChange, error, secretStore }: SecretInputProps) {
  const multiline = type === 'google' || type === 'entra'
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} rows={4} value={value} spellCheck={false} autoComplete="off" onChange={(event) => onChange(event.target.value)} aria-invalid={error ? true : undefined} />
      ) : (
        <input id={id} type="password" value={value} autoComplete="new-password" onChange={(event) => onChange(event.target.value)} aria-invalid={error ? true : undefined} />
      )}
      {type === 'google' ? (
        <div className="file-pick">
          <label htmlFor={`${id}-file`}>Or choose the JSON key file</label>
          <input id={`${id}-file`} type="file" accept=".json,application/json" onChange={(event) => {
            const file = event.target.files?.[0]
            if (file) void readFile(file).then(onChange)
          }} />
        </div>
      ) : null}
      <p className="help">{secretStore.startsWith('none: ') ? 'It cannot be stored by this console (see above).' : `Stored in ${secretStore} when you save, and never shown again.`}</p>
      <FieldError message={error} />
    </div>
  )
}
