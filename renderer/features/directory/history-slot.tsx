import { useId } from 'react'
import { ObjectHistory } from '../journal/object-history.tsx'
import type { DirectoryTarget } from './directory-route.ts'

/**
 * The user's or group's change history: the journal feature's object-history component
 * (renderer/features/journal/) in this section; the directory feature does not build journal views itself.
 */
export function HistorySlot({ subject }: { readonly subject: DirectoryTarget }) {
  const id = useId()
  return (
    <section className="history-slot" aria-labelledby={id} data-history-subject={`${subject.type}:${subject.key}`}>
      <h3 id={id}>History</h3>
      <ObjectHistory subject={subject} layout="narrow" titled={false} />
    </section>
  )
}
