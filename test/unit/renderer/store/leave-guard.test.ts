import { describe, expect, it } from 'vitest'
import { parseDirectoryTarget, directoryParam } from '../../../../renderer/features/directory/directory-route.ts'
import { createAppStore } from '../../../../renderer/store/app-store.ts'
import { createFakeApi } from '../fake-api.ts'

describe('leaving a page with unsaved changes', () => {
  it('holds a move to another page until the admin answers: stay keeps the page, leave drops the guard and goes', () => {
    const store = createAppStore(createFakeApi().api)
    store.getState().navigate({ page: 'settings' })
    store.getState().setLeaveGuard('The account settings have unsaved changes.')

    store.getState().navigate({ page: 'directory' })
    expect(store.getState().route.page).toBe('settings')
    expect(store.getState().pendingRoute).toEqual({ page: 'directory', integrationId: null })
    store.getState().resolvePendingRoute(false)
    expect(store.getState()).toMatchObject({ route: { page: 'settings' }, pendingRoute: null, leaveGuard: 'The account settings have unsaved changes.' })

    store.getState().navigate({ page: 'runs' })
    store.getState().resolvePendingRoute(true)
    expect(store.getState()).toMatchObject({ route: { page: 'runs', integrationId: null }, pendingRoute: null, leaveGuard: null })
  })

  it('lets every move through when nothing is unsaved, and a move to the same route never asks', () => {
    const store = createAppStore(createFakeApi().api)
    store.getState().navigate({ page: 'directory' })
    expect(store.getState().route.page).toBe('directory')
    store.getState().setLeaveGuard('unsaved')
    store.getState().navigate({ page: 'directory' })
    expect(store.getState().pendingRoute).toBeNull()
  })
})

describe('the directory route parameter', () => {
  it('names a user by address and a group by key, keys with colons included, and nothing else', () => {
    expect(parseDirectoryTarget(directoryParam({ type: 'user', key: 'ann@example.org' }))).toEqual({ type: 'user', key: 'ann@example.org' })
    expect(parseDirectoryTarget('group:int-1:cn=finance,ou=groups')).toEqual({ type: 'group', key: 'int-1:cn=finance,ou=groups' })
    expect(parseDirectoryTarget('some-integration-id')).toBeNull()
    expect(parseDirectoryTarget(null)).toBeNull()
  })
})
