import { act } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CoverageReport, CutoverResult, MigrationView } from '../../../../shared/domain/migration.ts'
import type { DeletePreview } from '../../../../shared/domain/sync-views.ts'
import { App } from '../../../../renderer/app.tsx'
import { createAppStore } from '../../../../renderer/store/app-store.ts'
import { createFakeApi, makeIntegration } from '../fake-api.ts'
import { byText, click, labelled, render, settle, type, type Rendered } from '../render.tsx'

let rendered: Rendered | null = null

// happy-dom has no layout: give the virtual lists' scrolling areas the size Chromium would (the
// virtualiser reads clientWidth/clientHeight), so it renders its first screen of rows.
const SIZES = { clientWidth: 1000, clientHeight: 400 } as const
const realSizes = Object.fromEntries(Object.keys(SIZES).map((key) => [key, Object.getOwnPropertyDescriptor(Element.prototype, key)]))
beforeAll(() => {
  for (const [key, size] of Object.entries(SIZES)) {
    const real = realSizes[key]
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('virtual-scroller') ? size : (real?.get?.call(this) as number)
      },
    })
  }
})
afterAll(() => {
  for (const key of Object.keys(SIZES)) Reflect.deleteProperty(HTMLElement.prototype, key)
})
afterEach(() => {
  rendered?.unmount()
  rendered = null
  window.location.hash = ''
  sessionStorage.clear()
})

const REPORT: CoverageReport = {
  counts: {
    oldUsers: 20,
    newUsers: 19,
    matched: 17,
    matchedByAlias: 1,
    onlyInOld: 2,
    onlyInNew: 1,
    conflicts: 1,
    oldGroups: 1,
    newGroups: 1,
    matchedGroups: 1,
    groupsOnlyInOld: 0,
    groupsOnlyInNew: 0,
    groupsWithMembershipDifferences: 1,
  },
  users: [
    ...Array.from({ length: 17 }, (_, i) => ({ category: 'matched' as const, oldPrimary: `u${i}@example.org`, newPrimary: `u${i}@example.org`, oldDisplayName: `U ${i}`, newDisplayName: `U ${i}`, via: `u${i}@example.org` })),
    { category: 'matched-by-alias', oldPrimary: 'ann@example.org', newPrimary: 'ann.new@example.org', oldDisplayName: 'Ann', newDisplayName: 'Ann', via: 'ann@example.org' },
    { category: 'only-in-old', oldPrimary: 'gone1@example.org', newPrimary: null, oldDisplayName: 'Gone 1', newDisplayName: null, via: null },
    { category: 'only-in-old', oldPrimary: 'gone2@example.org', newPrimary: null, oldDisplayName: 'Gone 2', newDisplayName: null, via: null },
    { category: 'only-in-new', oldPrimary: null, newPrimary: 'fresh@example.org', oldDisplayName: null, newDisplayName: 'Fresh', via: null },
  ],
  conflicts: [{ kind: 'display-name', address: 'u0@example.org', old: 'U 0', new: 'U 0 (renamed)', detail: "Display name 'U 0' in the old directory, 'U 0 (renamed)' in the new one" }],
  groups: [{ category: 'matched', oldName: 'staff', newName: 'staff', address: 'staff@example.org', membersOnlyInOld: ['gone1@example.org', 'gone2@example.org'], membersOnlyInNew: [] }],
}

const PREVIEW: DeletePreview = {
  integrationId: 'old',
  integrationName: 'Old AD',
  usersDemoted: ['gone1@example.org', 'gone2@example.org'],
  usersDeleted: [],
  membershipsOfDeletedGroups: [],
  membershipsRemoved: [
    { group: 'staff@example.org', member: 'gone1@example.org' },
    { group: 'staff@example.org', member: 'gone2@example.org' },
  ],
  groupsDeleted: [],
  usersStillBacked: [{ user: 'u1@example.org', by: ['New Entra'] }],
  liftsBlock: false,
  remainingBlockers: [],
  holdNote: null,
}

/**
 * A fake api whose migration channels move through the core's steps the way
 * main/migration/migration-service.ts does (pick → read-new → coverage → cutover-preview →
 * cutover → done), so the wizard is tested against the same sequence.
 */
