/**
 * Sets of integrations as bit masks over the live integrations' indexes, turned back into sorted,
 * interned id arrays only at the end: the planner handles millions of memberships, and a number
 * per membership is far lighter than an array per membership.
 */
export const MAX_LIVE_INTEGRATIONS = 31

export class SourceSets {
  readonly #ids: readonly string[]
  readonly #interned = new Map<number, readonly string[]>()
  /** An account source list (by identity: the loader interns them) → its mask, or -1 (see `maskOf`). */
  readonly #maskByList = new Map<readonly string[], number>()

  constructor(sortedIds: readonly string[]) {
    if (sortedIds.length > MAX_LIVE_INTEGRATIONS) {
      throw new Error(`An account can hold at most ${MAX_LIVE_INTEGRATIONS} integrations with snapshots; delete unused ones.`)
    }
    this.#ids = sortedIds
  }

  bit(index: number): number {
    return 1 << index
  }

  /** The ids in a mask, sorted; the same mask always returns the same array instance. */
  ids(mask: number): readonly string[] {
    const hit = this.#interned.get(mask)
    if (hit) return hit
    const ids: string[] = []
    for (let i = 0; i < this.#ids.length; i++) if (mask & (1 << i)) ids.push(this.#ids[i] ?? '')
    const frozen = Object.freeze(ids)
    this.#interned.set(mask, frozen)
    return frozen
  }

  /**
   * The mask whose `ids` equal `list` in the sense of `sameIds`, or -1 when no mask does (an id
   * of a deleted integration, a duplicate). Lets the planner compare an account source list with
   * a desired mask as two numbers; cached per list, so a million users cost a million Map hits,
   * not a million sorted copies.
   */
  maskOf(list: readonly string[]): number {
    const hit = this.#maskByList.get(list)
    if (hit !== undefined) return hit
    let mask = 0
    for (const id of list) {
      const index = this.#ids.indexOf(id)
      if (index < 0) {
        mask = -1
        break
      }
      mask |= 1 << index
    }
    if (mask >= 0 && !sameIds(list, this.ids(mask))) mask = -1
    this.#maskByList.set(list, mask)
    return mask
  }

  /** `sameIds(list, this.ids(mask))`, through the cache. */
  same(list: readonly string[], mask: number): boolean {
    return this.maskOf(list) === mask
  }
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  const sortedA = [...a].sort()
  const sortedB = [...b].sort()
  return sortedA.every((value, i) => value === sortedB[i])
}
