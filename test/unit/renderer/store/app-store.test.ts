import { describe, expect, it } from 'vitest'
import { connectEvents, createAppStore } from '../../../../renderer/store/app-store.ts'
import { directoryRow, DIRECTORY_PAGE_SIZE } from '../../../../renderer/store/slices/directory-slice.ts'
import { createFakeApi, makeIntegration } from '../fake-api.ts'

describe('app store', () => {
  it('creates an integration through the api and then reloads the list and status from the core', async () => {
    const fake = createFakeApi()
    const store = createAppStore(fake.api)
    const result = await store.getState().createIntegration({ name: 'HR export', config: { type: 'ldif-file', settings: { path: '/srv/hr.ldif', format: 'auto' } } })
    expect(result.ok).toBe(true)
    expect(fake.callsTo('integrations:list')).toHaveLength(1)
    expect(fake.callsTo('status:get')).toHaveLength(1)
    expect(store.getState().integrations.map((integration) => integration.name)).toEqual(['HR export'])
    expect(store.getState().notices.at(-1)?.message).toContain('HR export')
  })

  it('keeps the core’s plain error message when a load fails, and clears it on the next success', async () => {
    const fake = createFakeApi()
    fake.handle('integrations:list', () => ({ ok: false, error: { code: 'internal', message: 'The account store is locked by another process.' } }))
    const store = createAppStore(fake.api)
    await store.getState().loadIntegrations()
    expect(store.getState().integrationsState).toEqual({ loaded: false, loading: false, error: 'The account store is locked by another process.' })
    fake.handle('integrations:list', () => ({ ok: true, value: [] }))
    await store.getState().loadIntegrations()
    expect(store.getState().integrationsState.error).toBeNull()
  })

  it('turns a transport that throws into an error result instead of an exception', async () => {
    const store = createAppStore({
      invoke: () => Promise.reject(new Error('bridge closed')),
      on: () => () => undefined,
    })
    await store.getState().loadStatus()
    expect(store.getState().statusState.error).toBe('The console could not reach the sync service.')
  })

  it('shows the blocker in the status after an integration is disabled', async () => {
    const fake = createFakeApi()
    fake.integrations.push(makeIntegration({ id: 'a', name: 'Corp AD', status: 'ok' }))
    const store = createAppStore(fake.api)
    await store.getState().setIntegrationEnabled('a', false)
    expect(store.getState().status?.blockers.map((blocker) => blocker.name)).toEqual(['Corp AD'])
  })

  it('keeps live progress per integration and forgets it when the run finishes', () => {
    const fake = createFakeApi()
    const store = createAppStore(fake.api)
    const disconnect = connectEvents(store, fake.api)
    fake.emit('sync:progress', { runId: 'r1', integrationId: 'a', phase: 'reading', objectsRead: 100, message: '' })
    fake.emit('sync:progress', { runId: 'r1', integrationId: 'b', phase: 'reading', objectsRead: 5, message: '' })
    fake.emit('sync:progress', { runId: 'r1', integrationId: 'a', phase: 'validating', objectsRead: 250, message: '' })
    expect(store.getState().progress?.byIntegration['a']).toMatchObject({ phase: 'validating', objectsRead: 250 })
    expect(store.getState().progress?.byIntegration['b']).toMatchObject({ objectsRead: 5 })
    fake.emit('sync:progress', { runId: 'r2', integrationId: null, phase: 'planning', objectsRead: 0, message: '' })
    expect(Object.keys(store.getState().progress?.byIntegration ?? {})).toEqual(['*'])
    fake.emit('sync:finished', { id: 'r2', trigger: 'manual', scope: 'all', startedAt: '', finishedAt: '', outcome: 'success', applied: {}, held: {}, errors: [], warnings: [], reads: [], snapshots: {}, ignoredAddresses: 0 })
    expect(store.getState().progress).toBeNull()
    disconnect()
  })

  it('ends the live progress of a read-only run at its account-wide "done", which has no sync:finished', () => {
    const fake = createFakeApi()
    const store = createAppStore(fake.api)
    connectEvents(store, fake.api)
    fake.emit('sync:progress', { runId: 'r3', integrationId: 'new', phase: 'reading', objectsRead: 190, message: '' })
    expect(store.getState().progress?.byIntegration['new']).toMatchObject({ objectsRead: 190 })
    fake.emit('sync:progress', { runId: 'r3', integrationId: null, phase: 'done', objectsRead: 0, message: 'Read only: nothing planned or applied' })
    expect(store.getState().progress).toBeNull()
  })

  it('adds connection-test steps as they are pushed and ignores steps of another integration', async () => {
    const fake = createFakeApi()
    let finish: (value: never[]) => void = () => undefined
    fake.handle('integrations:test', () => new Promise((resolve) => (finish = (steps) => resolve({ ok: true, value: steps }))))
    const store = createAppStore(fake.api)
    connectEvents(store, fake.api)
    const running = store.getState().testConnection('a')
    await Promise.resolve()
    fake.emit('connection-test:step', { integrationId: 'a', step: { step: 'dns', label: 'Resolve dc1', verdict: 'pass', message: 'ok', durationMs: 3 } })
    fake.emit('connection-test:step', { integrationId: 'other', step: { step: 'tcp', label: 'Connect', verdict: 'fail', message: 'no', durationMs: 3 } })
    expect(store.getState().connectionTest?.steps.map((step) => step.step)).toEqual(['dns'])
    expect(store.getState().connectionTest?.running).toBe(true)
    finish([])
    await running
    expect(store.getState().connectionTest?.running).toBe(false)
  })

  it('pages the directory on demand and drops answers to a query that was replaced', async () => {
    const fake = createFakeApi()
    const answers: ((value: { ok: true; value: { rows: never[]; total: number; capped: boolean; asOf: null } }) => void)[] = []
    fake.handle('directory:users', () => new Promise((resolve) => answers.push(resolve)))
    const store = createAppStore(fake.api)
    const first = store.getState().searchDirectory('users', 'a')
    const second = store.getState().searchDirectory('users', 'ab')
    await Promise.resolve()
    await Promise.resolve()
    answers[1]?.({ ok: true, value: { rows: [], total: 7, capped: false, asOf: null } })
    answers[0]?.({ ok: true, value: { rows: [], total: 999, capped: false, asOf: null } })
    await Promise.all([first, second])
    expect(store.getState().directoryUsers.total).toBe(7)
    expect(store.getState().directoryUsers.query).toBe('ab')

    fake.handle('directory:users', ({ offset }) => ({ ok: true, value: { rows: [], total: 100_000, asOf: null, offset } as never }))
    await store.getState().ensureDirectoryRows('users', DIRECTORY_PAGE_SIZE * 3 + 5, DIRECTORY_PAGE_SIZE * 4 + 10)
    const offsets = fake.callsTo('directory:users').slice(2).map((call) => (call.request as { offset: number }).offset)
    expect(offsets).toEqual([DIRECTORY_PAGE_SIZE * 3, DIRECTORY_PAGE_SIZE * 4])
    expect(directoryRow(store.getState().directoryUsers, 0)).toBeUndefined()
  })

  it('approves held actions and reports refusals in plain words', async () => {
    const fake = createFakeApi()
    fake.handle('held:approve', () => ({ ok: true, value: { approved: 2, refused: [{ actionId: 'x', reason: 'it is blocked by Corp AD, which is disabled' }] } }))
    const store = createAppStore(fake.api)
    store.getState().setHeldSelection(['a', 'b', 'x'])
    await store.getState().approveHeld({ actionIds: ['a', 'b', 'x'] })
    expect(store.getState().heldSelection.size).toBe(0)
    expect(store.getState().notices.at(-1)?.message).toMatch(/2 held actions approved.*1 could not be approved: it is blocked by Corp AD/)
  })
})
