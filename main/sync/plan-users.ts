import { ADDRESS_TYPE_LABELS, type AccountSettings } from '../../shared/domain/account.ts'
import type { DesiredState } from './desired-state.ts'
import type { PlanBuilder } from './plan-builder.ts'
import type { AccountState, AccountUserState, PlanIntegration } from '../model/plan-types.ts'
import type { UserMatch } from './user-matching.ts'

const DAY_MS = 86_400_000

/** Same keys, same values. Counts keys with for…in rather than Object.keys: no two arrays per user. */
function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true
  let keys = 0
  for (const key in a) {
    if (a[key] !== b[key]) return false
    keys++
  }
  for (const key in b) if (key) keys--
  return keys === 0
}

export function describeIntegrations(ids: readonly string[], byId: ReadonlyMap<string, PlanIntegration>): string {
  return ids.map((id) => byId.get(id)?.name ?? id).join(', ')
}

/** One desired user's columns, read into a short-lived object for the steps below. */
interface DesiredUser {
  readonly address: string
  readonly displayName: string
  readonly attributes: Readonly<Record<string, string>>
  readonly sources: number
  readonly enabledVotes: number
  readonly disabledVotes: number
  /** A fresh array (see DesiredUsers.addresses). */
  readonly addresses: string[]
}

function desiredUser(desired: DesiredState, number: number): DesiredUser {
  const { users } = desired
  const first = users.first[number]
  return {
    address: users.primary[number] ?? '',
    displayName: first?.displayName ?? '',
    attributes: first?.attributes ?? {},
    sources: users.sources[number] ?? 0,
    enabledVotes: users.enabledVotes[number] ?? 0,
    disabledVotes: users.disabledVotes[number] ?? 0,
    addresses: users.addresses(number),
  }
}

export interface UserPlanContext {
  readonly now: Date
  readonly settings: AccountSettings
  readonly account: AccountState
  readonly desired: DesiredState
  readonly match: UserMatch
  readonly byId: ReadonlyMap<string, PlanIntegration>
  readonly plan: PlanBuilder
}

/**
 * Users present in some snapshot: create, or bring the account user in line. Returns, per desired
 * user number, whether it is created by this run (1) — with the matched ones, the users a group
 * may gain as members.
 */
export function planDesiredUsers(context: UserPlanContext): Uint8Array {
  const { account, desired, match, plan } = context
  const { sets } = desired
  const { users } = desired
  const created = new Uint8Array(users.count)
  for (let number = 0; number < users.count; number++) {
    if (!users.isLive(number)) continue
    const user = desiredUser(desired, number)
    const sources = sets.ids(user.sources)
    const wantDisabled = user.enabledVotes === 0 && user.disabledVotes !== 0
    const index = match.accountOf[number] ?? -1
    const current = index >= 0 ? account.users[index] : undefined
    // Nearly every user: one address, its own account user's primary — nothing to check.
    const addresses = current && user.addresses.length === 1 && user.addresses[0] === current.address ? user.addresses : user.addresses.filter((address) => {
      // An account user holds its own primary: no lookup for the common case.
      const owner = current && address === current.address ? index : account.userByAddress.get(address)
      if (owner !== undefined && owner !== index) {
        plan.conflicts.push(`${address} belongs to ${user.address} in the directory but is held by ${account.users[owner]?.address ?? address} in the account; left with ${account.users[owner]?.address ?? address}.`)
        return false
      }
      return true
    })
    if (!current) {
      if (!addresses.includes(user.address)) continue
      created[number] = 1
      plan.createUser(user, addresses.sort(), sources, wantDisabled)
      // No source link: create-user writes its sources itself.
      continue
    }
    planExistingUser(plan, user, current, addresses, sources, wantDisabled)
    if (!sets.same(current.sources, user.sources)) plan.links.users.push([current.address, sources])
  }
  return created
}

