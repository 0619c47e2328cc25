import type { JournalEntry } from '../../../../../shared/domain/journal.ts'

/** A journal entry as the core returns it: a membership removal of `member` from Finance, applied by HR. */
export function journalEntry(seq: number, overrides: Partial<JournalEntry> = {}): JournalEntry {
  const member = overrides.member ?? `u${seq}@example.org`
  return {
    seq,
    at: '2026-12-06T08:00:00.000Z',
    runId: 'run-1',
    event: 'applied',
    kind: 'remove-member',
    actionId: `remove-member:finance@example.org:${member}`,
    target: 'finance@example.org',
    member,
    detail: `${member} → finance@example.org`,
    integrations: [{ id: 'hr', name: 'HR' }],
    before: null,
    after: null,
    reason: null,
    ...overrides,
  }
}
