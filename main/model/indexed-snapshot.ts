import type { DirectoryGroup, DirectorySnapshotData, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'

/**
 * A snapshot as the store loads it for planning: each group also lists its members as positions
 * in the snapshot's `users` array, resolved once while loading. The planner then follows numbers
 * instead of looking 5M member ids up in a Map of 1M external ids. External ids are unique in it
 * (the snapshot tables' primary key), which is what lets a position stand for an id.
 */
export interface IndexedSnapshotData extends DirectorySnapshotData {
  readonly memberRowsResolved: true
  readonly groups: readonly IndexedDirectoryGroup[]
}

export interface IndexedDirectoryGroup extends DirectoryGroup {
  /** Positions in the snapshot's `users` of the members that are users of the snapshot, each once, in `memberIds` order. */
  readonly memberRows: Int32Array
}

export function isIndexedSnapshot(snapshot: DirectorySnapshotData): snapshot is IndexedSnapshotData {
  return (snapshot as Partial<IndexedSnapshotData>).memberRowsResolved === true
}

/**
 * A group whose `memberIds` are derived from its rows when asked for (the migration coverage
 * report does; the planner does not), so 5M member id strings are not kept alive during a plan.
 * Ids that name no user of the snapshot, or repeat, cannot be derived: such a group keeps its full
 * id list.
 */
export class IndexedGroup implements IndexedDirectoryGroup {
  readonly externalId: string
  readonly name: string
  readonly address: string | null
  readonly aliases: readonly string[]
  readonly memberRows: Int32Array
  readonly #users: readonly DirectoryUser[]
  readonly #allIds: readonly string[] | null

  constructor(group: Omit<DirectoryGroup, 'memberIds'>, members: ResolvedMembers, users: readonly DirectoryUser[]) {
    this.externalId = group.externalId
    this.name = group.name
    this.address = group.address
    this.aliases = group.aliases ?? []
    this.memberRows = members.rows
    this.#users = users
    this.#allIds = members.allIds
  }

  get memberIds(): readonly string[] {
    return this.#allIds ?? Array.from(this.memberRows, (row) => this.#users[row]?.externalId ?? '')
  }
}

export interface ResolvedMembers {
  readonly rows: Int32Array
  /** Every member id, kept only when some id names no user of the snapshot (rows cannot say it). */
  readonly allIds: readonly string[] | null
}

export const NO_MEMBERS: ResolvedMembers = { rows: new Int32Array(0), allIds: null }

/**
 * Resolves members to rows, one group at a time: `add` each member as it is read (by its row when
 * the caller knows it, else by id), then `finish` the group. Shared by the store's `load()` and
 * the benchmark so both build one shape. A regular group (every member a user of the snapshot,
 * each once) costs one integer per member; only an irregular one keeps its ids.
 */
export class MemberRowResolver {
  readonly #users: readonly DirectoryUser[]
  #rowById: Map<string, number> | null = null
  /** Per row: the group (serial) it was last added to, so a repeated member adds no second row. */
  readonly #addedIn: Int32Array
  #serial = 0
  #rows: number[] = []
  /** Every member id so far, kept from the group's first irregular member on (see `#irregular`). */
  #ids: string[] | null = null

  constructor(users: readonly DirectoryUser[]) {
    this.#users = users
    this.#addedIn = new Int32Array(users.length).fill(-1)
  }

  /** A member by id. */
  add(memberId: string): void {
    if (!this.#rowById) {
      this.#rowById = new Map()
      this.#users.forEach((user, row) => this.#rowById?.set(user.externalId, row))
    }
    const row = this.#rowById.get(memberId)
    if (row === undefined) this.addOther(memberId)
    else this.addRow(row)
  }

  /** A member that is the user at `row`. */
  addRow(row: number): void {
    if (this.#addedIn[row] === this.#serial) {
      this.#irregular().push(this.#users[row]?.externalId ?? '')
      return
    }
    this.#addedIn[row] = this.#serial
    this.#rows.push(row)
    this.#ids?.push(this.#users[row]?.externalId ?? '')
  }

  /** A member id that names no user of the snapshot (a nested group, an object out of scope). */
  addOther(memberId: string): void {
    this.#irregular().push(memberId)
  }

  finish(): ResolvedMembers {
    const result = { rows: Int32Array.from(this.#rows), allIds: this.#ids }
    this.#rows = []
    this.#ids = null
    this.#serial++
    return result
  }

  /** Some member named no user, or repeated one: the rows alone cannot give `memberIds` back, so ids are kept. */
  #irregular(): string[] {
    // Until now every member had its own row: the rows say who they were.
    this.#ids ??= this.#rows.map((row) => this.#users[row]?.externalId ?? '')
    return this.#ids
  }
}