function fakeWithMigration(options: { differences?: string[]; start?: Partial<MigrationView> } = {}) {
  const fake = createFakeApi()
  fake.integrations.push(makeIntegration({ id: 'old', name: 'Old AD', status: 'ok', snapshot: { id: 's1', takenAt: '2026-11-27T08:00:00.000Z', users: 20, groups: 1, memberships: 20, mode: 'full' } }))
  fake.integrations.push(makeIntegration({ id: 'new', name: 'New Entra', status: 'never-synced' }))
  const migrations: MigrationView[] = []
  if (options.start) migrations.push(view(options.start))
  const find = (id: string) => migrations.find((migration) => migration.id === id)
  const update = (id: string, changes: Partial<MigrationView>) => {
    const migration = find(id)
    if (!migration) return { ok: false as const, error: { code: 'not-found' as const, message: `No migration has the id "${id}".` } }
    Object.assign(migration, changes)
    return { ok: true as const, value: { ...migration } }
  }
  fake.handle('migration:list', () => ({ ok: true, value: migrations.map((migration) => ({ ...migration })) }))
  fake.handle('migration:start', ({ oldIntegration, newIntegration }) => {
    const created = view({ id: 'm1', oldIntegrationId: oldIntegration, newIntegrationId: newIntegration })
    migrations.unshift(created)
    return { ok: true, value: { ...created } }
  })
  fake.handle('migration:read-new', ({ id }) => update(id, { step: 'coverage', newReadAt: '2026-11-27T09:00:00.000Z' }))
  fake.handle('migration:disable-old', ({ id }) => {
    const old = fake.integrations.find((integration) => integration.id === 'old')
    if (old) Object.assign(old, { enabled: false, status: 'disabled' })
    return update(id, { oldDisabledForWindow: true })
  })
  fake.handle('migration:coverage', ({ id }) => update(id, { step: 'cutover-preview', coverage: REPORT }))
  fake.handle('migration:coverage-csv', () => ({ ok: true, value: { fileName: 'coverage-old-ad-to-new-entra.csv', csv: 'record,category\nuser,only-in-old\n' } }))
  fake.handle('migration:preview', ({ id }) => update(id, { step: 'cutover', preview: PREVIEW }))
  fake.handle('migration:cutover', ({ id, confirmName }) => {
    if (confirmName !== 'Old AD') return { ok: false, error: { code: 'invalid-request', message: 'To cut over, type the old integration\'s name exactly: "Old AD".' } }
    const result: CutoverResult = {
      runIds: ['r1', 'r2'],
      preview: PREVIEW,
      actual: { usersDemoted: [...PREVIEW.usersDemoted], usersDeleted: [], membershipsRemoved: options.differences ? 1 : 2, groupsDeleted: [] },
      differences: options.differences ?? [],
    }
    return update(id, { step: 'done', result })
  })
  return fake
}

function view(overrides: Partial<MigrationView>): MigrationView {
  return {
    id: 'm1',
    oldIntegrationId: 'old',
    oldIntegrationName: 'Old AD',
    newIntegrationId: 'new',
    newIntegrationName: 'New Entra',
    step: 'read-new',
    oldDisabledForWindow: false,
    newReadAt: null,
    coverage: null,
    preview: null,
    result: null,
    createdAt: '2026-11-27T08:30:00.000Z',
    updatedAt: '2026-11-27T08:30:00.000Z',
    ...overrides,
  }
}

async function openWizard(fake: ReturnType<typeof createFakeApi>) {
  window.location.hash = '#/migration'
  const store = createAppStore(fake.api)
  rendered = await render(store, <App />)
  await settle()
  return { store, container: rendered.container }
}

const stepTitle = (container: HTMLElement) => container.querySelector('#wizard-step-title')?.textContent

