import { describe, expect, it } from 'vitest'
import { actionId } from '../../../../shared/domain/action-order.ts'
import { plainAction } from '../../../../main/model/member-addition.ts'
import { UserCreation } from '../../../../main/model/user-creation.ts'

const ann = { address: 'ann@example.org', displayName: 'Ann Lee', attributes: { department: 'Sales' } }

describe('a compact create-user', () => {
  it('says what a plain one said: id, detail, payload and attribution, also once it leaves the process', () => {
    const action = new UserCreation(ann, ['a.lee@example.org', 'ann@example.org'], Object.freeze(['ad']), true)
    const plain = {
      id: actionId('create-user', 'ann@example.org', undefined, ['a.lee@example.org', 'ann@example.org']),
      kind: 'create-user',
      target: 'ann@example.org',
      addresses: ['a.lee@example.org', 'ann@example.org'],
      detail: 'Ann Lee <ann@example.org> with 1 alias(es), disabled',
      integrationIds: ['ad'],
      payload: { displayName: 'Ann Lee', attributes: { department: 'Sales' }, status: 'disabled' },
    }
    expect(plainAction(action)).toStrictEqual(plain)
    expect(JSON.parse(JSON.stringify(action))).toEqual(plain)
    expect(structuredClone(plainAction(action))).toEqual(plain)
  })

  it('is active unless the directory says disabled', () => {
    expect(new UserCreation(ann, ['ann@example.org'], [], false).payload['status']).toBe('active')
    expect(new UserCreation(ann, ['ann@example.org'], [], false).detail).toBe('Ann Lee <ann@example.org>')
  })
})
