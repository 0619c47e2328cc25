import { describe, expect, it } from 'vitest'
import type { DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import { MemberRowResolver } from '../../../../main/model/indexed-snapshot.ts'

const user = (externalId: string): DirectoryUser => ({ externalId, primaryAddress: `${externalId}@example.org`, aliases: [], displayName: externalId, enabled: true, attributes: {} })
const users = ['u0', 'u1', 'u2'].map(user)

describe('resolving a snapshot group’s members to rows', () => {
  it('keeps only rows when every member is a user of the snapshot, once', () => {
    const resolver = new MemberRowResolver(users)
    resolver.addRow(2)
    resolver.add('u0')
    const members = resolver.finish()
    expect(Array.from(members.rows)).toEqual([2, 0])
    expect(members.allIds).toBeNull()
  })

  it('keeps every id, in order, once a member names no user or repeats one (the rows cannot say them)', () => {
    const resolver = new MemberRowResolver(users)
    resolver.addRow(1)
    resolver.addOther('group-7')
    resolver.addRow(0)
    resolver.addRow(1)
    const members = resolver.finish()
    expect(Array.from(members.rows)).toEqual([1, 0])
    expect(members.allIds).toEqual(['u1', 'group-7', 'u0', 'u1'])
  })

  it('starts each group afresh', () => {
    const resolver = new MemberRowResolver(users)
    resolver.add('nobody')
    resolver.finish()
    resolver.addRow(1)
    const next = resolver.finish()
    expect(Array.from(next.rows)).toEqual([1])
    expect(next.allIds).toBeNull()
  })
})