describe('migration wizard', () => {
  it('walks from picking the integrations to a cut-over whose result is identical to the preview', async () => {
    const fake = fakeWithMigration()
    const { container } = await openWizard(fake)
    expect(stepTitle(container)).toBe('Step 1 of 5: Pick old and new')
    expect(byText(container, 'button', 'Start the migration').hasAttribute('disabled')).toBe(true)

    await selectOption(labelled(container, 'Old integration'), 'old')
    await selectOption(labelled(container, 'New integration'), 'new')
    // The new one can be tested right here, with the same ladder as its detail pane.
    expect(byText(container, 'button', 'Test Connection')).toBeTruthy()
    await click(byText(container, 'button', 'Start the migration'))
    expect(fake.callsTo('migration:start')[0]?.request).toEqual({ oldIntegration: 'old', newIntegration: 'new' })

    expect(stepTitle(container)).toBe('Step 2 of 5: Read the new one')
    expect(container.textContent).toContain('Nothing is applied')
    await click(byText(container, 'button', 'Read New Entra without applying'))
    // Reading leads straight to the comparison.
    expect(fake.callsTo('migration:coverage')).toHaveLength(1)
    expect(stepTitle(container)).toBe('Step 3 of 5: Coverage')
    const count = (key: string) => container.querySelector(`[data-testid="coverage-${key}"]`)?.textContent
    expect([count('matched'), count('matched-by-alias'), count('only-in-old'), count('only-in-new'), count('conflicts')]).toEqual(['17', '1', '2', '1', '1'])
    expect(count('groups-different-members')).toBe('1')
    expect(container.querySelector('.coverage-bar')?.getAttribute('aria-label')).toContain('2 only in old (10.0%)')

    await selectOption(labelled(container, 'Category'), 'only-in-old')
    expect(container.querySelector('[data-testid="coverage-shown"]')?.textContent).toBe('2 of 21 rows')
    expect(container.querySelector('[aria-label="Coverage of users"]')?.textContent).toContain('gone2@example.org')
    await click(byText(container, '[role="tab"]', /Conflicts/))
    expect(container.querySelector('[aria-label="Conflicts"]')?.textContent).toContain('U 0 (renamed)')

    await click(byText(container, 'button', 'Next: preview the cut-over'))
    expect(stepTitle(container)).toBe('Step 4 of 5: Cut-over preview')
    expect(container.querySelector('[data-testid="preview-demoted"]')?.textContent).toBe('gone1@example.orggone2@example.org')
    expect(container.querySelector('[data-testid="preview-memberships-count"]')?.textContent).toBe('2')
    expect(container.textContent).toContain('within the threshold')

    await click(byText(container, 'button', 'Next: cut over'))
    expect(stepTitle(container)).toBe('Step 5 of 5: Cut-over')
    const cutOver = byText(container, 'button', 'Cut over')
    await type(labelled(container, /Type the old integration's name/), 'old ad')
    expect(cutOver.hasAttribute('disabled')).toBe(true)
    await type(labelled(container, /Type the old integration's name/), 'Old AD')
    expect(cutOver.hasAttribute('disabled')).toBe(false)
    await click(cutOver)
    expect(fake.callsTo('migration:cutover')[0]?.request).toEqual({ id: 'm1', confirmName: 'Old AD' })
    expect(container.querySelector('[data-testid="cutover-verdict"]')?.textContent).toContain('identical to the preview')
    expect(container.querySelectorAll('.row-different')).toHaveLength(0)

    await click(byText(container, 'button', 'Finish'))
    expect(stepTitle(container)).toBe('Step 1 of 5: Pick old and new')
    expect(container.textContent).toContain('Finished migrations')
  })

  it('comes back to the open migration at its step after the console is opened again', async () => {
    const fake = fakeWithMigration({ start: { step: 'cutover-preview', newReadAt: '2026-11-27T09:00:00.000Z', coverage: REPORT } })
    const { container } = await openWizard(fake)
    expect(stepTitle(container)).toBe('Step 3 of 5: Coverage')
    expect(container.querySelector('[data-testid="coverage-only-in-old"]')?.textContent).toBe('2')
    // The side navigation says a migration is open, from any page.
    expect(byText(container, 'nav a', /Migrate/).textContent).toContain('In progress')
    // A finished step can be looked at again without losing the place.
    await click(byText(container, '.stepper button', /Read the new one/))
    expect(stepTitle(container)).toBe('Step 2 of 5: Read the new one')
    await click(byText(container, 'button', /Return to step 3/))
    expect(stepTitle(container)).toBe('Step 3 of 5: Coverage')
  })

  it('returns to step 5 after a reload once the admin has gone past the preview', async () => {
    const fake = fakeWithMigration({ start: { step: 'cutover', coverage: REPORT, preview: PREVIEW } })
    const first = await openWizard(fake)
    expect(stepTitle(first.container)).toBe('Step 4 of 5: Cut-over preview')
    await click(byText(first.container, 'button', 'Next: cut over'))
    rendered?.unmount()
    const second = await openWizard(fake)
    expect(stepTitle(second.container)).toBe('Step 5 of 5: Cut-over')
  })

  it('says that disabling the old integration pauses destructive actions account-wide, and asks first', async () => {
    const fake = fakeWithMigration({ start: { step: 'read-new' } })
    const { container } = await openWizard(fake)
    expect(container.textContent).toContain('all destructive actions account-wide')
    await click(byText(container, 'button', 'Disable Old AD for the window…'))
    const dialog = container.querySelector('[role="dialog"]')
    expect(dialog?.textContent).toContain('pauses destructive actions for ALL integrations')
    expect(fake.callsTo('migration:disable-old')).toHaveLength(0)
    await click(byText(container, '[role="dialog"] button', 'Disable and pause destructive actions'))
    expect(fake.callsTo('migration:disable-old')).toHaveLength(1)
    expect(container.querySelector('[role="note"]')?.textContent).toContain('paused for ALL integrations')
    expect(container.querySelector('[aria-label="Destructive actions paused"]')?.textContent).toContain('Old AD')
  })

  it('exports the coverage report as the CSV file the core names', async () => {
    const fake = fakeWithMigration({ start: { step: 'cutover-preview', coverage: REPORT } })
    const created: Blob[] = []
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob)
      return 'blob:coverage'
    })
    const clicked: string[] = []
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download)
    })
    try {
      const { container } = await openWizard(fake)
      await click(byText(container, 'button', 'Export CSV'))
      expect(fake.callsTo('migration:coverage-csv')[0]?.request).toEqual({ id: 'm1' })
      expect(clicked).toEqual(['coverage-old-ad-to-new-entra.csv'])
      expect(await created[0]?.text()).toBe('record,category\nuser,only-in-old\n')
    } finally {
      createObjectURL.mockRestore()
      anchorClick.mockRestore()
    }
  })

  it('flags every difference between the cut-over result and its preview', async () => {
    const fake = fakeWithMigration({ start: { step: 'cutover', coverage: REPORT, preview: PREVIEW }, differences: ['1 memberships were removed; the preview said 2'] })
    const { container } = await openWizard(fake)
    await click(byText(container, 'button', 'Next: cut over'))
    await type(labelled(container, /Type the old integration's name/), 'Old AD')
    await click(byText(container, 'button', 'Cut over'))
    const verdict = container.querySelector('[data-testid="cutover-verdict"]')
    expect(verdict?.getAttribute('role')).toBe('alert')
    expect(verdict?.textContent).toContain('1 memberships were removed; the preview said 2')
    expect(container.querySelectorAll('.row-different')).toHaveLength(1)
  })

  it('opens the create form from step 1 and comes back with the new integration picked', async () => {
    const fake = fakeWithMigration()
    const { container } = await openWizard(fake)
    await click(byText(container, 'button', 'Create New Integration'))
    await type(labelled(container, 'Name'), 'Google Workspace')
    await type(labelled(container, 'Export file path'), '/srv/new.ldif')
    await click(byText(container, 'button', 'Create integration'))
    expect(stepTitle(container)).toBe('Step 1 of 5: Pick old and new')
    const created = fake.integrations.find((integration) => integration.name === 'Google Workspace')
    expect(labelled(container, 'New integration').value).toBe(created?.id)
  })

  it('shows the core’s message when a step fails, and stays on the step', async () => {
    const fake = fakeWithMigration({ start: { step: 'read-new' } })
    fake.handle('migration:read-new', () => ({ ok: false, error: { code: 'connector', message: 'Reading New Entra failed: the export file does not exist.' } }))
    const { container } = await openWizard(fake)
    await click(byText(container, 'button', 'Read New Entra without applying'))
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Reading New Entra failed: the export file does not exist.')
    expect(stepTitle(container)).toBe('Step 2 of 5: Read the new one')
  })
})

async function selectOption(select: HTMLInputElement | HTMLSelectElement, value: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act() flushes React's update
  await act(async () => {
    select.value = value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
  await settle()
}
