import { describe, expect, it } from 'vitest'
import { journalDocument, journalExportWriter } from '../../../../shared/domain/journal-export.ts'
import type { JournalEntry } from '../../../../shared/domain/journal.ts'

const entry = (seq: number, overrides: Partial<JournalEntry> = {}): JournalEntry => ({
  seq,
  at: '2026-12-06T08:00:00.000Z',
  runId: 'run-1',
  event: 'applied',
  kind: 'remove-member',
  actionId: `remove-member:finance@example.org:u${seq}@example.org`,
  target: 'finance@example.org',
  member: `u${seq}@example.org`,
  detail: `u${seq}@example.org → finance@example.org`,
  integrations: [{ id: 'i1', name: 'HR' }],
  before: null,
  after: null,
  reason: null,
  ...overrides,
})

describe('journal export documents', () => {
  it('writes JSON in pages that parse as one document with what was exported, the total and every entry', () => {
    const writer = journalExportWriter('json', { runId: 'run-1' }, 3)
    const text = writer.head() + writer.rows([entry(1), entry(2)]) + writer.rows([]) + writer.rows([entry(3)]) + writer.tail()
    const parsed = JSON.parse(text) as { runId: string; total: number; entries: JournalEntry[] }
    expect(parsed).toEqual({ runId: 'run-1', total: 3, entries: [entry(1), entry(2), entry(3)] })
    expect(JSON.parse(journalDocument('json', { runId: 'run-1' }, []))).toEqual({ runId: 'run-1', total: 0, entries: [] })
  })

  it('writes CSV with one header, one row per entry, in pages, with a formula-looking detail neutralised', () => {
    const writer = journalExportWriter('csv', { runId: 'run-1' }, 2)
    const text = writer.head() + writer.rows([entry(1)]) + writer.rows([entry(2, { detail: '=HYPERLINK("x")', reason: { hold: 'blocked', text: 'Blocked: Old AD (disabled since 2026-12-06T07:00:00.000Z)', blocking: [], heldSince: '2026-12-06T08:00:00.000Z', approvedBy: null, approvedAt: null } })]) + writer.tail()
    const lines = text.trimEnd().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe('seq,at,run,event,kind,target,member,detail,integrations,integration ids,before,after,reason,held since,approved by,action id')
    expect(lines[1]).toBe('1,2026-12-06T08:00:00.000Z,run-1,applied,remove-member,finance@example.org,u1@example.org,u1@example.org → finance@example.org,HR,i1,,,,,,remove-member:finance@example.org:u1@example.org')
    expect(lines[2]).toContain(`,"'=HYPERLINK(""x"")",`)
    expect(lines[2]).toContain(',Blocked: Old AD (disabled since 2026-12-06T07:00:00.000Z),2026-12-06T08:00:00.000Z,')
  })
})
