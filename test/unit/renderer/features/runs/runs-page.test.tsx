import { afterEach, describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../../../shared/domain/run.ts'
import { RunsPage } from '../../../../../renderer/features/runs/runs-page.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi } from '../../fake-api.ts'
import { byText, click, render, settle, type Rendered } from '../../render.tsx'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

const run = (overrides: Partial<RunSummary>): RunSummary => ({
  id: 'r1',
  trigger: 'manual',
  scope: 'all',
  startedAt: '2026-11-27T08:00:00.000Z',
  finishedAt: '2026-11-27T08:00:05.000Z',
  outcome: 'success',
  applied: { 'create-user': 200 },
  held: {},
  errors: [],
  warnings: [],
  reads: [],
  snapshots: {},
  ignoredAddresses: 0,
  ...overrides,
})

describe('Run history', () => {
  it('lists a run’s address conflicts under Warnings, apart from errors, and counts only errors in the table', async () => {
    const fake = createFakeApi()
    fake.runs.push(run({ warnings: ['hivanova@example.org is the primary address of a user in Sample and an alias of another; kept on the other.'] }))
    rendered = await render(createAppStore(fake.api), <RunsPage />)
    await settle()
    expect([...rendered.container.querySelectorAll('tbody tr td')].map((cell) => cell.textContent)[7]).toBe('0')
    await click(byText(rendered.container, 'button.row-link', /./))
    await settle()
    const warnings = rendered.container.querySelector('.run-warnings')
    expect(warnings?.querySelector('h3')?.textContent).toBe('Warnings')
    expect(warnings?.textContent).toContain('hivanova@example.org')
    expect(rendered.container.querySelector('.run-errors')).toBeNull()
  })
})
