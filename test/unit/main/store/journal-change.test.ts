import { describe, expect, it } from 'vitest'
import { actionId } from '../../../../shared/domain/action-order.ts'
import { createUserDetail } from '../../../../shared/domain/action-detail.ts'
import type { SyncAction } from '../../../../shared/domain/sync-action.ts'
import { packChange, unpackChange } from '../../../../main/store/journal-change.ts'
import { UserCreation } from '../../../../main/model/user-creation.ts'

const addresses = ['a.lee@example.org', 'ann.lee@example.org', 'ann@mail.example.org']
const createAnn: SyncAction = {
  id: actionId('create-user', 'ann.lee@example.org', undefined, addresses),
  kind: 'create-user',
  target: 'ann.lee@example.org',
  detail: createUserDetail('Ann Lee', 'ann.lee@example.org', addresses.length, false),
  integrationIds: ['hr'],
  addresses,
  payload: { displayName: 'Ann Lee', status: 'active' },
}
const after = { displayName: 'Ann Lee', status: 'active', addresses }

/** The journal's change column: only what cannot be derived, and rows of every version read the same. */
describe('a journal row’s change column', () => {
  it('keeps a created user’s aliases once (its primary is the target), and derives its id, detail and addresses on read', () => {
    const column = packChange(createAnn, null, after)
    expect(JSON.parse(column ?? '')).toEqual({ aliases: ['a.lee@example.org', 'ann@mail.example.org'], after: { displayName: 'Ann Lee', status: 'active' } })
    expect(unpackChange('create-user', createAnn.target, undefined, column)).toEqual({ actionId: createAnn.id, detail: 'Ann Lee <ann.lee@example.org> with 2 alias(es)', before: null, after })
  })

  it('reads a created user as earlier versions stored it (id, detail and the address list twice) as the same entry', () => {
    const old = JSON.stringify({ id: createAnn.id, detail: createAnn.detail, addresses, after })
    expect(unpackChange('create-user', createAnn.target, undefined, old)).toEqual(unpackChange('create-user', createAnn.target, undefined, packChange(createAnn, null, after)))
  })

  it('keeps the address list as it is when it is not sorted or does not hold the target', () => {
    for (const list of [['b@example.org', 'ann.lee@example.org'], ['a.lee@example.org', 'b@example.org']]) {
      const action = { ...createAnn, addresses: list, id: actionId('create-user', createAnn.target, undefined, list) }
      const column = packChange(action, null, { ...after, addresses: list })
      expect(JSON.parse(column ?? '')).toMatchObject({ addresses: list })
      expect(unpackChange('create-user', createAnn.target, undefined, column)).toMatchObject({ actionId: action.id, after: { addresses: list } })
    }
  })

  it('stores the detail and id when they are not what the reader would derive', () => {
    const disabled = { ...createAnn, id: 'create-user:custom', detail: 'Ann Lee <ann.lee@example.org>, imported' }
    const column = packChange(disabled, null, after)
    expect(JSON.parse(column ?? '')).toMatchObject({ id: 'create-user:custom', detail: 'Ann Lee <ann.lee@example.org>, imported' })
    expect(unpackChange('create-user', createAnn.target, undefined, column)).toMatchObject({ actionId: 'create-user:custom', detail: 'Ann Lee <ann.lee@example.org>, imported', after })
  })

  it('keeps an after-state whose addresses differ from the action’s, and a disabled user’s detail derives with ", disabled"', () => {
    const other = { ...after, addresses: ['ann.lee@example.org'] }
    expect(unpackChange('create-user', createAnn.target, undefined, packChange(createAnn, null, other)).after).toEqual(other)
    const disabledAfter = { ...after, status: 'disabled' }
    const disabled = { ...createAnn, detail: createUserDetail('Ann Lee', createAnn.target, addresses.length, true) }
    const column = packChange(disabled, null, disabledAfter)
    expect(JSON.parse(column ?? '')).not.toHaveProperty('detail')
    expect(unpackChange('create-user', createAnn.target, undefined, column).detail).toBe('Ann Lee <ann.lee@example.org> with 2 alias(es), disabled')
  })

  it('packs a compact creation (UserCreation) as its plain form, and reads back its own id and detail', () => {
    for (const disabled of [false, true]) {
      const compact = new UserCreation({ address: 'ann.lee@example.org', displayName: 'Ann Lee', attributes: {} }, addresses, ['hr'], disabled)
      const state = { displayName: 'Ann Lee', status: disabled ? 'disabled' : 'active', addresses }
      const plain: SyncAction = { id: compact.id, kind: 'create-user', target: compact.target, detail: compact.detail, integrationIds: ['hr'], addresses }
      expect(packChange(compact, null, state)).toBe(packChange(plain, null, state))
      expect(unpackChange('create-user', compact.target, undefined, packChange(compact, null, state))).toMatchObject({ actionId: compact.id, detail: compact.detail })
    }
  })

  it('stores nothing for a membership whose id and detail are the derived ones', () => {
    const add: SyncAction = { id: actionId('add-member', 'staff', 'ann.lee@example.org'), kind: 'add-member', target: 'staff', member: 'ann.lee@example.org', detail: 'ann.lee@example.org → staff', integrationIds: ['hr'] }
    expect(packChange(add, null, null)).toBeNull()
    expect(unpackChange('add-member', 'staff', 'ann.lee@example.org', null)).toEqual({ actionId: add.id, detail: add.detail, before: null, after: null })
  })
})
