import type { SyncAction } from '../../shared/domain/sync-action.ts'
import { MemberAddition } from '../model/member-addition.ts'

/**
 * A membership's member → a row id (its user id, its journal key), found by `lookup` once per
 * member and then by the member's number in the plan (MemberAddition.memberNumber): a first sync
 * adds 1.2M memberships of 100k users, and a Map lookup by address for each of them cost about a
 * second per map. Valid for one plan (one apply); `forget()` drops everything (a user removed).
 * Row ids are positive, so 0 marks a member not looked up yet.
 */
export function memoByMember(lookup: (address: string) => number) {
  let known = new Float64Array(0)
  return {
    of(action: SyncAction): number {
      const number = action instanceof MemberAddition ? action.memberNumber : -1
      if (number < 0) return lookup(action.member ?? '')
      if (number >= known.length) {
        const grown = new Float64Array(Math.max(number + 1, known.length * 2, 1024))
        grown.set(known)
        known = grown
      }
      let id = known[number] ?? 0
      if (id === 0) {
        id = lookup(action.member ?? '')
        known[number] = id
      }
      return id
    },
    forget(): void {
      known = new Float64Array(0)
    },
  }
}
