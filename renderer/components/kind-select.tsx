import { ACTION_KIND_LABELS, type ActionKind } from '../../shared/domain/sync-action.ts'

interface KindSelectProps {
  readonly id: string
  /** The kinds offered, in the action kind table's order (held actions offer only destructive ones). */
  readonly kinds: readonly ActionKind[]
  readonly value: ActionKind | null
  readonly onChange: (kind: ActionKind | null) => void
}

/** The "Kind" filter of every list of actions: "All kinds", then each kind by its label. */
export function KindSelect({ id, kinds, value, onChange }: KindSelectProps) {
  return (
    <div className="field">
      <label htmlFor={id}>Kind</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(kinds.find((kind) => kind === event.target.value) ?? null)}>
        <option value="">All kinds</option>
        {kinds.map((kind) => (
          <option key={kind} value={kind}>
            {ACTION_KIND_LABELS[kind]}
          </option>
        ))}
      </select>
    </div>
  )
}
