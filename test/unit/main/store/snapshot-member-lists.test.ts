import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import { decodeMemberList, encodeMemberList, listsMember } from '../../../../main/store/member-list.ts'
import { SCHEMA_VERSION } from '../../../../main/store/migrations.ts'
import { openDatabase } from '../../../../main/store/open-database.ts'
import { createSnapshotStore } from '../../../../main/store/snapshot-store.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'
import { storeAtSchema } from '../../../helpers/store-at-schema.ts'

const tmp = makeTempDir('dirsync-snapshot-member-lists')
afterAll(() => tmp.remove())

const user = (id: string): DirectoryUser => ({ externalId: id, primaryAddress: `${id}@example.org`, aliases: [], displayName: `User ${id}`, enabled: true, attributes: {} })
const membersOf = (groups: ReadonlyArray<{ externalId: string; memberIds: readonly string[] }>): Record<string, string[]> =>
  Object.fromEntries(groups.map((g) => [g.externalId, [...g.memberIds].sort()]))

describe('a snapshot group member list', () => {
  it('keeps each member once, in number order, and answers membership by search', () => {
    const list = encodeMemberList(Int32Array.from([70_000, 3, 300, 3, 2 ** 31 - 1]))
    expect(list).toHaveLength(16)
    expect(Array.from(decodeMemberList(list))).toEqual([3, 300, 70_000, 2 ** 31 - 1])
    expect([3, 4, 70_000, 2 ** 31 - 1].map((n) => listsMember(decodeMemberList(list), n))).toEqual([true, false, true, true])
    expect(decodeMemberList(encodeMemberList(new Int32Array(0)))).toHaveLength(0)
  })

  it('stages members given by their position among the read\'s users as it stages them by id, and looks ids up when positions do not fit', () => {
    const dataDir = join(tmp.path, 'positions')
    mkdirSync(dataDir, { recursive: true })
    const db = openDatabase(dataDir)
    try {
      const snapshots = createSnapshotStore(db)
      const staged = snapshots.stage('int-1', '2026-12-06T07:00:00.000Z')
      snapshots.writeUsers(staged, [user('a'), user('b')])
      snapshots.writeUsers(staged, [user('c')])
      const group = (id: string, memberIds: string[]) => ({ externalId: id, name: id, address: null, aliases: [], memberIds })
      snapshots.writeGroups(
        staged,
        [group('g1', ['c', 'a']), group('g2', ['b', 'c']), group('g3', ['a', 'b']), group('g4', ['a', 'outsider'])],
        // g2's positions are wrong (a connector breaking its promise), g3's are too short, g4's name an outsider: by id.
        [Int32Array.from([2, 0]), Int32Array.from([0, 2]), Int32Array.from([0]), Int32Array.from([0, 7])],
      )
      const promoted = snapshots.promote(staged, 'int-1', 'full', 'test')
      expect(membersOf(snapshots.load(promoted.id).groups)).toEqual({ g1: ['a', 'c'], g2: ['b', 'c'], g3: ['a', 'b'], g4: ['a', 'outsider'] })
    } finally {
      db.close()
    }
  })

  it('migrates a store of schema 11 (a row per membership): every group keeps its members, and reads promote onto it', () => {
    const dataDir = join(tmp.path, 'schema-11')
    storeAtSchema(dataDir, 11, (old) => {
      old.exec(`
        INSERT INTO snapshots (key, id, integration_id, taken_at, mode, mode_reason, users, groups, memberships, state)
          VALUES (1, 'snap-1', 'int-1', '2026-12-06T06:00:00.000Z', 'full', 'first read', 3, 3, 4, 'current');
        INSERT INTO snapshot_ids (id, external_id) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'g1'), (5, 'g2'), (6, 'empty'), (300, 'nested');
        INSERT INTO snapshot_users (snap, user, primary_address, aliases, display_name, enabled, attributes) VALUES
          (1, 1, 'a@example.org', '[]', 'User a', 1, '{}'), (1, 2, 'b@example.org', '[]', 'User b', 1, '{}'), (1, 3, 'c@example.org', '[]', 'User c', 1, '{}');
        INSERT INTO snapshot_groups (snap, grp, name, address, aliases) VALUES (1, 4, 'G1', 'g1@example.org', '[]'), (1, 5, 'G2', NULL, '[]'), (1, 6, 'Empty', NULL, '[]');
        INSERT INTO snapshot_members (snap, grp, user) VALUES (1, 4, 2), (1, 4, 1), (1, 5, 3), (1, 5, 300);
      `)
    })

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'snapshot_members'").pluck().get()).toBe(0)
      const snapshots = createSnapshotStore(db)
      const loaded = snapshots.load('snap-1')
      expect(membersOf(loaded.groups)).toEqual({ g1: ['a', 'b'], g2: ['c', 'nested'], empty: [] })
      expect(Array.from(loaded.groups[0]?.memberRows ?? [])).toEqual([0, 1])

      // An incremental read that deletes b: b leaves g1, which the read did not send again.
      const staged = snapshots.stage('int-1', '2026-12-06T07:00:00.000Z')
      snapshots.writeUsers(staged, [user('d')])
      snapshots.writeDeletions(staged, ['b'], [])
      expect(snapshots.countAfterPromotion(staged, 'incremental')).toEqual({ users: 3, groups: 3, memberships: 3 })
      let delta: unknown = null
      const promoted = snapshots.promote(staged, 'int-1', 'incremental', 'test', (d) => (delta = d))
      expect(delta).toEqual({ everything: false, users: ['b', 'd'], groups: ['g1'] })
      expect(promoted.memberships).toBe(3)
      expect(membersOf(snapshots.load(promoted.id).groups)).toEqual({ g1: ['a'], g2: ['c', 'nested'], empty: [] })

      // A full read: g2 loses its nested member and the empty group is gone.
      const full = snapshots.stage('int-1', '2026-12-06T08:00:00.000Z')
      snapshots.writeUsers(full, [user('a'), user('c'), user('d')])
      snapshots.writeGroups(full, [
        { externalId: 'g1', name: 'G1', address: 'g1@example.org', aliases: [], memberIds: ['a', 'd', 'a'] },
        { externalId: 'g2', name: 'G2', address: null, aliases: [], memberIds: ['c'] },
      ])
      expect(snapshots.countAfterPromotion(full, 'full')).toEqual({ users: 3, groups: 2, memberships: 3 })
      const after = snapshots.promote(full, 'int-1', 'full', 'test', (d) => (delta = d))
      expect(delta).toEqual({ everything: false, users: [], groups: ['g1', 'g2', 'empty'] })
      expect(membersOf(snapshots.load(after.id).groups)).toEqual({ g1: ['a', 'd'], g2: ['c'] })
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  })
})
