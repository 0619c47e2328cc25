import { ACTION_KIND_LABELS, ActionKindSchema } from '../../../shared/domain/sync-action.ts'
import { formatCount } from '../../components/format.ts'

/** "Remove member: 12 · Downgrade address type: 3" — labels from the domain, zero counts left out. */
export function HeldCounts({ counts }: { readonly counts: Readonly<Record<string, number>> }) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0)
  if (entries.length === 0) return <span>No actions are held yet; they will be at the next sync.</span>
  return (
    <ul className="held-counts">
      {entries.map(([kind, n]) => {
        const parsed = ActionKindSchema.safeParse(kind)
        return (
          <li key={kind}>
            {parsed.success ? ACTION_KIND_LABELS[parsed.data] : kind}: <strong>{formatCount(n)}</strong>
          </li>
        )
      })}
    </ul>
  )
}
