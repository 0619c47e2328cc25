import type { AccountGroupState, AccountState, AccountUserState, GroupMembers } from './plan-types.ts'

/** Member user index × this + source list index fits a double exactly up to 2^31 users. */
const SOURCE_LIST_SLOTS = 2 ** 21

/**
 * Builds the numbered `AccountState` the planner diffs against. The SQLite loader, the test
 * fixtures and the benchmark all go through it, so the planner sees one shape. Add users first
 * (a user's index is the order it was added in), then groups and memberships in any order.
 */
export class AccountStateBuilder {
  readonly #users: AccountUserState[] = []
  readonly #userByAddress = new Map<string, number>()
  readonly #groups = new Map<string, AccountGroupState>()
  readonly #sourceLists: Array<readonly string[]> = []
  /** By identity: callers pass interned lists (the loader interns its JSON), so this stays small. */
  readonly #sourceListIndex = new Map<readonly string[], number>()
  /** group key → member user indexes and source list indexes, in the order added. */
  readonly #pending = new Map<string, { users: number[]; sources: number[] }>()
  #lastKey: string | null = null
  #last: { users: number[]; sources: number[] } | null = null

  addUser(user: AccountUserState): void {
    const index = this.#users.length
    this.#users.push(user)
    this.#claim(user.address, index)
    for (const { address } of user.addresses) this.#claim(address, index)
  }

  addGroup(group: AccountGroupState): void {
    this.#groups.set(group.key, group)
  }

  /** `user` is the member's primary address; it must be a user added before (memberships reference users). */
  addMember(groupKey: string, user: string, sources: readonly string[]): void {
    const index = this.#userByAddress.get(user)
    if (index === undefined || this.#users[index]?.address !== user) throw new Error(`Membership of ${groupKey} names ${user}, which is not an account user.`)
    let sourceList = this.#sourceListIndex.get(sources)
    if (sourceList === undefined) {
      sourceList = this.#sourceLists.length
      if (sourceList >= SOURCE_LIST_SLOTS) throw new Error('Too many distinct membership source lists.')
      this.#sourceLists.push(sources)
      this.#sourceListIndex.set(sources, sourceList)
    }
    // Rows usually arrive grouped by group (the memberships primary key): skip the lookup then.
    let members = groupKey === this.#lastKey ? this.#last : this.#pending.get(groupKey)
    if (!members) this.#pending.set(groupKey, (members = { users: [], sources: [] }))
    this.#lastKey = groupKey
    this.#last = members
    members.users.push(index)
    members.sources.push(sourceList)
  }

  build(): AccountState {
    const memberships = new Map<string, GroupMembers>()
    let membershipCount = 0
    for (const [key, pending] of this.#pending) {
      memberships.set(key, sortedMembers(pending.users, pending.sources, membershipCount))
      membershipCount += pending.users.length
    }
    this.#pending.clear()
    return { users: this.#users, userByAddress: this.#userByAddress, groups: this.#groups, memberships, membershipCount, sourceLists: this.#sourceLists }
  }

  #claim(address: string, index: number): void {
    const holder = this.#userByAddress.get(address)
    if (holder !== undefined && holder !== index) throw new Error(`${address} is held by two account users.`)
    this.#userByAddress.set(address, index)
  }
}

/** Sorts members by user index (the planner binary-searches them), keeping each one's source list. */
function sortedMembers(users: readonly number[], sources: readonly number[], offset: number): GroupMembers {
  // One native numeric sort of packed pairs instead of a comparator sort over an index array.
  const packed = new Float64Array(users.length)
  for (let i = 0; i < users.length; i++) packed[i] = (users[i] ?? 0) * SOURCE_LIST_SLOTS + (sources[i] ?? 0)
  packed.sort()
  const result = { users: new Int32Array(users.length), sources: new Uint32Array(users.length), offset }
  for (let i = 0; i < packed.length; i++) {
    const value = packed[i] ?? 0
    const user = Math.floor(value / SOURCE_LIST_SLOTS)
    result.users[i] = user
    result.sources[i] = value - user * SOURCE_LIST_SLOTS
  }
  return result
}

/** Position of `user` in a group's ascending member indexes, or -1. */
export function memberPosition(members: GroupMembers, user: number): number {
  const list = members.users
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const value = list[mid] ?? 0
    if (value < user) low = mid + 1
    else if (value > user) high = mid - 1
    else return mid
  }
  return -1
}
