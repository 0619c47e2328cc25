import type { JournalEntry, JournalEvent } from '../../../shared/domain/journal.ts'
import { ACTION_KIND_LABELS, ACTION_KIND_TABLE } from '../../../shared/domain/sync-action.ts'
import { LocalTime } from '../../components/local-time.tsx'

/** What happened to the action, in the console's words and badge colours. */
export const EVENT_WORDS: Readonly<Record<JournalEvent, { readonly label: string; readonly badge: string }>> = {
  applied: { label: 'Applied', badge: 'badge-ok' },
  held: { label: 'Held', badge: 'badge-error' },
  approved: { label: 'Approved', badge: 'badge-outcome-warn' },
  released: { label: 'Released', badge: 'badge-never-synced' },
}

export function EventBadge({ event }: { readonly event: JournalEvent }) {
  return <span className={`badge ${EVENT_WORDS[event].badge}`}>{EVENT_WORDS[event].label}</span>
}

/** "Add member", "Downgrade address type": the action kind table's label. */
export function kindWord(entry: JournalEntry): string {
  return ACTION_KIND_LABELS[entry.kind]
}

/** The object an entry is about: a membership names the member and the group. */
export function entryObject(entry: JournalEntry): string {
  return entry.member ? `${entry.member} in ${entry.target}` : entry.target
}

/** The integrations the action came from, by the names they had then. */
export function integrationWords(entry: JournalEntry): string {
  return entry.integrations.map((integration) => integration.name).join(', ') || '—'
}

/** Whose history an entry or a held action belongs to: the member of a membership, else its target. */
export function historySubjectOf(action: { readonly kind: JournalEntry['kind']; readonly target: string; readonly member?: string | null | undefined }): { readonly type: 'user' | 'group'; readonly key: string } {
  if (action.member) return { type: 'user', key: action.member }
  const subject = ACTION_KIND_TABLE[action.kind].subject
  return { type: subject === 'user' || subject === 'address' ? 'user' : 'group', key: action.target }
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g

/**
 * A reason as the core wrote it ("Paused: HR (disabled since 2026-12-06T07:00:00.000Z)…") with each
 * UTC time shown in local time, the UTC value on hover — the console's rule for every time.
 */
export function LocalisedText({ text }: { readonly text: string }) {
  const parts: React.ReactNode[] = []
  let last = 0
  for (const match of text.matchAll(ISO_TIME)) {
    parts.push(text.slice(last, match.index), <LocalTime key={match.index} iso={match[0]} />)
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  return <>{parts}</>
}

/** Why, in one line: the reason's text (blocker and since when, threshold, approver); null for a plain change. */
export function whyText(entry: JournalEntry): string | null {
  const reason = entry.reason
  if (!reason) return null
  // An approval's own entry carries the hold's text; who approved it is said first.
  return entry.event === 'approved' && reason.approvedBy ? `Approved by ${reason.approvedBy}. Held because: ${reason.text}` : reason.text
}

export function Why({ entry }: { readonly entry: JournalEntry }) {
  const text = whyText(entry)
  return text === null ? <span className="muted">—</span> : <LocalisedText text={text} />
}
