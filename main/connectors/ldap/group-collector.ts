import { detached } from './detached-string.ts'
import { DnInterner } from './lean/dn-interner.ts'
import type { GroupBasics } from './ldap-mapping.ts'
import type { NumberedDnValues } from './lean/search-entry-decoder.ts'

/**
 * The groups of one read with their member DNs numbered instead of repeated as strings (a 100k-user
 * directory has ~1.2M member values but only ~110k distinct DNs), in flat arrays: compact, and
 * cheap to hand from the group-reading worker thread to the main thread (the Int32Arrays are
 * transferred, not copied).
 */
export interface CollectedGroups {
  /** Member DN by number, spelled as the server sent it. */
  readonly memberDns: string[]
  readonly groupDns: string[]
  readonly basics: GroupBasics[]
  /** DN numbers of every group's members, group after group: group i has [memberOffsets[i], memberOffsets[i + 1]). */
  readonly members: Int32Array
  readonly memberOffsets: Int32Array
  /** posixGroup memberUid values (log-on names), laid out the same way. */
  readonly uids: string[]
  readonly uidOffsets: Int32Array
}

export class GroupCollector {
  /** Numbers member DNs; the group reader's connection interns with the same one (see DnInterner). */
  private readonly interner: DnInterner
  private readonly groupDns: string[] = []
  private readonly basics: GroupBasics[] = []
  private members = new Int32Array(1 << 16)
  private memberCount = 0
  private readonly memberOffsets: number[] = [0]
  private readonly uids: string[] = []
  private readonly uidOffsets: number[] = [0]

  constructor(interner: DnInterner = new DnInterner()) {
    this.interner = interner
  }

  get groupCount(): number {
    return this.groupDns.length
  }

  add(dn: string, basics: GroupBasics, memberDns: readonly string[], memberUids: readonly string[]): void {
    if (this.memberCount + memberDns.length > this.members.length) {
      const grown = new Int32Array(Math.max(this.members.length * 2, this.memberCount + memberDns.length))
      grown.set(this.members.subarray(0, this.memberCount))
      this.members = grown
    }
    const members = this.members
    let count = this.memberCount
    // Interned values come with their numbers; others (range-retrieval continuations, uniqueMember
    // lists with UIDs stripped) are numbered here.
    const numbered = (memberDns as Partial<NumberedDnValues>).dnNumbers
    if (numbered !== undefined && numbered.length === memberDns.length) for (const number of numbered) members[count++] = number
    else for (const memberDn of memberDns) members[count++] = this.interner.numberOfText(memberDn)
    this.memberCount = count
    this.memberOffsets.push(count)
    for (const uid of memberUids) this.uids.push(detached(uid))
    this.uidOffsets.push(this.uids.length)
    this.groupDns.push(dn)
    this.basics.push({ externalId: detached(basics.externalId), name: detached(basics.name), address: basics.address === null ? null : detached(basics.address) })
  }

  finish(): CollectedGroups {
    return {
      memberDns: [...this.interner.all],
      groupDns: this.groupDns,
      basics: this.basics,
      members: this.members.slice(0, this.memberCount),
      memberOffsets: Int32Array.from(this.memberOffsets),
      uids: this.uids,
      uidOffsets: Int32Array.from(this.uidOffsets),
    }
  }
}
