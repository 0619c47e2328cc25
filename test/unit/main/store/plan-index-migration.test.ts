import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import { SCHEMA_VERSION } from '../../../../main/store/migrations.ts'
import { openDatabase } from '../../../../main/store/open-database.ts'
import { addressHash, createPlanAddressIndex, INDEXED_GROUP, INDEXED_USER } from '../../../../main/store/plan-address-index.ts'
import { createPlanMarks } from '../../../../main/store/plan-marks.ts'
import { createSnapshotStore } from '../../../../main/store/snapshot-store.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'
import { storeAtSchema } from '../../../helpers/store-at-schema.ts'

const tmp = makeTempDir('dirsync-plan-index-migration')
afterAll(() => tmp.remove())

const user = (id: string, primary: string, aliases: string[] = []): DirectoryUser => ({ externalId: id, primaryAddress: primary, aliases, displayName: `User ${id}`, enabled: true, attributes: {} })

describe('the plan index', () => {
  it('hashes an address the same way on every run (the hashes are on disk), as a signed 32-bit integer', () => {
    expect([addressHash(''), addressHash('a'), addressHash('ann@example.org')]).toEqual([-2128831035, -468965076, 479833094])
    expect(Number.isInteger(addressHash('émile@example.org')) && Math.abs(addressHash('émile@example.org')) < 2 ** 31).toBe(true)
  })

  it('finds an address only on the objects that have it, when another address shares its hash', () => {
    expect(addressHash('u31992@example.org')).toBe(addressHash('u605430@example.org'))
    const dataDir = join(tmp.path, 'collision')
    const db = openDatabase(dataDir)
    try {
      const snapshots = createSnapshotStore(db)
      const staged = snapshots.stage('int-1', '2026-12-06T07:00:00.000Z')
      snapshots.writeUsers(staged, [user('x', 'u31992@example.org'), user('y', 'u605430@example.org')])
      const snapshot = snapshots.promote(staged, 'int-1', 'full', 'test')
      createPlanMarks(db).resolve([{ integrationId: 'int-1', snapshotId: snapshot.id }])
      const index = createPlanAddressIndex(db)
      const source = index.sourceKey('int-1') ?? -1
      const [x, y] = ['x', 'y'].map((id) => db.prepare('SELECT id FROM snapshot_ids WHERE external_id = ?').pluck().get(id) as number)
      expect(index.presenting('u31992@example.org', INDEXED_USER)).toEqual([[source, x]])
      expect(index.presenting('u605430@example.org', INDEXED_USER)).toEqual([[source, y]])
    } finally {
      db.close()
    }
  })

  it('of a store of schema 13 (a row per address, the text indexed twice) is rebuilt in the new shape, and dirty-set planning goes on', () => {
    const dataDir = join(tmp.path, 'schema-13')
    storeAtSchema(dataDir, 13, (old) => {
      old.exec(`
        INSERT INTO snapshots (key, id, integration_id, taken_at, mode, mode_reason, users, groups, memberships, state)
          VALUES (1, 'snap-1', 'int-1', '2026-12-06T06:00:00.000Z', 'full', 'first read', 2, 1, 0, 'current');
        INSERT INTO snapshot_ids (id, external_id) VALUES (1, 'a'), (2, 'b'), (3, 'g1');
        INSERT INTO snapshot_users (snap, user, primary_address, aliases, display_name, enabled, attributes) VALUES
          (1, 1, 'Ann@Example.org', '["ann.old@example.org"]', 'User a', 1, '{}'), (1, 2, 'bob@example.org', '[]', 'User b', 1, '{}');
        INSERT INTO snapshot_groups (snap, grp, name, address, aliases) VALUES (1, 3, 'G1', 'g1@example.org', '[]');
        INSERT INTO plan_index_sources (key, integration_id, snapshot_id) VALUES (1, 'int-1', 'snap-1');
        INSERT INTO plan_index (source, kind, object, address) VALUES (1, 0, 1, 'ann.old@example.org'), (1, 0, 1, 'ann@example.org'), (1, 0, 2, 'bob@example.org'), (1, 1, 3, 'g1@example.org');
      `)
    })

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'plan_index_address'").pluck().get()).toBe(0)
      const marks = createPlanMarks(db)
      const first = marks.resolve([{ integrationId: 'int-1', snapshotId: 'snap-1' }])
      expect(first.fullReasons.join()).toContain('int-1 contributes for the first time')
      const index = createPlanAddressIndex(db)
      const source = index.sourceKey('int-1') ?? -1
      expect(index.presenting('ann.old@example.org', INDEXED_USER)).toEqual([[source, 1]])
      expect(index.presenting('g1@example.org', INDEXED_GROUP)).toEqual([[source, 3]])
      expect(index.presenting('g1@example.org', INDEXED_USER)).toEqual([])
      expect(index.addressesOf(source, INDEXED_USER, 1)).toEqual(['ann.old@example.org', 'ann@example.org'])

      // A read replaces Ann's alias: the next plan looks at the alias she had and the one she has.
      const snapshots = createSnapshotStore(db)
      const staged = snapshots.stage('int-1', '2026-12-06T07:00:00.000Z')
      snapshots.writeUsers(staged, [user('a', 'ann@example.org', ['ann.new@example.org'])])
      snapshots.promote(staged, 'int-1', 'incremental', 'test', (delta) => marks.recordDelta('int-1', delta))
      const current = snapshots.current('int-1')?.id ?? ''
      const next = marks.resolve([{ integrationId: 'int-1', snapshotId: current }])
      expect([...next.dirty.addresses].sort()).toEqual([['ann.new@example.org', true], ['ann.old@example.org', true], ['ann@example.org', true]])
      expect(index.presenting('ann.old@example.org', INDEXED_USER)).toEqual([])
      expect(index.presenting('ann.new@example.org', INDEXED_USER)).toEqual([[source, 1]])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  })
})
