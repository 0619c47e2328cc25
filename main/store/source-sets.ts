import type { Db } from './open-database.ts'

/**
 * Which integrations back a user, group or membership, as a small integer: the distinct lists
 * are few (one per combination of integrations), so each is stored once in `source_sets` and rows
 * carry its id. Id 0 is the empty list (added by hand, or no longer backed).
 */
export function createSourceSets(db: Db) {
  const byJson = new Map<string, number>()
  const byId = new Map<number, readonly string[]>()
  /** By identity: the planner hands out one interned array per distinct list, so a first sync's 1.2M memberships cost no JSON each. */
  const byList = new WeakMap<readonly string[], number>()
  const find = db.prepare('SELECT id FROM source_sets WHERE integration_ids = ?').pluck()
  const insert = db.prepare('INSERT INTO source_sets (integration_ids) VALUES (?)')
  let loaded = false

  function loadAll(): void {
    if (loaded) return
    for (const row of db.prepare('SELECT id, integration_ids FROM source_sets').iterate() as Iterable<{ id: number; integration_ids: string }>) {
      byJson.set(row.integration_ids, row.id)
      byId.set(row.id, Object.freeze(JSON.parse(row.integration_ids) as string[]))
    }
    loaded = true
  }

  return {
    /** The id of this list (stored on first use). */
    id(list: readonly string[]): number {
      const known = byList.get(list)
      if (known !== undefined) return known
      const json = JSON.stringify(list)
      let id = byJson.get(json)
      if (id === undefined) {
        const found = find.get(json) as number | undefined
        id = found ?? Number(insert.run(json).lastInsertRowid)
        byJson.set(json, id)
        byId.set(id, Object.freeze([...list]))
      }
      // Only frozen lists: a list changed after this call must not keep its old id.
      if (Object.isFrozen(list)) byList.set(list, id)
      return id
    },
    /** The list an id stands for; identical lists are one shared frozen array. */
    list(id: number): readonly string[] {
      let list = byId.get(id)
      if (!list) {
        loaded = false
        loadAll()
        list = byId.get(id) ?? []
      }
      return list
    },
    loadAll,
  }
}
export type SourceSets = ReturnType<typeof createSourceSets>
