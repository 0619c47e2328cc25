import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { listBackups } from '../../../../main/store/backup.ts'
import { SCHEMA_VERSION } from '../../../../main/store/migrations.ts'
import { orgA3, orgB } from '../../../fixtures/store-v4/orgs.ts'
import { writeLdifSync } from '../../../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir, members, openTestCore, testClock } from '../../../helpers/test-core.ts'

/**
 * A store written by the previous build migrates on first open and syncs on. The fixture
 * (test/fixtures/store-v4/dirsync.db) was made by main at 1225802 — schema 4, text keys and a JSON
 * source list per row — from the directories in orgs.ts: two integrations, a soft-deleted user,
 * aliases, a disabled user, a membership removal held while Sales is disabled, 17 journal entries.
 */
const FIXTURE = join(import.meta.dirname, '../../../fixtures/store-v4/dirsync.db')
const HR = '5e60c926-8e7e-4e56-b06b-e1b3c8a97d88'
const SALES = '1510836c-ee85-4b3f-8d9f-3764f19aca5f'

/** The account as schema 4 stored it, in the shape dumpAccount gives for the current schema. */
const V4_TABLES = {
  users: 'SELECT address, display_name, status, deleted_at, deleted_by, attributes, sources FROM users ORDER BY address',
  addresses: 'SELECT address, user_address, type, is_primary FROM addresses ORDER BY address',
  groups: 'SELECT key, name, address, origin, sources FROM groups ORDER BY key',
  memberships: 'SELECT group_key, user_address, sources FROM memberships ORDER BY group_key, user_address',
}

const tmp = makeTempDir('dirsync-store-migration')
afterAll(() => tmp.remove())

describe('a store from the previous version', () => {
  it('migrates to the compact schema on first open, keeping every account row, hold and journal entry, and syncs on', async () => {
    const dataDir = join(tmp.path, 'data')
    mkdirSync(dataDir)
    copyFileSync(FIXTURE, join(dataDir, 'dirsync.db'))
    const old = new Database(join(dataDir, 'dirsync.db'), { readonly: true })
    expect(old.pragma('user_version', { simple: true })).toBe(4)
    const before = Object.fromEntries(Object.entries(V4_TABLES).map(([t, sql]) => [t, old.prepare(sql).all()]))
    old.close()
    expect(before['memberships']).toHaveLength(6)

    const t = openTestCore(dataDir, testClock('2025-03-04T08:00:00.000Z'))
    expect(t.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(t.db.pragma('foreign_key_check')).toEqual([])
    expect(dumpAccount(t.db)).toEqual(before)
    expect(listBackups(dataDir).map((b) => b.reason)).toEqual(['before-migration'])
    expect(t.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v4'").pluck().get()).toBe(0)
    expect(t.core.listHeld({}, 0, 10).actions.map((a) => `${a.kind} ${a.target} ${a.member ?? ''}`)).toEqual(['remove-member staff@example.org ann@example.org'])
    expect(t.core.journal({ newestFirst: false, offset: 0, limit: 100 }).total).toBe(17)

    // The directories moved with the data directory: point the integrations at them, enable Sales.
    const a = join(tmp.path, 'a.ldif')
    const b = join(tmp.path, 'b.ldif')
    writeLdifSync(a, orgA3)
    writeLdifSync(b, { ...orgB, users: [...orgB.users, { uid: 'fay', mail: 'fay@example.org', displayName: 'Fay' }], groups: (orgB.groups ?? []).map((g) => (g.cn === 'ops' ? { ...g, members: [...g.members, 'fay'] } : g)) })
    await t.core.updateIntegration({ id: HR, config: { type: 'ldif-file', settings: { path: a, format: 'ldif' } } })
    await t.core.updateIntegration({ id: SALES, config: { type: 'ldif-file', settings: { path: b, format: 'ldif' } } })
    t.core.setEnabled(SALES, true)
    const run = await t.core.runSync('all', 'manual')
    expect(run.outcome).toBe('success')
    expect(run.applied).toEqual({ 'create-user': 1, 'add-member': 1, 'remove-member': 1 })
    expect(members(t.db, 'staff@example.org')).toEqual(['bob@example.org', 'dan@example.org', 'eve@example.org'])
    expect(members(t.db, 'ops@example.org')).toEqual(['bob@example.org', 'dan@example.org', 'fay@example.org'])
    const ann = t.core.history('ann@example.org', { offset: 0, limit: 20, newestFirst: false }).page.entries
    expect(ann.slice(-2).map((e) => `${e.event} ${e.kind}`)).toEqual(['held remove-member', 'applied remove-member'])
    expect(ann.at(-1)?.runId).toBe(run.id)
    expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok')
    t.close()
  })
})
