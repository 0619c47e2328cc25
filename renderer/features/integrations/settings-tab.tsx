import { useState } from 'react'
import { IntegrationPolicySchema } from '../../../shared/domain/integration-policy.ts'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { useAppStore } from '../../store/app-store.ts'
import { fromPolicyDraft, PolicyFields, toPolicyDraft } from './policy-fields.tsx'
import { issuesByField } from './validation.ts'

export function SettingsTab({ integration }: { readonly integration: IntegrationView }) {
  const update = useAppStore((state) => state.updateIntegration)
  const [draft, setDraft] = useState(() => toPolicyDraft(integration.policy))
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const parsed = IntegrationPolicySchema.safeParse(fromPolicyDraft(draft))
  const errors = parsed.success ? {} : issuesByField(parsed.error.issues)
  const dirty = JSON.stringify(fromPolicyDraft(draft)) !== JSON.stringify(fromPolicyDraft(toPolicyDraft(integration.policy)))

  async function save(): Promise<void> {
    if (!parsed.success) return
    setSaving(true)
    const result = await update({ id: integration.id, policy: parsed.data })
    setSaving(false)
    setError(result.ok ? null : result.error.message)
  }

  return (
    <form
      className="settings-tab"
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <PolicyFields draft={draft} onChange={setDraft} errors={errors} />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!parsed.success || !dirty || saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" disabled={!dirty || saving} onClick={() => setDraft(toPolicyDraft(integration.policy))}>
          Discard changes
        </button>
      </div>
    </form>
  )
}
