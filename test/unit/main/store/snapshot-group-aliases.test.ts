import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../main/store/open-database.ts'
import { createSnapshotStore } from '../../../../main/store/snapshot-store.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-group-aliases')
afterAll(() => tmp.remove())

describe('snapshot groups keep their alias addresses', () => {
  it('stores a group’s aliases lower-cased, keeps them through an incremental promotion, and loads them back', () => {
    const db = openDatabase(join(tmp.path, 'aliases'))
    try {
      const snapshots = createSnapshotStore(db)
      const first = snapshots.stage('int-1', '2026-12-06T00:00:00.000Z')
      snapshots.writeGroups(first, [
        { externalId: 'g1', name: 'Sales', address: 'sales@example.com', aliases: ['Sales-Team@Example.com', 'sales@mail.example.com'], memberIds: [] },
        { externalId: 'g2', name: 'No aliases', address: null, memberIds: [] },
      ])
      snapshots.promote(first, 'int-1', 'full', 'test')
      const second = snapshots.stage('int-1', '2026-12-06T01:00:00.000Z')
      snapshots.writeGroups(second, [{ externalId: 'g2', name: 'Renamed', address: null, aliases: ['two@example.com'], memberIds: [] }])
      const merged = snapshots.promote(second, 'int-1', 'incremental', 'test')
      const groups = new Map(snapshots.load(merged.id).groups.map((g) => [g.externalId, g.aliases]))
      expect(groups.get('g1')).toEqual(['sales-team@example.com', 'sales@mail.example.com'])
      expect(groups.get('g2')).toEqual(['two@example.com'])
    } finally {
      db.close()
    }
  })
})
