import { compareStrings } from '../../shared/domain/action-order.ts'
import { MemberAddition } from './member-addition.ts'

/**
 * A plan's add-member actions as columns: a first sync plans one per membership (1.2M at 100k
 * users), and as objects — even compact ones — they took ~110 bytes each and a comparator sort of
 * strings (0.9 s). Here an addition is two integers (the member's number and its source list,
 * interned), grouped by group, already in apply order (`compareActions`: group key, then
 * member address); `MemberAddition` objects are made one at a time as the sequence is walked, and
 * nothing keeps them.
 */
export class MemberAdditions implements Iterable<MemberAddition> {
  /** Groups in key order, each with its name and where its additions end in `#members`. */
  readonly #keys: readonly string[]
  readonly #names: readonly string[]
  readonly #ends: Int32Array
  /** Per addition: its member (its number: an index into `#addresses`) and its source list (into `#lists`). */
  readonly #members: Int32Array
  readonly #sources: Int32Array
  readonly #addresses: ReadonlyArray<string | undefined>
  readonly #lists: ReadonlyArray<readonly string[]>

  constructor(groups: { keys: readonly string[]; names: readonly string[]; ends: Int32Array }, members: Int32Array, sources: Int32Array, addresses: ReadonlyArray<string | undefined>, lists: ReadonlyArray<readonly string[]>) {
    this.#keys = groups.keys
    this.#names = groups.names
    this.#ends = groups.ends
    this.#members = members
    this.#sources = sources
    this.#addresses = addresses
    this.#lists = lists
  }

  get length(): number {
    return this.#members.length
  }

  *[Symbol.iterator](): Iterator<MemberAddition> {
    let at = 0
    for (let group = 0; group < this.#keys.length; group++) {
      const key = this.#keys[group] ?? ''
      const name = this.#names[group] ?? ''
      for (const end = this.#ends[group] ?? 0; at < end; at++) {
        const member = this.#members[at] ?? 0
        yield new MemberAddition(key, name, this.#addresses[member] ?? '', this.#lists[this.#sources[at] ?? 0] ?? [], member)
      }
    }
  }
}

export const NO_ADDITIONS = new MemberAdditions({ keys: [], names: [], ends: new Int32Array(0) }, new Int32Array(0), new Int32Array(0), [], [])

/** An Int32Array that grows by doubling past the capacity it was sized for. */
class Int32Column {
  #data: Int32Array
  length = 0

  constructor(capacity: number) {
    this.#data = new Int32Array(Math.max(capacity, 1024))
  }

  push(value: number): void {
    if (this.length === this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2)
      grown.set(this.#data)
      this.#data = grown
    }
    this.#data[this.length++] = value
  }

  get(at: number): number {
    return this.#data[at] ?? 0
  }
}

/**
 * Collects add-members in any order (groups interned by key, members by the number the planner
 * knows them by) and sorts them once at `finish`: groups by key, then each group's members by the
 * rank of their address — integers, not strings, so 1.2M additions sort in milliseconds.
 */
export class MemberAdditionsBuilder {
  readonly #groupIndex = new Map<string, number>()
  readonly #keys: string[] = []
  readonly #names: string[] = []
  /** Member number → its address (holes: numbers no addition names). */
  readonly #addresses: Array<string | undefined>
  /** By identity: the planner passes interned lists (SourceSets.ids). */
  readonly #listIndex = new Map<readonly string[], number>()
  readonly #lists: Array<readonly string[]> = []
  readonly #group: Int32Column
  readonly #member: Int32Column
  readonly #source: Int32Column
  #lastKey: string | null = null
  #lastGroup = 0

  /**
   * `members`: member numbers are below it. `expected`: about how many additions will come (an
   * upper bound sizes the columns once: a first sync's 1.2M, grown by doubling, left ~25 MB of
   * discarded buffers behind).
   */
  constructor(members: number, expected = 0) {
    this.#addresses = new Array<string | undefined>(members)
    this.#group = new Int32Column(expected)
    this.#member = new Int32Column(expected)
    this.#source = new Int32Column(expected)
  }

  /** `number` stands for `member` (the same number, the same address, in every call). */
  add(groupKey: string, groupName: string, number: number, member: string, integrationIds: readonly string[]): void {
    // The planner adds a group's members one after another: skip the lookup then.
    if (groupKey !== this.#lastKey) {
      let group = this.#groupIndex.get(groupKey)
      if (group === undefined) {
        group = this.#keys.length
        this.#groupIndex.set(groupKey, group)
        this.#keys.push(groupKey)
        this.#names.push(groupName)
      }
      this.#lastKey = groupKey
      this.#lastGroup = group
    }
    this.#addresses[number] ??= member
    let list = this.#listIndex.get(integrationIds)
    if (list === undefined) {
      list = this.#lists.length
      this.#listIndex.set(integrationIds, list)
      this.#lists.push(integrationIds)
    }
    this.#group.push(this.#lastGroup)
    this.#member.push(number)
    this.#source.push(list)
  }

  finish(): MemberAdditions {
    const count = this.#group.length
    if (count === 0) return NO_ADDITIONS
    const groupOrder = Array.from(this.#keys.keys()).sort((a, b) => compareStrings(this.#keys[a] ?? '', this.#keys[b] ?? ''))
    const groupRank = new Int32Array(groupOrder.length)
    groupOrder.forEach((group, rank) => (groupRank[group] = rank))
    const named: number[] = []
    this.#addresses.forEach((address, number) => address !== undefined && named.push(number))
    const memberOrder = named.sort((a, b) => compareStrings(this.#addresses[a] ?? '', this.#addresses[b] ?? ''))
    const memberRank = new Int32Array(this.#addresses.length)
    memberOrder.forEach((number, rank) => (memberRank[number] = rank))

    // Counting sort by group rank, then each group's additions by (member rank, list): one
    // number each, exact in a double while ranks × lists < 2^53.
    const ends = new Int32Array(groupOrder.length)
    for (let i = 0; i < count; i++) {
      const rank = groupRank[this.#group.get(i)] ?? 0
      ends[rank] = (ends[rank] ?? 0) + 1
    }
    for (let rank = 1; rank < ends.length; rank++) ends[rank] = (ends[rank] ?? 0) + (ends[rank - 1] ?? 0)
    const lists = this.#lists.length
    const packed = new Float64Array(count)
    const next = new Int32Array(ends.length)
    for (let rank = 1; rank < ends.length; rank++) next[rank] = ends[rank - 1] ?? 0
    for (let i = 0; i < count; i++) {
      const rank = groupRank[this.#group.get(i)] ?? 0
      const at = next[rank] ?? 0
      next[rank] = at + 1
      packed[at] = (memberRank[this.#member.get(i)] ?? 0) * lists + this.#source.get(i)
    }
    let start = 0
    for (const end of ends) {
      packed.subarray(start, end).sort()
      start = end
    }
    const members = new Int32Array(count)
    const sources = new Int32Array(count)
    for (let i = 0; i < count; i++) {
      const value = packed[i] ?? 0
      const source = value % lists
      members[i] = memberOrder[(value - source) / lists] ?? 0
      sources[i] = source
    }
    const keys = groupOrder.map((group) => this.#keys[group] ?? '')
    const names = groupOrder.map((group) => this.#names[group] ?? '')
    return new MemberAdditions({ keys, names, ends }, members, sources, this.#addresses, this.#lists)
  }
}
