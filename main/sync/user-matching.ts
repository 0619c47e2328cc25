import type { DesiredState } from './desired-state.ts'
import type { AccountState } from '../model/plan-types.ts'

/** Which account user each desired user is, both ways, by number; -1 = none. */
export interface UserMatch {
  /** desired user number → account user index (-1: a user to create) */
  readonly accountOf: Int32Array
  /** account user index → desired user number (-1: no longer in any snapshot) */
  readonly desiredOf: Int32Array
}

/**
 * By primary address first; otherwise by any of its addresses held by an account user that no
 * directory presents under its own primary any more. That is a migration's alias match: the new
 * directory's user (primary flast@) carries the old primary (first.last@) as an alias — the same
 * person, who must keep their account rather than be demoted and created again. The primary
 * match was found while building the desired state (DesiredAddresses); only the few unmatched
 * users look their addresses up here. The planner then compares numbers.
 */
export function matchUsers(desired: DesiredState, account: AccountState): UserMatch {
  const { users } = desired
  const accountOf = new Int32Array(users.count).fill(-1)
  const desiredOf = new Int32Array(account.users.length).fill(-1)
  for (let number = 0; number < users.count; number++) {
    if (!users.isLive(number)) continue
    const index = desired.accountOfPrimary[number] ?? -1
    if (index >= 0) {
      accountOf[number] = index
      desiredOf[index] = number
    }
  }
  for (let number = 0; number < users.count; number++) {
    if (!users.isLive(number) || accountOf[number] !== -1) continue
    for (const address of users.addresses(number).sort()) {
      const owner = account.userByAddress.get(address)
      // Unclaimed: no desired user has the owner's primary (that one matched above) nor an alias of it.
      if (owner !== undefined && desiredOf[owner] === -1) {
        accountOf[number] = owner
        desiredOf[owner] = number
        break
      }
    }
  }
  return { accountOf, desiredOf }
}
