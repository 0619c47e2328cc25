import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAccountWriter } from '../../../../main/store/account-writer.ts'
import { loadAccountState } from '../../../../main/store/account-state-loader.ts'
import { createAuditStore } from '../../../../main/store/audit-store.ts'
import { createChangeReader } from '../../../../main/store/change-reader.ts'
import { createDirectoryQueries } from '../../../../main/store/directory-queries.ts'
import { SCHEMA_VERSION } from '../../../../main/store/migrations.ts'
import { openDatabase, type Db } from '../../../../main/store/open-database.ts'
import type { SyncAction } from '../../../../shared/domain/sync-action.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'
import { storeAtSchema } from '../../../helpers/store-at-schema.ts'

/** Issue 17: the account's groups carry their alias addresses; the directory finds a group by any of them. */

const tmp = makeTempDir('dirsync-group-alias-account')
afterAll(() => tmp.remove())
const NOW = '2026-12-06T04:00:00.000Z'

function act(kind: SyncAction['kind'], target: string, extra: Partial<SyncAction> = {}): SyncAction {
  return { id: `${kind}:${target}`, kind, target, detail: `${kind} ${target}`, integrationIds: ['int-a'], ...extra }
}

function applyAll(db: Db, actions: readonly SyncAction[]): void {
  const writer = createAccountWriter(db, NOW)
  db.transaction(() => {
    for (const action of actions) writer.apply(action)
  })()
}

describe('account groups and their aliases', () => {
  it('migrates a store from before account group aliases (schema 8): its groups stay and start with no alias, and aliases can then be added', () => {
    const dataDir = join(tmp.path, 'previous')
    storeAtSchema(dataDir, 8, (old) => {
      expect(old.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'group_aliases'").pluck().get()).toBe(0)
      old.prepare("INSERT INTO groups (key, name, address, origin, sources) VALUES ('sales@example.org', 'Sales', 'sales@example.org', 'directory', 0)").run()
    })

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(db.pragma('foreign_key_check')).toEqual([])
      const directory = createDirectoryQueries(db)
      expect(directory.findGroups('Sales')).toEqual([expect.objectContaining({ key: 'sales@example.org', aliases: [] })])
      applyAll(db, [act('add-group-alias', 'sales@example.org', { addresses: ['orders@example.org'] })])
      expect(directory.findGroups('orders@example.org').map((g) => g.key)).toEqual(['sales@example.org'])
    } finally {
      db.close()
    }
  })

  it('creates, adds and removes aliases; the search, the lookup by address and the planner’s state see them; a removal is audited; deleting the group takes them along', () => {
    const db = openDatabase(join(tmp.path, 'writer'))
    try {
      const directory = createDirectoryQueries(db)
      const changes = createChangeReader(db)
      applyAll(db, [act('create-group', 'sales@example.org', { payload: { name: 'Sales', address: 'sales@example.org', aliases: ['orders@example.org', 'sales-team@example.org'] } })])
      expect(directory.findGroups('sales-team@example.org')).toEqual([expect.objectContaining({ name: 'Sales', aliases: ['orders@example.org', 'sales-team@example.org'] })])
      expect(directory.groups('ORDERS', 0, 10).rows.map((g) => g.key)).toEqual(['sales@example.org'])
      expect(directory.groupAt(' Orders@Example.org ')?.name).toBe('Sales')
      expect(directory.groupAt('nobody@example.org')).toBeNull()

      const add = act('add-group-alias', 'sales@example.org', { addresses: ['quotes@example.org'] })
      expect(changes.of(add)).toEqual({ before: { aliases: ['orders@example.org', 'sales-team@example.org'] }, after: { aliases: ['orders@example.org', 'quotes@example.org', 'sales-team@example.org'] } })
      applyAll(db, [add])
      const remove = act('remove-group-alias', 'sales@example.org', { addresses: ['orders@example.org'] })
      expect(changes.of(remove).after).toEqual({ aliases: ['quotes@example.org', 'sales-team@example.org'] })
      applyAll(db, [remove])
      expect(loadAccountState(db).groups.get('sales@example.org')?.aliases).toEqual(['quotes@example.org', 'sales-team@example.org'])
      expect(directory.groupAt('orders@example.org')).toBeNull()
      const audited = createAuditStore(db).list({ event: 'group-alias-removed' }, 0, 10).entries
      expect(audited.map((e) => [e.actor, e.subject, e.detail['addresses']])).toEqual([['sync', 'sales@example.org', ['orders@example.org']]])

      applyAll(db, [act('delete-group', 'sales@example.org')])
      expect(db.prepare('SELECT count(*) FROM group_aliases').pluck().get()).toBe(0)
    } finally {
      db.close()
    }
  })
})
