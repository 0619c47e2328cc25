import { normalizedAddress } from '../directory-rules/email-address.ts'
import { createBulkInsert } from './bulk-insert.ts'
import type { Db } from './open-database.ts'

/** Snapshot users read per page by a rebuild. */
const USERS_PAGE = 2000

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

/**
 * An address's 32-bit FNV-1a hash over its UTF-16 code units, signed (SQLite stores it in four
 * bytes). Stored on disk: never change it. Two addresses may share one, so a lookup by hash is
 * checked against the object's own list.
 */
export function addressHash(address: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < address.length; i++) hash = Math.imul(hash ^ address.charCodeAt(i), 0x01000193)
  return hash | 0
}

/**
 * Positions of `hashes` in SQLite's (signed) order of them, ties in position order — for entries
 * added in (kind, object) order, the plan_index_hash key's order: a stable radix sort, two
 * 16-bit passes.
 */
function hashOrder(hashes: readonly number[]): Uint32Array {
  const count = hashes.length
  // Flipping the sign bit makes unsigned order the signed one.
  const keys = new Uint32Array(count)
  for (let at = 0; at < count; at++) keys[at] = ((hashes[at] ?? 0) ^ 0x80000000) >>> 0
  let from = new Uint32Array(count)
  for (let at = 0; at < count; at++) from[at] = at
  let to = new Uint32Array(count)
  for (const shift of [0, 16]) {
    const starts = new Uint32Array(0x10001)
    for (let i = 0; i < count; i++) {
      const digit = ((keys[from[i] ?? 0] ?? 0) >>> shift) & 0xffff
      starts[digit + 1] = (starts[digit + 1] ?? 0) + 1
    }
    for (let digit = 1; digit <= 0x10000; digit++) starts[digit] = (starts[digit] ?? 0) + (starts[digit - 1] ?? 0)
    for (let i = 0; i < count; i++) {
      const at = from[i] ?? 0
      const digit = ((keys[at] ?? 0) >>> shift) & 0xffff
      const slot = starts[digit] ?? 0
      starts[digit] = slot + 1
      to[slot] = at
    }
    ;[from, to] = [to, from]
  }
  return from
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Every address and group key of every contributing snapshot, by object (plan_index: one row per
 * object, its addresses as a JSON list), and by address (plan_index_hash: each address's hash →
 * the objects that have it): "which snapshot users present this address" and "which snapshot
 * groups have this key" become indexed lookups, and an object's addresses before a promotion are
 * still known after it. The address text is stored once; before, a row per address and a second
 * B-tree over the text took 34 MB at 100k users. Each integration's entries record the snapshot
 * they reflect (plan_index_sources).
 */
export function createPlanAddressIndex(db: Db) {
  const s = {
    sources: db.prepare('SELECT integration_id, key, snapshot_id FROM plan_index_sources'),
    sourceKey: db.prepare('SELECT key FROM plan_index_sources WHERE integration_id = ?').pluck(),
    insertSource: db.prepare('INSERT INTO plan_index_sources (integration_id, snapshot_id) VALUES (?, ?)'),
    setSnapshot: db.prepare('UPDATE plan_index_sources SET snapshot_id = ? WHERE key = ?'),
    dropSource: db.prepare('DELETE FROM plan_index_sources WHERE key = ?'),
    dropEntries: db.prepare('DELETE FROM plan_index WHERE source = ?'),
    dropHashes: db.prepare('DELETE FROM plan_index_hash WHERE source = ?'),
    entries: db.prepare('SELECT kind, object, addresses FROM plan_index WHERE source = ?').raw(),
    anyEntry: db.prepare('SELECT 1 FROM plan_index WHERE source = ? LIMIT 1').pluck(),
    of: db.prepare('SELECT addresses FROM plan_index WHERE source = ? AND kind = ? AND object = ?').pluck(),
    insert: db.prepare('INSERT INTO plan_index (source, kind, object, addresses) VALUES (?, ?, ?, ?)'),
    insertHash: db.prepare('INSERT OR IGNORE INTO plan_index_hash (hash, kind, source, object) VALUES (?, ?, ?, ?)'),
    remove: db.prepare('DELETE FROM plan_index WHERE source = ? AND kind = ? AND object = ?'),
    removeHash: db.prepare('DELETE FROM plan_index_hash WHERE hash = ? AND kind = ? AND source = ? AND object = ?'),
    byHash: db.prepare('SELECT h.source, h.object, p.addresses FROM plan_index_hash h JOIN plan_index p ON p.source = h.source AND p.kind = h.kind AND p.object = h.object WHERE h.hash = ? AND h.kind = ?').raw(),
    snapKey: db.prepare('SELECT key FROM snapshots WHERE id = ?').pluck(),
    idOf: db.prepare('SELECT id FROM snapshot_ids WHERE external_id = ?').pluck(),
    user: db.prepare('SELECT primary_address, aliases FROM snapshot_users WHERE snap = ? AND user = ?').raw(),
    group: db.prepare('SELECT g.address, i.external_id FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ? AND g.grp = ?').raw(),
    usersPage: db.prepare('SELECT user, primary_address, aliases FROM snapshot_users WHERE snap = ? AND user > ? ORDER BY user LIMIT ?').raw(),
    allGroups: db.prepare('SELECT g.grp, g.address, i.external_id FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ?').raw(),
  }

  function snapKey(snapshotId: string): number {
    const key = s.snapKey.get(snapshotId) as number | undefined
    if (key === undefined) throw new Error(`No snapshot has the id ${snapshotId}.`)
    return key
  }

  /**
   * A snapshot's users a page at a time: each page's rows die young, where reading all 100k at
   * once kept them through the rebuild and grew the heap (and the process) by ~100 MB.
   */
  function* usersOf(snap: number): Generator<[user: number, primary: string, aliases: string]> {
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const page = s.usersPage.all(snap, after, USERS_PAGE) as Array<[number, string, string]>
      yield* page
      const last = page.at(-1)
      if (!last || page.length < USERS_PAGE) return
      after = last[0]
    }
  }

  function addressesOf(source: number, kind: number, object: number): string[] {
    const list = s.of.get(source, kind, object) as string | undefined
    return list === undefined ? [] : (JSON.parse(list) as string[])
  }

  /**
   * A source's first entries (a first sync): appended with multi-row INSERTs, the hashes in hash
   * order, so both B-trees are written left to right (dense pages, no splits in the middle).
   */
  /**
   * A source's first entries (a first sync): appended with multi-row INSERTs, the hashes in the
   * order of their B-tree (random-order inserts into it cost three times as much).
   */
  function fill(source: number, integrationId: string, users: Iterable<readonly [number, string, string]>, groups: Iterable<readonly [number, string | null, string]>): void {
    const rows = createBulkInsert(db, 'INSERT INTO plan_index (source, kind, object, addresses)', 4)
    const hashes: number[] = []
    const objects: number[] = []
    /** Where the groups' entries start in `hashes` (the users' come first). */
    let groupsFrom = 0
    const add = (kind: number, object: number, addresses: readonly string[]): void => {
      rows.add(source, kind, object, JSON.stringify(addresses))
      for (const address of addresses) {
        hashes.push(addressHash(address))
        objects.push(object)
      }
    }
    for (const [user, primary, aliases] of users) add(INDEXED_USER, user, indexedUserAddresses(primary, aliases))
    groupsFrom = hashes.length
    for (const [grp, address, externalId] of groups) add(INDEXED_GROUP, grp, [indexedGroupKey(integrationId, address, externalId)])
    rows.flush()
    const byHash = createBulkInsert(db, 'INSERT OR IGNORE INTO plan_index_hash (hash, kind, source, object)', 4)
    for (const at of hashOrder(hashes)) byHash.add(hashes[at] ?? 0, at < groupsFrom ? INDEXED_USER : INDEXED_GROUP, source, objects[at] ?? 0)
    byHash.flush()
  }

  function remove(source: number, kind: number, object: number, old: readonly string[]): void {
    for (const address of old) s.removeHash.run(addressHash(address), kind, source, object)
    s.remove.run(source, kind, object)
  }

  function replace(source: number, kind: number, object: number, old: readonly string[], addresses: readonly string[]): void {
    remove(source, kind, object, old)
    if (addresses.length === 0) return
    s.insert.run(source, kind, object, JSON.stringify(addresses))
    for (const address of addresses) s.insertHash.run(addressHash(address), kind, source, object)
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
      s.dropHashes.run(source)
      s.dropEntries.run(source)
      s.dropSource.run(source)
    },

    /** The objects of `kind` that have `address`, as [source, object]. */
    presenting(address: string, kind: number): Array<[source: number, object: number]> {
      const found: Array<[number, number]> = []
      for (const [source, object, list] of s.byHash.iterate(addressHash(address), kind) as Iterable<[number, number, string]>) {
        if ((JSON.parse(list) as string[]).includes(address)) found.push([source, object])
      }
      return found
    },

    /** An object's addresses (sorted), or a group's key (one). */
    addressesOf,

    /**
     * Brings an integration's entries to `snapshotId` by reading the whole snapshot (a first plan,
     * an unbounded change): only entries that differ are rewritten.
     */
    rebuild(integrationId: string, snapshotId: string): void {
      const snap = snapKey(snapshotId)
      let source = s.sourceKey.get(integrationId) as number | undefined
      if (source === undefined) source = Number(s.insertSource.run(integrationId, snapshotId).lastInsertRowid)
      else s.setSnapshot.run(snapshotId, source)
      const groups = s.allGroups.all(snap) as Array<[number, string | null, string]>
      if (s.anyEntry.get(source) === undefined) {
        fill(source, integrationId, usersOf(snap), groups)
        return
      }
      const before = new Map<string, string[]>()
      for (const [kind, object, list] of s.entries.iterate(source) as Iterable<[number, number, string]>) before.set(`${kind}:${object}`, JSON.parse(list) as string[])
      const write = (kind: number, object: number, addresses: string[]): void => {
        const id = `${kind}:${object}`
        const old = before.get(id) ?? []
        before.delete(id)
        if (!sameList(old, addresses)) replace(source, kind, object, old, addresses)
      }
      for (const [user, primary, aliases] of usersOf(snap)) write(INDEXED_USER, user, indexedUserAddresses(primary, aliases))
      for (const [grp, address, externalId] of groups) write(INDEXED_GROUP, grp, [indexedGroupKey(integrationId, address, externalId)])
      for (const [id, old] of before) {
        const [kind, object] = id.split(':').map(Number)
        remove(source, kind ?? 0, object ?? 0, old)
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
        const old = addressesOf(source, INDEXED_USER, object)
        const row = s.user.get(snap, object) as [string, string] | undefined
        const now = row ? indexedUserAddresses(row[0], row[1]) : []
        const moved = !sameList(old, now)
        for (const address of [...old, ...now]) addresses.set(address, (addresses.get(address) ?? false) || moved)
        if (moved) replace(source, INDEXED_USER, object, old, now)
      }
      for (const externalId of groups) {
        const object = s.idOf.get(externalId) as number | undefined
        if (object === undefined) continue
        const old = addressesOf(source, INDEXED_GROUP, object)
        const row = s.group.get(snap, object) as [string | null, string] | undefined
        const now = row ? [indexedGroupKey(integrationId, row[0], row[1])] : []
        for (const key of [...old, ...now]) keys.add(key)
        if (!sameList(old, now)) replace(source, INDEXED_GROUP, object, old, now)
      }
      return { addresses, groups: keys }
    },
  }
}
export type PlanAddressIndex = ReturnType<typeof createPlanAddressIndex>
