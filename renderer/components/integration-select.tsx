import { integrationLabel, type IntegrationNameEntry } from '../../shared/domain/integration.ts'

interface IntegrationSelectProps {
  readonly id: string
  readonly label: string
  /** The integrations offered, in this order; deleted ones read "Name (deleted)". */
  readonly entries: readonly IntegrationNameEntry[]
  /** An integration id, or null for all of them. */
  readonly value: string | null
  readonly onChange: (integrationId: string | null) => void
}

/** The integration filter of a list: "All integrations", then each integration by its name. */
export function IntegrationSelect({ id, label, entries, value, onChange }: IntegrationSelectProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">All integrations</option>
        {entries.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {integrationLabel(entry)}
          </option>
        ))}
      </select>
    </div>
  )
}
