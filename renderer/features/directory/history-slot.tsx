import { useId } from 'react'
import type { DirectoryTarget } from './directory-route.ts'

/**
 * HISTORY PLACEHOLDER — the user's or group's change history goes here. The journal feature
 * (renderer/features/journal/, owned by another engineer) inserts its object-history component in
 * this section, one line, e.g. `<ObjectHistory subject={subject} />`; the directory feature does
 * not build journal views itself.
 */
export function HistorySlot({ subject }: { readonly subject: DirectoryTarget }) {
  const id = useId()
  return (
    <section className="history-slot" aria-labelledby={id} data-history-subject={`${subject.type}:${subject.key}`}>
      <h3 id={id}>History</h3>
      {/* History: the journal's object-history component for `subject` goes here. */}
    </section>
  )
}