function planExistingUser(plan: PlanBuilder, user: DesiredUser, current: AccountUserState, addresses: readonly string[], sources: readonly string[], wantDisabled: boolean): void {
  if (current.status === 'deleted') {
    plan.push({ kind: 'enable-user', target: current.address, detail: 'Restored: the user is back in the directory', integrationIds: [...sources], payload: { status: wantDisabled ? 'disabled' : 'active' } })
  } else if (wantDisabled && current.status === 'active') {
    plan.push({ kind: 'disable-user', target: current.address, detail: 'Disabled in the directory', integrationIds: [...sources] })
  } else if (!wantDisabled && current.status === 'disabled') {
    plan.push({ kind: 'enable-user', target: current.address, detail: 'Enabled in the directory', integrationIds: [...sources], payload: { status: 'active' } })
  }
  if (current.displayName !== user.displayName || !sameRecord(current.attributes, user.attributes)) {
    const detail = current.displayName !== user.displayName ? `Display name '${current.displayName}' → '${user.displayName}'` : 'Attributes changed'
    plan.push({ kind: 'update-user', target: current.address, detail, integrationIds: [...sources], payload: { displayName: user.displayName, attributes: user.attributes } })
  }
  for (const address of addresses) {
    const existing = current.addresses.find((a) => a.address === address)
    if (!existing) {
      plan.push({ kind: 'add-address', target: current.address, addresses: [address], detail: `Add ${address}`, integrationIds: [...sources] })
    } else if (existing.type !== 'directory') {
      plan.push({ kind: 'promote-address', target: current.address, addresses: [address], detail: `${address}: ${existing.type} → directory`, integrationIds: [...sources] })
    }
  }
  const dropped = current.addresses.filter((a) => a.type === 'directory' && !user.addresses.includes(a.address)).map((a) => a.address)
  if (dropped.length > 0) {
    plan.push({ kind: 'demote-address', target: current.address, addresses: dropped.sort(), detail: `${dropped.join(', ')}: directory → transit (no longer in the directory)`, integrationIds: [...sources] })
  }
}

/** A soft-deleted user is purged once the retention period has passed (the planner's one rule of time). */
export function purgeDue(deletedAt: string | null, now: Date, retentionDays: number): boolean {
  return deletedAt !== null && now.getTime() - Date.parse(deletedAt) >= retentionDays * DAY_MS
}

/** Account users no longer in any snapshot: demoted by default, deleted by policy, purged after retention. */
export function planVanishedUsers(context: UserPlanContext): void {
  const { account, match, plan, byId, settings, now } = context
  account.users.forEach((current, index) => {
    if ((match.desiredOf[index] ?? -1) >= 0) return
    if (current.status === 'deleted') {
      if (current.deletedAt !== null && purgeDue(current.deletedAt, now, settings.retentionDays)) {
        plan.push({ kind: 'purge-user', target: current.address, detail: `Deleted ${current.deletedAt.slice(0, 10)}; retention of ${settings.retentionDays} days has passed`, integrationIds: [...current.deletedBy] })
      }
      return
    }
    const directoryAddresses = current.addresses.filter((a) => a.type === 'directory').map((a) => a.address)
    if (directoryAddresses.length === 0 && current.sources.length === 0) return
    const lost = current.sources.length > 0 ? [...current.sources] : []
    // Delete only when every integration that backed the user asks for deletion; otherwise demote.
    const deleteUsers = lost.length > 0 && lost.every((id) => byId.get(id)?.policy.deleteUsers === true)
    if (deleteUsers) {
      plan.push({ kind: 'delete-user', target: current.address, detail: `No longer in ${describeIntegrations(lost, byId)}; soft delete (purged after ${settings.retentionDays} days)`, integrationIds: lost })
    } else {
      plan.push({
        kind: 'demote-address',
        target: current.address,
        addresses: directoryAddresses.sort(),
        detail: `No longer in ${describeIntegrations(lost, byId) || 'any directory'}; ${directoryAddresses.length} ${directoryAddresses.length === 1 ? 'address' : 'addresses'} from “${ADDRESS_TYPE_LABELS.directory}” to “${ADDRESS_TYPE_LABELS.transit}”`,
        integrationIds: lost,
      })
    }
  })
}
