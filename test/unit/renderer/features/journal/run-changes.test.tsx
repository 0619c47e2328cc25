import { afterEach, describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../../../shared/domain/run.ts'
import { RunChanges } from '../../../../../renderer/features/journal/run-changes.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi } from '../../fake-api.ts'
import { labelled, render, settle, type, type Rendered } from '../../render.tsx'
import { journalEntry } from './journal-entries.ts'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

const run: RunSummary = {
  id: 'run-1',
  trigger: 'manual',
  scope: 'all',
  startedAt: '2026-12-06T08:00:00.000Z',
  finishedAt: '2026-12-06T08:00:30.000Z',
  outcome: 'success',
  applied: { 'add-member': 1_300_000 },
  held: {},
  errors: [],
  warnings: [],
  reads: [{ integrationId: 'hr', integrationName: 'HR', outcome: 'read', users: 100_000, groups: 10_000, memberships: 1_300_000, mode: 'full', message: null, snapshotId: 's1' }],
  snapshots: {},
  ignoredAddresses: 0,
}

/** A first sync's journal: 1.3 million entries the fake core pages through like the real one. */
function firstSync() {
  const fake = createFakeApi()
  fake.handle('journal:query', (query) => {
    const total = query.object ? (query.object === 'u7@example.org' ? 1 : 0) : query.kind === 'remove-member' ? 0 : 1_300_000
    const offset = query.offset ?? 0
    const count = Math.max(0, Math.min(query.limit ?? 100, total - offset))
    const entries = Array.from({ length: count }, (_, i) => journalEntry(offset + i + 1, { kind: 'add-member', event: 'applied', ...(query.object ? { member: query.object } : {}) }))
    return { ok: true, value: { entries, total } }
  })
  return fake
}

describe('a run’s changes, object by object', () => {
  it('shows a 1.3-million-entry run from one page of 200 rows, never the whole journal', async () => {
    const fake = firstSync()
    rendered = await render(createAppStore(fake.api), <RunChanges run={run} />)
    await settle()
    expect(rendered.container.querySelector('[data-testid="run-changes-total"]')?.textContent).toBe(`${(1_300_000).toLocaleString()} changes, in the order they were made.`)
    const requests = fake.callsTo('journal:query').map((call) => call.request as { runId: string; limit: number; offset: number })
    expect(requests.every((request) => request.runId === 'run-1' && request.limit === 200)).toBe(true)
    expect(requests.length).toBeLessThanOrEqual(2)
    expect(rendered.container.querySelector('[role="table"]')?.getAttribute('aria-rowcount')).toBe(String(1_300_001))
  })

  it('asks the core for the kind and the object chosen, and says when nothing matches', async () => {
    const fake = firstSync()
    rendered = await render(createAppStore(fake.api), <RunChanges run={run} />)
    await settle()
    const kind = labelled(rendered.container, 'Kind') as unknown as HTMLSelectElement
    kind.value = 'remove-member'
    kind.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    expect(fake.callsTo('journal:query').at(-1)?.request).toMatchObject({ runId: 'run-1', kind: 'remove-member', offset: 0 })
    expect(rendered.container.querySelector('[data-testid="run-changes-total"]')?.textContent).toBe('No change of this run matches the filters.')

    kind.value = ''
    kind.dispatchEvent(new Event('change', { bubbles: true }))
    await type(labelled(rendered.container, 'Object'), ' u7@example.org ')
    await new Promise((resolve) => setTimeout(resolve, 350))
    await settle()
    expect(fake.callsTo('journal:query').at(-1)?.request).toEqual({ runId: 'run-1', object: 'u7@example.org', offset: 0, limit: 200 })
    expect(rendered.container.querySelector('[data-testid="run-changes-total"]')?.textContent).toBe('1 change match the filters, in the order they were made.')
  })
})
