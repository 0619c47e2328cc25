import { join } from 'node:path'
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest'
import type { DirectoryGroup, DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import type { SnapshotDelta } from '../../../../main/model/snapshot-delta.ts'
import { openDatabase, type Db } from '../../../../main/store/open-database.ts'
import { createSnapshotStore, type SnapshotStore } from '../../../../main/store/snapshot-store.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-snapshot-promotion')
afterAll(() => tmp.remove())

const user = (id: string, name = `User ${id}`, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  externalId: id,
  primaryAddress: `${id}@example.org`,
  aliases: [],
  displayName: name,
  enabled: true,
  attributes: {},
  ...extra,
})
const group = (id: string, memberIds: string[], name = `Group ${id}`): DirectoryGroup => ({ externalId: id, name, address: `${id}@example.org`, aliases: [], memberIds })

interface Read {
  readonly users?: DirectoryUser[]
  readonly groups?: DirectoryGroup[]
  readonly deletedUsers?: string[]
  readonly deletedGroups?: string[]
}

let db: Db
let snapshots: SnapshotStore
let dirCount = 0
beforeEach(() => {
  db = openDatabase(join(tmp.path, `store-${dirCount++}`))
  snapshots = createSnapshotStore(db)
})
afterEach(() => db.close())

/** Stages a read the way read-integration does, promotes it, and returns what onDelta saw. */
function promote(mode: 'full' | 'incremental', read: Read): { delta: SnapshotDelta; counts: ReturnType<SnapshotStore['countAfterPromotion']> } {
  const staged = snapshots.stage('int-1', new Date().toISOString())
  if (read.users) snapshots.writeUsers(staged, read.users)
  if (read.groups) snapshots.writeGroups(staged, read.groups)
  if (read.deletedUsers || read.deletedGroups) snapshots.writeDeletions(staged, read.deletedUsers ?? [], read.deletedGroups ?? [])
  const counts = snapshots.countAfterPromotion(staged, mode)
  let delta: SnapshotDelta | null = null
  snapshots.promote(staged, 'int-1', mode, 'test', (d) => (delta = d))
  if (!delta) throw new Error('onDelta was not called')
  return { delta, counts }
}

/** The current snapshot as plain sorted data. */
function current(): { users: Array<[string, string]>; groups: Array<[string, string, string[]]> } {
  const info = snapshots.current('int-1')
  if (!info) throw new Error('no current snapshot')
  const loaded = snapshots.load(info.id)
  return {
    users: loaded.users.map((u): [string, string] => [u.externalId, u.displayName]).sort(),
    groups: loaded.groups.map((g): [string, string, string[]] => [g.externalId, g.name, [...g.memberIds].sort()]).sort(),
  }
}

/** Every stored row of the integration's snapshots, the snapshots table included. */
function rows(): unknown {
  return {
    snapshots: db.prepare('SELECT * FROM snapshots ORDER BY key').all(),
    users: db.prepare('SELECT * FROM snapshot_users ORDER BY snap, user').all(),
    // Each group row carries its member list.
    groups: db.prepare('SELECT * FROM snapshot_groups ORDER BY snap, grp').all(),
  }
}

/** The counts stored on the current snapshot equal its rows. */
function expectCountsTrue(): void {
  const info = snapshots.current('int-1')
  const key = db.prepare('SELECT key FROM snapshots WHERE id = ?').pluck().get(info?.id)
  const count = (table: string): unknown => db.prepare(`SELECT count(*) FROM ${table} WHERE snap = ?`).pluck().get(key)
  const memberships = snapshots.load(info?.id ?? '').groups.reduce((sum, g) => sum + g.memberIds.length, 0)
  expect({ users: info?.users, groups: info?.groups, memberships: info?.memberships }).toEqual({ users: count('snapshot_users'), groups: count('snapshot_groups'), memberships })
}

const sorted = (d: SnapshotDelta): SnapshotDelta => ({ everything: d.everything, users: [...d.users].sort(), groups: [...d.groups].sort() })

const BASE: Read = { users: [user('a'), user('b'), user('c')], groups: [group('g1', ['a', 'b']), group('g2', ['b', 'c'])] }

