import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBulkInsert } from '../../../../main/store/bulk-insert.ts'
import { deferIndexes } from '../../../../main/store/deferred-indexes.ts'
import { openDatabase } from '../../../../main/store/open-database.ts'
import { writeLdifSync, type LdifOrg } from '../../../helpers/ldif-writer.ts'
import { makeTempDir, members, openTestCore } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('bulk-apply')
afterAll(() => tmp.remove())

const indexesOf = (db: ReturnType<typeof openDatabase>, table: string): string[] =>
  db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").pluck().all(table) as string[]

/** 1,000 users, every one in each of 60 groups: a first sync adds 60,000 memberships, a bulk load. */
function everyoneEverywhere(users: number, groups: number): LdifOrg {
  const list = Array.from({ length: users }, (_, i) => ({ uid: `u${String(i).padStart(4, '0')}`, mail: `u${String(i).padStart(4, '0')}@example.org`, displayName: `User ${i}` }))
  return { users: list, groups: Array.from({ length: groups }, (_, g) => ({ cn: `group${g}`, mail: `group${g}@example.org`, members: list.map((u) => u.uid) })) }
}

describe('the applier at first-sync scale', () => {
  it('a first sync of 60,000 memberships journals every one of them, in the run and in each user\'s history, and keeps every index', async () => {
    const ldif = join(tmp.path, 'org.ldif')
    writeLdifSync(ldif, everyoneEverywhere(1000, 60))
    const t = openTestCore(join(tmp.path, 'first'))
    const indexesBefore = { memberships: indexesOf(t.db, 'memberships'), journal: indexesOf(t.db, 'journal') }
    const id = await t.addLdif('Directory', ldif)
    const run = await t.core.runSync('all', 'manual')
    expect(run.applied).toEqual({ 'create-group': 60, 'create-user': 1000, 'add-member': 60_000 })
    expect(t.core.journal({ runId: run.id, kind: 'add-member', offset: 0, limit: 1, newestFirst: false }).total).toBe(60_000)
    const history = t.core.history('u0999@example.org', { offset: 0, limit: 100, newestFirst: false })
    // Applied (and journalled) in plan order: groups by key as text (group0, group1, group10, …).
    const groupKeys = Array.from({ length: 60 }, (_, g) => `group${g}@example.org`).sort()
    expect(history.page.entries.map((e) => `${e.event} ${e.kind} ${e.target}`)).toEqual(['applied create-user u0999@example.org', ...groupKeys.map((key) => `applied add-member ${key}`)])
    expect(history.page.entries[1]).toMatchObject({ runId: run.id, member: 'u0999@example.org', integrations: [{ id, name: 'Directory' }], detail: 'u0999@example.org → group0@example.org', actionId: 'add-member:group0@example.org:u0999@example.org' })
    expect(members(t.db, 'group59@example.org')).toHaveLength(1000)
    expect({ memberships: indexesOf(t.db, 'memberships'), journal: indexesOf(t.db, 'journal') }).toEqual(indexesBefore)
    expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok')
    t.close()
  })
})

describe('bulk writes (bulk-insert.ts, deferred-indexes.ts)', () => {
  it('multi-row inserts write every row, buffered ones at flush, and report the consecutive rowids each statement took', () => {
    const db = openDatabase(join(tmp.path, 'bulk'))
    const taken: number[] = []
    const insert = createBulkInsert(db, 'INSERT INTO journal_keys (key)', 1, (last, rows) => {
      for (let i = rows - 1; i >= 0; i--) taken.push(last - i)
    })
    db.transaction(() => {
      for (let i = 0; i < 150; i++) insert.add(`key${i}`)
      expect(db.prepare('SELECT count(*) FROM journal_keys').pluck().get()).toBe(128)
      insert.flush()
    })()
    const rows = db.prepare('SELECT id, key FROM journal_keys ORDER BY id').all() as Array<{ id: number; key: string }>
    expect(rows.map((r) => r.key)).toEqual(Array.from({ length: 150 }, (_, i) => `key${i}`))
    expect(taken).toEqual(rows.map((r) => r.id))
    db.close()
  })

  it('a load at least as large as the table builds its indexes after it; a small one, or a rolled-back one, leaves them as they were', () => {
    const db = openDatabase(join(tmp.path, 'defer'))
    const before = indexesOf(db, 'journal')
    expect(before.length).toBeGreaterThan(0)
    db.transaction(() => {
      deferIndexes(db, 'journal', 10).restore()
      expect(indexesOf(db, 'journal')).toEqual(before)
      const bulk = deferIndexes(db, 'journal', 100_000)
      expect(indexesOf(db, 'journal')).toEqual([])
      bulk.restore()
      expect(indexesOf(db, 'journal')).toEqual(before)
    })()
    expect(() =>
      db.transaction(() => {
        deferIndexes(db, 'journal', 100_000)
        throw new Error('killed mid-apply')
      })(),
    ).toThrow('killed mid-apply')
    expect(indexesOf(db, 'journal')).toEqual(before)
    db.close()
  })
})
