import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDirectoryQueries, SEARCH_COUNT_CAP, type UserFilter } from '../../../../main/store/directory-queries.ts'
import { migrate, SCHEMA_VERSION } from '../../../../main/store/migrations.ts'
import { openDatabase, type Db } from '../../../../main/store/open-database.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'
import { storeAtSchema } from '../../../helpers/store-at-schema.ts'

const tmp = makeTempDir('dirsync-user-search')
afterAll(() => tmp.remove())
let stores = 0
const NOW = '2026-12-06T00:00:00.000Z'

/** A user as the account writer stores it: the user row, then its addresses (the primary first). */
function addUser(db: Db, address: string, displayName: string, aliases: readonly string[] = [], sources = 0): number {
  const id = Number(db.prepare('INSERT INTO users (address, display_name, status, attributes, sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(address, displayName, 'active', '{}', sources, NOW, NOW).lastInsertRowid)
  const insert = db.prepare('INSERT INTO addresses (address, user_id, type, is_primary) VALUES (?, ?, ?, ?)')
  insert.run(address, id, 'directory', 1)
  for (const alias of aliases) insert.run(alias, id, 'directory', 0)
  return id
}

function freshStore(): { db: Db; dataDir: string } {
  const dataDir = join(tmp.path, `store-${++stores}`)
  return { db: openDatabase(dataDir), dataDir }
}

const addressesOf = (db: Db, filter: UserFilter, limit = 100) => createDirectoryQueries(db).searchUsers(filter, 0, limit).rows.map((u) => u.primaryAddress)

describe('directory search over users', () => {
  it('finds a store of the previous version (schema 10) by any part of a name or address once migrated', () => {
    const dataDir = join(tmp.path, 'schema-10')
    storeAtSchema(dataDir, 10, (old) => {
      expect(old.pragma('user_version', { simple: true })).toBe(10)
      addUser(old, 'lena.berg@example.org', 'Lena Berg', ['l.berg@example.org'])
      addUser(old, 'omar.haddad@example.org', 'Omar Haddad')
    })

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(addressesOf(db, { query: 'l.berg' })).toEqual(['lena.berg@example.org'])
      expect(addressesOf(db, { query: 'HADDAD' })).toEqual(['omar.haddad@example.org'])
      expect(addressesOf(db, { query: 'om' })).toEqual(['omar.haddad@example.org'])
      expect(addressesOf(db, { query: 'e' })).toEqual(['lena.berg@example.org', 'omar.haddad@example.org'])
    } finally {
      db.close()
    }
  })

  it('migrates an indexed store of the previous version (schema 12): every user is queued, found before and after the index catches up', () => {
    const dataDir = join(tmp.path, 'schema-12')
    storeAtSchema(dataDir, 10, (old) => {
      addUser(old, 'lena.berg@example.org', 'Lena Berg', ['l.berg@example.org'])
      addUser(old, 'omar.haddad@example.org', 'Omar Haddad')
      // Migration 11 indexes the users already there (phrase index, texts as written).
      migrate(old, 12)
      expect(old.prepare('SELECT count(*) FROM user_search_pending').pluck().get()).toBe(0)
    })

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      const directory = createDirectoryQueries(db, { background: false })
      expect(directory.searchIndexPending(10)).toBe(2)
      const search = (query: string) => directory.searchUsers({ query }, 0, 10).rows.map((u) => u.primaryAddress)
      for (const step of [() => 0, () => directory.catchUpSearchIndex()]) {
        step()
        expect(search('l.berg')).toEqual(['lena.berg@example.org'])
        expect(search('HADDAD')).toEqual(['omar.haddad@example.org'])
        expect(search('om')).toEqual(['omar.haddad@example.org'])
        expect(search('e')).toEqual(['lena.berg@example.org', 'omar.haddad@example.org'])
      }
      expect(directory.searchIndexPending(10)).toBe(0)
      // The migrated store syncs on: a renamed user is found by its new name only.
      db.prepare("UPDATE users SET display_name = 'Lena Lindqvist' WHERE address = 'lena.berg@example.org'").run()
      expect(search('lindqvist')).toEqual(['lena.berg@example.org'])
      expect(search('lena berg')).toEqual([])
    } finally {
      db.close()
    }
  })

  it('finds exactly the users holding the query, though the index only knows which trigrams each user has', () => {
    const { db } = freshStore()
    try {
      // Both hold every trigram of "ann lee" ("ann", "nn ", "n l", " le", "lee"); only one holds the phrase.
      addUser(db, 'ann.lee@example.org', 'Ann Lee')
      addUser(db, 'joanna@example.org', 'Lynn Lee')
      addUser(db, 'zoe@example.org', 'Zoë Özdemir')
      const directory = createDirectoryQueries(db)
      directory.catchUpSearchIndex()
      const search = (query: string) => directory.searchUsers({ query }, 0, 10).rows.map((u) => u.primaryAddress)
      expect(search('ann lee')).toEqual(['ann.lee@example.org'])
      expect(search('ANN LEE')).toEqual(['ann.lee@example.org'])
      expect(search('lynn lee')).toEqual(['joanna@example.org'])
      expect(search('ann')).toEqual(['ann.lee@example.org', 'joanna@example.org'])
      // Case is folded beyond ASCII, for long and short queries alike.
      expect(search('ÖZDEM')).toEqual(['zoe@example.org'])
      expect(search('Öz')).toEqual(['zoe@example.org'])
      // A long query (a pasted address) asks the index for some of its trigrams and checks them all.
      expect(search('a-much-longer-query-than-sixteen-trigrams@example.org')).toEqual([])
      expect(search('ann.lee@example.org')).toEqual(['ann.lee@example.org'])
    } finally {
      db.close()
    }
  })

  it('keeps the index in step with users and addresses: added, renamed, given an alias, purged', () => {
    const { db } = freshStore()
    try {
      const search = (query: string) => addressesOf(db, { query })
      const id = addUser(db, 'ann@example.org', 'Ann Lee')
      expect(search('ann lee')).toEqual(['ann@example.org'])
      db.prepare('UPDATE users SET display_name = ? WHERE id = ?').run('Ann Lindqvist', id)
      expect(search('ann lee')).toEqual([])
      expect(search('lindqvist')).toEqual(['ann@example.org'])
      db.prepare('INSERT INTO addresses (address, user_id, type, is_primary) VALUES (?, ?, ?, ?)').run('annie@sales.example.org', id, 'directory', 0)
      expect(search('annie@sales')).toEqual(['ann@example.org'])
      db.prepare('DELETE FROM users WHERE id = ?').run(id)
      expect(search('lindqvist')).toEqual([])
      expect(search('annie')).toEqual([])
      expect(db.prepare('SELECT count(*) FROM user_search_text').pluck().get()).toBe(0)
    } finally {
      db.close()
    }
  })

  it('matches a query literally: quotes, LIKE wildcards and FTS syntax are text', () => {
    const { db } = freshStore()
    try {
      addUser(db, 'a_b@example.org', 'Quote "Q" Person')
      addUser(db, 'axb@example.org', 'Percent 100% Person')
      expect(addressesOf(db, { query: 'a_b' })).toEqual(['a_b@example.org'])
      expect(addressesOf(db, { query: '"q"' })).toEqual(['a_b@example.org'])
      expect(addressesOf(db, { query: '100%' })).toEqual(['axb@example.org'])
      expect(addressesOf(db, { query: 'b@e' })).toEqual(['a_b@example.org', 'axb@example.org'])
      expect(addressesOf(db, { query: 'person OR x' })).toEqual([])
      // U+001F joins a user's texts in the index; a query never spans two of them.
      expect(addressesOf(db, { query: 'person\u001fa' })).toEqual([])
      expect(addressesOf(db, { query: 'orgaxb' })).toEqual([])
    } finally {
      db.close()
    }
  })

  it(`counts matches up to ${SEARCH_COUNT_CAP.toLocaleString('en-US')} and no further, for short and long queries alike, and lists pages past the cap`, () => {
    const { db } = freshStore()
    try {
      db.transaction(() => {
        for (let i = 0; i <= SEARCH_COUNT_CAP + 50; i++) addUser(db, `user${String(i).padStart(5, '0')}@example.org`, `User ${i}`)
        addUser(db, 'zoe@other.example', 'Zoë Quist')
      })()
      const directory = createDirectoryQueries(db)
      directory.catchUpSearchIndex()
      for (const query of ['u', 'us', 'user', 'example.org']) {
        const first = directory.searchUsers({ query }, 0, 200)
        expect(first.capped).toBe(true)
        expect(first.total).toBe(SEARCH_COUNT_CAP)
        expect(first.rows[0]?.primaryAddress).toBe('user00000@example.org')
      }
      // Asking past the cap lists the rows there and raises the lower bound.
      const late = directory.searchUsers({ query: 'user' }, SEARCH_COUNT_CAP, 200)
      expect(late.rows.map((u) => u.primaryAddress)).toEqual(Array.from({ length: 51 }, (_, i) => `user${String(SEARCH_COUNT_CAP + i).padStart(5, '0')}@example.org`))
      expect(late).toMatchObject({ total: SEARCH_COUNT_CAP + 51, capped: true })
      expect(directory.searchUsers({ query: 'quist' }, 0, 200)).toMatchObject({ total: 1, capped: false })
      expect(directory.searchUsers({ query: 'user0001' }, 0, 5)).toMatchObject({ total: 10, capped: false })
      // The CLI's exact count and the unfiltered list stay exact.
      expect(directory.users('user', 0, 1).total).toBe(SEARCH_COUNT_CAP + 51)
      expect(directory.searchUsers({ query: '' }, 0, 1)).toMatchObject({ total: SEARCH_COUNT_CAP + 52, capped: false })
    } finally {
      db.close()
    }
  })

  it('answers correctly while a large batch waits to be indexed, and indexes it in the background', async () => {
    const { db } = freshStore()
    try {
      db.transaction(() => {
        for (let i = 0; i < 2500; i++) addUser(db, `bulk${String(i).padStart(4, '0')}@example.org`, `Bulk ${i}`)
      })()
      const directory = createDirectoryQueries(db)
      expect(directory.searchUsers({ query: 'bulk0042' }, 0, 10).rows.map((u) => u.primaryAddress)).toEqual(['bulk0042@example.org'])
      await expect.poll(() => db.prepare('SELECT count(*) FROM user_search_pending').pluck().get(), { timeout: 5000 }).toBe(0)
      expect(directory.searchUsers({ query: 'bulk0042' }, 0, 10).total).toBe(1)
    } finally {
      db.close()
    }
  })

  it('leaves a large batch queued in a short-lived process (the CLI), answering by scanning, until a catch-up is asked for', async () => {
    const { db } = freshStore()
    try {
      db.transaction(() => {
        for (let i = 0; i < 2500; i++) addUser(db, `cli${String(i).padStart(4, '0')}@example.org`, `Cli ${i}`)
      })()
      const directory = createDirectoryQueries(db, { background: false })
      directory.indexInBackground()
      expect(directory.searchUsers({ query: 'cli0042' }, 0, 10).rows.map((u) => u.primaryAddress)).toEqual(['cli0042@example.org'])
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(directory.searchIndexPending(5000)).toBe(2500)
      expect(directory.catchUpSearchIndex()).toBe(2500)
      expect(directory.searchIndexPending(5000)).toBe(0)
      expect(directory.searchUsers({ query: 'cli2499' }, 0, 10).rows.map((u) => u.primaryAddress)).toEqual(['cli2499@example.org'])
      expect(directory.catchUpSearchIndex()).toBe(0)
    } finally {
      db.close()
    }
  })

  it('filters by source integration (live or deleted) and by address type, with the query or without', () => {
    const { db } = freshStore()
    try {
      const hr = Number(db.prepare('INSERT INTO source_sets (integration_ids) VALUES (?)').run('["hr"]').lastInsertRowid)
      const both = Number(db.prepare('INSERT INTO source_sets (integration_ids) VALUES (?)').run('["hr","sales"]').lastInsertRowid)
      const sales = Number(db.prepare('INSERT INTO source_sets (integration_ids) VALUES (?)').run('["sales"]').lastInsertRowid)
      addUser(db, 'ann@example.org', 'Ann', [], hr)
      addUser(db, 'bo@example.org', 'Bo', [], both)
      addUser(db, 'cy@example.org', 'Cy', ['cy@old.example.org'], sales)
      const dee = addUser(db, 'dee@example.org', 'Dee')
      db.prepare("UPDATE addresses SET type = 'transit' WHERE address = 'cy@old.example.org'").run()
      db.prepare("UPDATE users SET status = 'deleted', deleted_by = ? WHERE id = ?").run(hr, dee)
      db.prepare("UPDATE addresses SET type = 'manual' WHERE user_id = ?").run(dee)
      expect(addressesOf(db, { query: '', source: 'hr' })).toEqual(['ann@example.org', 'bo@example.org', 'dee@example.org'])
      expect(addressesOf(db, { query: '', source: 'sales' })).toEqual(['bo@example.org', 'cy@example.org'])
      expect(addressesOf(db, { query: '', source: 'nobody' })).toEqual([])
      expect(addressesOf(db, { query: '', addressType: 'transit' })).toEqual(['cy@example.org'])
      expect(addressesOf(db, { query: '', addressType: 'manual' })).toEqual(['dee@example.org'])
      expect(addressesOf(db, { query: '', addressType: 'directory' })).toEqual(['ann@example.org', 'bo@example.org', 'cy@example.org'])
      expect(addressesOf(db, { query: 'example', source: 'sales', addressType: 'transit' })).toEqual(['cy@example.org'])
      expect(createDirectoryQueries(db).searchUsers({ query: 'bo', source: 'hr' }, 0, 10)).toMatchObject({ total: 1, capped: false })
    } finally {
      db.close()
    }
  })

  it('keeps answering, by scanning, when the disk is full while the index catches up — and never throws from its timer', async () => {
    const { db } = freshStore()
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      db.transaction(() => {
        for (let i = 0; i < 2500; i++) addUser(db, `full${String(i).padStart(4, '0')}@example.org`, `Full ${i}`)
      })()
      // No page left to grow into: the catch-up's write fails with SQLITE_FULL and rolls back.
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
      const directory = createDirectoryQueries(db)
      expect(directory.searchUsers({ query: 'full0042' }, 0, 10).rows.map((u) => u.primaryAddress)).toEqual(['full0042@example.org'])
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(uncaught).toEqual([])
      expect(db.prepare('SELECT count(*) FROM user_search_pending').pluck().get()).toBe(2500)
      expect(() => directory.catchUpSearchIndex()).toThrow(/search index could not be updated \(database or disk is full\); searches still work/)
      expect(directory.searchUsers({ query: 'full2499' }, 0, 10).rows.map((u) => u.primaryAddress)).toEqual(['full2499@example.org'])
    } finally {
      process.off('uncaughtException', onUncaught)
      db.close()
    }
  })

  it('walks every filtered user in address order, chunk by chunk, for an export', () => {
    const { db } = freshStore()
    try {
      db.transaction(() => {
        for (let i = 0; i < 120; i++) addUser(db, `p${String(i).padStart(3, '0')}@example.org`, i % 2 === 0 ? `Even ${i}` : `Odd ${i}`)
      })()
      const directory = createDirectoryQueries(db)
      const walked: string[] = []
      let after = ''
      for (;;) {
        const rows = directory.usersAfter({ query: 'even' }, after, 7)
        if (rows.length === 0) break
        walked.push(...rows.map((u) => u.primaryAddress))
        after = rows.at(-1)!.primaryAddress
      }
      expect(walked).toEqual(Array.from({ length: 60 }, (_, i) => `p${String(i * 2).padStart(3, '0')}@example.org`))
    } finally {
      db.close()
    }
  })
})
