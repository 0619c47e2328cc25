import type { HeldAction } from '../../../shared/domain/sync-action.ts'
import { Dialog } from '../../components/dialog.tsx'
import { historySubjectOf } from './journal-words.tsx'
import { ObjectHistory } from './object-history.tsx'

/**
 * A held action's journal entries — when it was held, by which blocker or threshold, any approval,
 * and later its application or release — inside the history of the user (or group) it is about,
 * which one click widens to the whole history.
 */
export function HeldActionHistory({ action, onClose }: { readonly action: HeldAction; readonly onClose: () => void }) {
  const subject = historySubjectOf(action)
  return (
    <Dialog
      title={`${subject.type === 'user' ? 'User' : 'Group'} ${subject.key}`}
      onClose={onClose}
      wide
      footer={
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      }
    >
      <p className="small">{action.detail}</p>
      <ObjectHistory subject={subject} actionId={action.id} headingLevel={3} />
    </Dialog>
  )
}
