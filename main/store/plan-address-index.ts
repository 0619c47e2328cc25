import { normalizedAddress } from '../directory-rules/email-address.ts'
import { createBulkInsert } from './bulk-insert.ts'
import type { Db } from './open-database.ts'

/** From this many entries on, a source's first fill builds the address index afterwards (see fill). */
const BULK_ENTRIES = 50_000

/** `plan_index.kind`: a user's address (primary or alias), or a group's key. */
export const INDEXED_USER = 0
export const INDEXED_GROUP = 1

/** A user's addresses as the planner reads them (normalised), sorted and distinct. */
export function indexedUserAddresses(primary: string, aliasesJson: string): string[] {
  const all = new Set([normalizedAddress(primary)])
  for (const alias of JSON.parse(aliasesJson) as string[]) all.add(normalizedAddress(alias))
  return [...all].sort()
}

/** A group's key as the planner makes it (desired-groups.ts): its address, or integration:externalId. */
export function indexedGroupKey(integrationId: string, address: string | null, externalId: string): string {
  return address ? normalizedAddress(address) : `${integrationId}:${externalId}`
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Every address and group key of every contributing snapshot, by object (plan_index): "which
 * snapshot users present this address" and "which snapshot groups have this key" become indexed
 * lookups, and an object's addresses before a promotion are still known after it. Each
 * integration's entries record the snapshot they reflect (plan_index_sources).
 */
export function createPlanAddressIndex(db: Db) {
  const s = {
    sources: db.prepare('SELECT integration_id, key, snapshot_id FROM plan_index_sources'),
    sourceKey: db.prepare('SELECT key FROM plan_index_sources WHERE integration_id = ?').pluck(),
    insertSource: db.prepare('INSERT INTO plan_index_sources (integration_id, snapshot_id) VALUES (?, ?)'),
    setSnapshot: db.prepare('UPDATE plan_index_sources SET snapshot_id = ? WHERE key = ?'),
    dropSource: db.prepare('DELETE FROM plan_index_sources WHERE key = ?'),
    dropEntries: db.prepare('DELETE FROM plan_index WHERE source = ?'),
    entries: db.prepare('SELECT kind, object, address FROM plan_index WHERE source = ? ORDER BY kind, object'),
    anyEntry: db.prepare('SELECT 1 FROM plan_index WHERE source = ? LIMIT 1').pluck(),
    count: db.prepare('SELECT count(*) FROM plan_index').pluck(),
    of: db.prepare('SELECT address FROM plan_index WHERE source = ? AND kind = ? AND object = ? ORDER BY address').pluck(),
    insert: db.prepare('INSERT OR IGNORE INTO plan_index (source, kind, object, address) VALUES (?, ?, ?, ?)'),
    remove: db.prepare('DELETE FROM plan_index WHERE source = ? AND kind = ? AND object = ?'),
    snapKey: db.prepare('SELECT key FROM snapshots WHERE id = ?').pluck(),
    idOf: db.prepare('SELECT id FROM snapshot_ids WHERE external_id = ?').pluck(),
    user: db.prepare('SELECT primary_address, aliases FROM snapshot_users WHERE snap = ? AND user = ?').raw(),
    group: db.prepare('SELECT g.address, i.external_id FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ? AND g.grp = ?').raw(),
    allUsers: db.prepare('SELECT user, primary_address, aliases FROM snapshot_users WHERE snap = ?').raw(),
    allGroups: db.prepare('SELECT g.grp, g.address, i.external_id FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ?').raw(),
  }

  function snapKey(snapshotId: string): number {
    const key = s.snapKey.get(snapshotId) as number | undefined
    if (key === undefined) throw new Error(`No snapshot has the id ${snapshotId}.`)
    return key
  }

  /**
   * A source's first entries (a first sync): appended with multi-row INSERTs, and when they are
   * most of the index, the address index is built once afterwards (a sorted build costs about a
   * third of keeping it up to date row by row; 110k entries at 100k users).
   */
  function fill(source: number, integrationId: string, users: ReadonlyArray<readonly [number, string, string]>, groups: ReadonlyArray<readonly [number, string | null, string]>): void {
    const rows = users.length + groups.length
    const rebuildIndex = rows >= BULK_ENTRIES && rows >= (s.count.get() as number)
    if (rebuildIndex) db.exec('DROP INDEX plan_index_address')
    const bulk = createBulkInsert(db, 'INSERT OR IGNORE INTO plan_index (source, kind, object, address)', 4)
    for (const [user, primary, aliases] of users) for (const address of indexedUserAddresses(primary, aliases)) bulk.add(source, INDEXED_USER, user, address)
    for (const [grp, address, externalId] of groups) bulk.add(source, INDEXED_GROUP, grp, indexedGroupKey(integrationId, address, externalId))
    bulk.flush()
    if (rebuildIndex) db.exec('CREATE INDEX plan_index_address ON plan_index(address)')
  }

  function replace(source: number, kind: number, object: number, addresses: readonly string[]): void {
    s.remove.run(source, kind, object)
    for (const address of addresses) s.insert.run(source, kind, object, address)
  }

  return {
    /** Integration id → its index source key and the snapshot its entries reflect. */
    sources(): Map<string, { readonly key: number; readonly snapshotId: string }> {
      const rows = s.sources.raw().all() as Array<[string, number, string]>
      return new Map(rows.map(([integrationId, key, snapshotId]) => [integrationId, { key, snapshotId }]))
    },

    sourceKey(integrationId: string): number | undefined {
      return s.sourceKey.get(integrationId) as number | undefined
    },

    drop(source: number): void {
      s.dropEntries.run(source)
      s.dropSource.run(source)
    },

    /**
     * Brings an integration's entries to `snapshotId` by reading the whole snapshot (a first plan,
     * an unbounded change): only entries that differ are rewritten.
     */
    rebuild(integrationId: string, snapshotId: string): void {
      const snap = snapKey(snapshotId)
      let source = s.sourceKey.get(integrationId) as number | undefined
      if (source === undefined) source = Number(s.insertSource.run(integrationId, snapshotId).lastInsertRowid)
      else s.setSnapshot.run(snapshotId, source)
      const users = s.allUsers.all(snap) as Array<[number, string, string]>
      const groups = s.allGroups.all(snap) as Array<[number, string | null, string]>
      if (s.anyEntry.get(source) === undefined) {
        fill(source, integrationId, users, groups)
        return
      }
      const before = new Map<string, string[]>()
      for (const [kind, object, address] of s.entries.raw().iterate(source) as Iterable<[number, number, string]>) {
        const id = `${kind}:${object}`
        const list = before.get(id)
        if (list) list.push(address)
        else before.set(id, [address])
      }
      const write = (kind: number, object: number, addresses: string[]): void => {
        const id = `${kind}:${object}`
        const old = before.get(id)
        before.delete(id)
        if (!old || !sameList(old.sort(), addresses)) replace(source, kind, object, addresses)
      }
      for (const [user, primary, aliases] of users) write(INDEXED_USER, user, indexedUserAddresses(primary, aliases))
      for (const [grp, address, externalId] of groups) write(INDEXED_GROUP, grp, [indexedGroupKey(integrationId, address, externalId)])
      for (const id of before.keys()) {
        const [kind, object] = id.split(':').map(Number)
        s.remove.run(source, kind ?? 0, object ?? 0)
      }
    },

    /**
     * Brings an integration's entries to `snapshotId` for the objects a delta named, and returns
     * what the plan must look at again: every address the users had or have (true when their
     * addresses changed: the people connected to them, and so memberships, may have), and every
     * key the groups had or have.
     */
    update(integrationId: string, snapshotId: string, users: Iterable<string>, groups: Iterable<string>): { addresses: Map<string, boolean>; groups: Set<string> } {
      const snap = snapKey(snapshotId)
      const source = s.sourceKey.get(integrationId) as number
      s.setSnapshot.run(snapshotId, source)
      const addresses = new Map<string, boolean>()
      const keys = new Set<string>()
      for (const externalId of users) {
        const object = s.idOf.get(externalId) as number | undefined
        if (object === undefined) continue
        const old = s.of.all(source, INDEXED_USER, object) as string[]
        const row = s.user.get(snap, object) as [string, string] | undefined
        const now = row ? indexedUserAddresses(row[0], row[1]) : []
        const moved = !sameList(old, now)
        for (const address of [...old, ...now]) addresses.set(address, (addresses.get(address) ?? false) || moved)
        if (moved) replace(source, INDEXED_USER, object, now)
      }
      for (const externalId of groups) {
        const object = s.idOf.get(externalId) as number | undefined
        if (object === undefined) continue
        const old = s.of.all(source, INDEXED_GROUP, object) as string[]
        const row = s.group.get(snap, object) as [string | null, string] | undefined
        const now = row ? [indexedGroupKey(integrationId, row[0], row[1])] : []
        for (const key of [...old, ...now]) keys.add(key)
        if (!sameList(old, now)) replace(source, INDEXED_GROUP, object, now)
      }
      return { addresses, groups: keys }
    },
  }
}
export type PlanAddressIndex = ReturnType<typeof createPlanAddressIndex>
