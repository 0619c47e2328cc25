import { useId } from 'react'
import { MAX_UNLINKS_CHOICES, type IntegrationPolicy } from '../../../shared/domain/integration-policy.ts'
import { FieldError } from './field-error.tsx'

/** The policy as the form holds it: domains as typed text, so commas and new lines can be edited freely. */
export interface PolicyDraft {
  readonly acknowledgeDisabledAccounts: boolean
  readonly deleteUsers: boolean
  readonly maxUnlinks: IntegrationPolicy['maxUnlinks']
  readonly shrinkGuardPercent: string
  readonly domains: string
}

export function toPolicyDraft(policy: IntegrationPolicy): PolicyDraft {
  return { ...policy, shrinkGuardPercent: String(policy.shrinkGuardPercent), domains: policy.domains.join(', ') }
}

export function fromPolicyDraft(draft: PolicyDraft): Record<string, unknown> {
  return {
    acknowledgeDisabledAccounts: draft.acknowledgeDisabledAccounts,
    deleteUsers: draft.deleteUsers,
    maxUnlinks: draft.maxUnlinks,
    shrinkGuardPercent: draft.shrinkGuardPercent.trim() === '' ? Number.NaN : Number(draft.shrinkGuardPercent),
    domains: draft.domains
      .split(/[\s,;]+/)
      .map((domain) => domain.trim().toLowerCase())
      .filter(Boolean),
  }
}

interface PolicyFieldsProps {
  readonly draft: PolicyDraft
  readonly onChange: (draft: PolicyDraft) => void
  readonly errors: Readonly<Record<string, string>>
}

/** Settings as the cloud console has them, plus the shrink guard it lacks. */
export function PolicyFields({ draft, onChange, errors }: PolicyFieldsProps) {
  const id = useId()
  return (
    <fieldset className="policy-fields">
      <legend>Synchronization settings</legend>
      <div className="field field-check">
        <input
          type="checkbox"
          id={`${id}-ack`}
          checked={draft.acknowledgeDisabledAccounts}
          onChange={(event) => onChange({ ...draft, acknowledgeDisabledAccounts: event.target.checked })}
          aria-describedby={`${id}-ack-help`}
        />
        <label htmlFor={`${id}-ack`}>Acknowledge disabled accounts</label>
        <p id={`${id}-ack-help`} className="help">
          A user disabled in the directory is disabled in the account at the next sync.
        </p>
      </div>
      <div className="field field-check">
        <input
          type="checkbox"
          id={`${id}-delete`}
          checked={draft.deleteUsers}
          onChange={(event) => onChange({ ...draft, deleteUsers: event.target.checked })}
          aria-describedby={`${id}-delete-help`}
        />
        <label htmlFor={`${id}-delete`}>Delete users</label>
        <p id={`${id}-delete-help`} className="help">
          Off (default): a user removed from the directory is kept and its addresses become “Created by Message in Transit”. On: the user is deleted, then
          purged after the retention period.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-max`}>Maximum unlinks per sync</label>
        <select
          id={`${id}-max`}
          value={String(draft.maxUnlinks)}
          onChange={(event) => onChange({ ...draft, maxUnlinks: event.target.value === 'unlimited' ? 'unlimited' : Number(event.target.value) })}
          aria-describedby={`${id}-max-help`}
        >
          {MAX_UNLINKS_CHOICES.map((choice) => (
            <option key={choice} value={String(choice)}>
              {choice === 'unlimited' ? 'Unlimited' : choice.toLocaleString()}
            </option>
          ))}
        </select>
        <p id={`${id}-max-help`} className="help">
          When one sync would make more destructive changes than this for this integration, all of them wait for approval. Default 500.
        </p>
        <FieldError message={errors['maxUnlinks']} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-shrink`}>Shrink guard (%)</label>
        <input
          id={`${id}-shrink`}
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          value={draft.shrinkGuardPercent}
          onChange={(event) => onChange({ ...draft, shrinkGuardPercent: event.target.value })}
          aria-invalid={errors['shrinkGuardPercent'] ? true : undefined}
          aria-describedby={`${id}-shrink-help`}
        />
        <p id={`${id}-shrink-help`} className="help">
          A read with this much fewer objects than the last one is rejected and the last good snapshot kept. Default 50.
        </p>
        <FieldError message={errors['shrinkGuardPercent'] ? 'enter a whole number from 1 to 100' : undefined} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-domains`}>Domains</label>
        <input
          id={`${id}-domains`}
          value={draft.domains}
          placeholder="All internal domains"
          onChange={(event) => onChange({ ...draft, domains: event.target.value })}
          aria-describedby={`${id}-domains-help`}
        />
        <p id={`${id}-domains-help`} className="help">
          Comma-separated. Only addresses in these domains are taken from this integration; empty means all internal domains.
        </p>
        <FieldError message={errors['domains']} />
      </div>
    </fieldset>
  )
}
