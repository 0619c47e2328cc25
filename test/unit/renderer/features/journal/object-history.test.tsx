import { afterEach, describe, expect, it } from 'vitest'
import { ObjectHistory } from '../../../../../renderer/features/journal/object-history.tsx'
import { HeldActionHistory } from '../../../../../renderer/features/journal/held-action-history.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi } from '../../fake-api.ts'
import { byText, click, render, settle, type Rendered } from '../../render.tsx'
import { journalEntry } from './journal-entries.ts'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

const BLOCKED = 'Paused: Old AD (disabled since 2026-12-06T07:00:00.000Z). While any integration is disabled or in error, destructive actions are paused for all integrations; enable, fix or delete it to resume.'
const hold = journalEntry(3, {
  runId: 'run-2',
  member: 'bob@example.org',
  event: 'held',
  at: '2026-12-06T08:00:00.000Z',
  integrations: [{ id: 'ldap', name: 'New LDAP' }],
  reason: { hold: 'blocked', text: BLOCKED, blocking: [{ id: 'ad', name: 'Old AD', since: '2026-12-06T07:00:00.000Z' }], heldSince: '2026-12-06T08:00:00.000Z', approvedBy: null, approvedAt: null },
})
const applied = journalEntry(4, { ...hold, seq: 4, runId: 'run-3', event: 'applied', at: '2026-12-06T09:00:00.000Z', reason: { ...hold.reason!, text: `Held since 2026-12-06T08:00:00.000Z (${BLOCKED}); applied once nothing held it back any more.` } })

function bobsJournal() {
  const fake = createFakeApi()
  fake.handle('journal:query', (query) => {
    const entries = [applied, hold, journalEntry(2, { member: 'bob@example.org', kind: 'add-member', actionId: 'add-member:finance@example.org:bob@example.org', event: 'applied', runId: 'run-1' })].filter((e) => !query.actionId || e.actionId === query.actionId)
    return { ok: true, value: { entries, total: entries.length } }
  })
  return fake
}

describe('an object’s history', () => {
  it('says what, when, which run, why — the blocker and since when, in local time — and which integration by its name then', async () => {
    const fake = bobsJournal()
    const store = createAppStore(fake.api)
    rendered = await render(store, <ObjectHistory subject={{ type: 'user', key: 'bob@example.org' }} />)
    await settle()
    expect(fake.callsTo('journal:query')[0]?.request).toEqual({ user: 'bob@example.org', newestFirst: true, offset: 0, limit: 50 })
    const rows = [...rendered.container.querySelectorAll('tbody tr')]
    expect(rows.map((row) => row.querySelector('.badge')?.textContent)).toEqual(['Applied', 'Held', 'Applied'])
    const heldRow = rows[1]!
    expect(heldRow.textContent).toContain('Remove member')
    expect(heldRow.textContent).toContain('New LDAP')
    expect(heldRow.textContent).toMatch(/Paused: Old AD \(disabled since .+\)/)
    expect(heldRow.textContent).not.toContain('2026-12-06T07:00:00.000Z')
    expect(heldRow.querySelector('time[datetime="2026-12-06T07:00:00.000Z"]')?.getAttribute('title')).toBe('2026-12-06 07:00 UTC')

    await click(byText(heldRow, 'button', 'Open run'))
    expect(store.getState().openRunId).toBe('run-2')
    expect(store.getState().route.page).toBe('runs')
  })

  it('from a held action: its own entries first, the whole history one click away', async () => {
    const fake = bobsJournal()
    const action = { ...hold, id: hold.actionId, member: 'bob@example.org', integrationIds: ['ldap'], reason: 'blocked' as const, reasonText: BLOCKED, blockingIntegrationIds: ['ad'], heldSince: hold.at, approved: false }
    rendered = await render(createAppStore(fake.api), <HeldActionHistory action={action} onClose={() => undefined} />)
    await settle()
    const dialog = rendered.container.querySelector('[role="dialog"]')!
    expect(dialog.querySelector('h2')?.textContent).toBe('User bob@example.org')
    expect(fake.callsTo('journal:query').at(-1)?.request).toMatchObject({ user: 'bob@example.org', actionId: hold.actionId })
    expect([...dialog.querySelectorAll('tbody .badge')].map((badge) => badge.textContent)).toEqual(['Applied', 'Held'])
    await click(byText(dialog, 'button', 'Show the whole history of bob@example.org'))
    expect([...dialog.querySelectorAll('tbody .badge')].map((badge) => badge.textContent)).toEqual(['Applied', 'Held', 'Applied'])
  })
})