describe('promoting a read into the current snapshot', () => {
  it('makes the first read the current snapshot and reports everything changed', () => {
    const { delta, counts } = promote('full', BASE)
    expect(delta.everything).toBe(true)
    expect(counts).toEqual({ users: 3, groups: 2, memberships: 4 })
    expect(current().groups).toEqual([['g1', 'Group g1', ['a', 'b']], ['g2', 'Group g2', ['b', 'c']]])
    expectCountsTrue()
  })

  it('applies an incremental read in place: the key stays, only what the read changed is written, and the delta names it', () => {
    promote('full', BASE)
    const key = db.prepare("SELECT key FROM snapshots WHERE state = 'current'").pluck().get()
    const { delta, counts } = promote('incremental', {
      users: [user('a', 'Renamed A'), user('b'), user('d')],
      groups: [group('g2', ['c', 'd'])],
      deletedUsers: ['c'],
    })
    // b was sent again unchanged: no change. c is deleted; g2 (its only group) was sent again with its new list.
    expect(sorted(delta)).toEqual({ everything: false, users: ['a', 'c', 'd'], groups: ['g2'] })
    expect(counts).toEqual({ users: 3, groups: 2, memberships: 4 })
    expect(current()).toEqual({
      users: [['a', 'Renamed A'], ['b', 'User b'], ['d', 'User d']],
      groups: [['g1', 'Group g1', ['a', 'b']], ['g2', 'Group g2', ['c', 'd']]],
    })
    expect(db.prepare("SELECT key FROM snapshots WHERE state = 'current'").pluck().get()).toBe(key)
    expect(db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(1)
    expectCountsTrue()
  })

  it('takes a deleted user out of every group the read did not send again, and reports those groups', () => {
    promote('full', BASE)
    const { delta, counts } = promote('incremental', { deletedUsers: ['b'] })
    expect(sorted(delta)).toEqual({ everything: false, users: ['b'], groups: ['g1', 'g2'] })
    expect(counts).toEqual({ users: 2, groups: 2, memberships: 2 })
    expect(current().groups).toEqual([['g1', 'Group g1', ['a']], ['g2', 'Group g2', ['c']]])
    expectCountsTrue()
  })

  it('removes a deleted group with its members, renames a group sent again, and ignores deletions of ids it never had', () => {
    promote('full', BASE)
    const { delta } = promote('incremental', { groups: [group('g2', ['b', 'c'], 'Renamed')], deletedGroups: ['g1', 'never-seen'], deletedUsers: ['nobody'] })
    expect(sorted(delta)).toEqual({ everything: false, users: [], groups: ['g1', 'g2'] })
    expect(current().groups).toEqual([['g2', 'Renamed', ['b', 'c']]])
    expectCountsTrue()
  })

  it('diffs a full read against the current snapshot: absent rows go, changed rows change, member lists are diffed per group', () => {
    promote('full', BASE)
    const { delta, counts } = promote('full', { users: [user('a'), user('b', 'Bee'), user('e')], groups: [group('g1', ['a', 'b']), group('g3', ['e'])] })
    expect(sorted(delta)).toEqual({ everything: false, users: ['b', 'c', 'e'], groups: ['g2', 'g3'] })
    expect(counts).toEqual({ users: 3, groups: 2, memberships: 3 })
    expect(current()).toEqual({
      users: [['a', 'User a'], ['b', 'Bee'], ['e', 'User e']],
      groups: [['g1', 'Group g1', ['a', 'b']], ['g3', 'Group g3', ['e']]],
    })
    expectCountsTrue()
  })

  it('reports a group whose only change is one member, and keeps the snapshot id when nothing changed at all', () => {
    promote('full', BASE)
    const { delta } = promote('full', { ...BASE, groups: [group('g1', ['a', 'b', 'c']), group('g2', ['b', 'c'])] })
    expect(sorted(delta)).toEqual({ everything: false, users: [], groups: ['g1'] })
    const id = snapshots.current('int-1')?.id
    const again = promote('incremental', { users: [user('a')] })
    expect(again.delta).toEqual({ everything: false, users: [], groups: [] })
    expect(snapshots.current('int-1')?.id).toBe(id)
    expect(snapshots.current('int-1')?.mode).toBe('incremental')
  })

  it('leaves the current snapshot byte-identical when a staged read is discarded (a rejected or failed read)', () => {
    promote('full', BASE)
    const before = rows()
    for (const mode of ['full', 'incremental'] as const) {
      const staged = snapshots.stage('int-1', new Date().toISOString())
      snapshots.writeUsers(staged, [user('a', 'Changed'), user('z')])
      snapshots.writeGroups(staged, [group('g1', ['z'])])
      snapshots.writeDeletions(staged, ['b'], ['g2'])
      expect(snapshots.countAfterPromotion(staged, mode)).toEqual(mode === 'full' ? { users: 2, groups: 1, memberships: 1 } : { users: 3, groups: 1, memberships: 1 })
      snapshots.discard(staged)
      expect(rows()).toEqual(before)
    }
  })

  it('changes nothing when the delta cannot be recorded (onDelta throws inside the promotion transaction)', () => {
    promote('full', BASE)
    const before = rows()
    const staged = snapshots.stage('int-1', new Date().toISOString())
    snapshots.writeUsers(staged, [user('a', 'Changed')])
    snapshots.countAfterPromotion(staged, 'incremental')
    expect(() =>
      snapshots.promote(staged, 'int-1', 'incremental', 'test', () => {
        throw new Error('no room for the dirty mark')
      }),
    ).toThrow('no room for the dirty mark')
    snapshots.discard(staged)
    expect(rows()).toEqual(before)
  })

  it('matches a model of the old copy-everything promotion over 60 random full and incremental reads', () => {
    let seed = 7
    const rand = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % n)
    const ids = Array.from({ length: 30 }, (_, i) => `u${i}`)
    const gids = Array.from({ length: 6 }, (_, i) => `g${i}`)
    let model = { users: new Map<string, DirectoryUser>(), groups: new Map<string, DirectoryGroup>() }
    for (let step = 0; step < 60; step++) {
      const full = step === 0 || rand(4) === 0
      const users = ids.filter(() => rand(full ? 4 : 6) < (full ? 3 : 1)).map((id) => user(id, `Name ${rand(3)}`, { enabled: rand(5) > 0 }))
      const groups = gids.filter(() => rand(full ? 4 : 3) < (full ? 3 : 1)).map((id) => group(id, ids.filter(() => rand(5) === 0), `Group ${rand(2)}`))
      const deletedUsers = full ? [] : ids.filter(() => rand(15) === 0)
      const deletedGroups = full ? [] : gids.filter(() => rand(12) === 0)
      const { counts } = promote(full ? 'full' : 'incremental', { users, groups, deletedUsers, deletedGroups })
      if (full) model = { users: new Map(users.map((u) => [u.externalId, u])), groups: new Map(groups.map((g) => [g.externalId, g])) }
      else {
        const sentUsers = new Set(users.map((u) => u.externalId))
        const sentGroups = new Set(groups.map((g) => g.externalId))
        for (const id of deletedUsers) if (!sentUsers.has(id)) model.users.delete(id)
        for (const id of deletedGroups) if (!sentGroups.has(id)) model.groups.delete(id)
        for (const [id, g] of model.groups) if (!sentGroups.has(id)) model.groups.set(id, { ...g, memberIds: g.memberIds.filter((m) => !deletedUsers.includes(m)) })
        for (const u of users) model.users.set(u.externalId, u)
        for (const g of groups) model.groups.set(g.externalId, g)
      }
      const expected = {
        users: [...model.users.values()].map((u): [string, string] => [u.externalId, u.displayName]).sort(),
        groups: [...model.groups.values()].map((g): [string, string, string[]] => [g.externalId, g.name, [...g.memberIds].sort()]).sort(),
      }
      expect(current(), `step ${step}`).toEqual(expected)
      expect(counts).toEqual({ users: expected.users.length, groups: expected.groups.length, memberships: expected.groups.reduce((n, g) => n + g[2].length, 0) })
      expectCountsTrue()
    }
  })
})
