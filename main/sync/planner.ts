import type { SyncAction } from '../../shared/domain/sync-action.ts'
import { actionId, compareActions } from './action-order.ts'
import { buildDesiredState, type DesiredUser } from './desired-state.ts'
import type { AccountUserState, Plan, PlanInput, PlanIntegration } from './plan-types.ts'
import { sameIds } from './source-set.ts'

const DAY_MS = 86_400_000

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  return keysA.every((key) => a[key] === b[key])
}

function describeIntegrations(ids: readonly string[], byId: ReadonlyMap<string, PlanIntegration>): string {
  return ids.map((id) => byId.get(id)?.name ?? id).join(', ')
}

/**
 * The account-wide plan: desired state (the union of every live integration's latest snapshot)
 * diffed against the account directory into the closed set of actions. Pure and deterministic:
 * no I/O, the clock is injected, the output is sorted.
 */
export function planSync(input: PlanInput): Plan {
  const { account, settings, now } = input
  const byId = new Map(input.integrations.map((i) => [i.id, i]))
  const desired = buildDesiredState(input.integrations, settings)
  const { sets } = desired
  const actions: SyncAction[] = []
  const conflicts = [...desired.conflicts]
  const linkUsers: Array<readonly [string, readonly string[]]> = []
  const linkGroups: Array<readonly [string, readonly string[]]> = []
  const linkMemberships: Array<readonly [string, string, readonly string[]]> = []
  // Users that will exist after this run (created, or present and not removed).
  const usersAfter = new Set<string>()

  const push = (action: Omit<SyncAction, 'id'> & { id?: string }): void => {
    actions.push({ ...action, id: action.id ?? actionId(action.kind, action.target, action.member, action.addresses) })
  }

  // --- Which account user each desired user is -------------------------------------------------
  // By primary address first; otherwise by any of its addresses held by an account user that no
  // directory presents under its own primary any more. That is a migration's alias match: the new
  // directory's user (primary flast@) carries the old primary (first.last@) as an alias — the same
  // person, who must keep their account rather than be demoted and created again.
  const accountKeyOf = new Map<string, string>()
  const claimed = new Set<string>()
  for (const user of desired.users.values()) {
    if (account.users.has(user.address)) {
      accountKeyOf.set(user.address, user.address)
      claimed.add(user.address)
    }
  }
  for (const user of desired.users.values()) {
    if (accountKeyOf.has(user.address)) continue
    for (const address of [...user.addresses.keys()].sort()) {
      const owner = account.addressOwner.get(address)
      if (owner !== undefined && !desired.users.has(owner) && !claimed.has(owner)) {
        accountKeyOf.set(user.address, owner)
        claimed.add(owner)
        break
      }
    }
  }
  const keyOf = (desiredAddress: string): string => accountKeyOf.get(desiredAddress) ?? desiredAddress
  // The reverse, for the few users matched through an alias: account key → desired primary.
  const desiredOf = new Map([...accountKeyOf].filter(([d, a]) => d !== a).map(([d, a]) => [a, d]))

  // --- Users present in some snapshot ---------------------------------------------------------
  for (const user of desired.users.values()) {
    const sources = sets.ids(user.sources)
    const wantDisabled = user.enabledVotes === 0 && user.disabledVotes !== 0
    const key = keyOf(user.address)
    const current = account.users.get(key)
    const addresses = [...user.addresses.keys()].filter((address) => {
      const owner = account.addressOwner.get(address)
      if (owner !== undefined && owner !== key) {
        conflicts.push(`${address} belongs to ${user.address} in the directory but is held by ${owner} in the account; left with ${owner}.`)
        return false
      }
      return true
    })
    if (!current) {
      if (!addresses.includes(user.address)) continue
      usersAfter.add(user.address)
      push({
        kind: 'create-user',
        target: user.address,
        detail: `${user.displayName} <${user.address}>${addresses.length > 1 ? ` with ${addresses.length - 1} alias(es)` : ''}${wantDisabled ? ', disabled' : ''}`,
        integrationIds: [...sources],
        addresses: addresses.sort(),
        payload: { displayName: user.displayName, attributes: user.attributes, status: wantDisabled ? 'disabled' : 'active' },
      })
      linkUsers.push([user.address, sources])
      continue
    }
    usersAfter.add(key)
    planExistingUser(user, current, addresses, sources, wantDisabled)
    if (!sameIds(current.sources, sources)) linkUsers.push([key, sources])
  }

  function planExistingUser(user: DesiredUser, current: AccountUserState, addresses: readonly string[], sources: readonly string[], wantDisabled: boolean): void {
    if (current.status === 'deleted') {
      push({ kind: 'enable-user', target: current.address, detail: 'Restored: the user is back in the directory', integrationIds: [...sources], payload: { status: wantDisabled ? 'disabled' : 'active' } })
    } else if (wantDisabled && current.status === 'active') {
      push({ kind: 'disable-user', target: current.address, detail: 'Disabled in the directory', integrationIds: [...sources] })
    } else if (!wantDisabled && current.status === 'disabled') {
      push({ kind: 'enable-user', target: current.address, detail: 'Enabled in the directory', integrationIds: [...sources], payload: { status: 'active' } })
    }
    if (current.displayName !== user.displayName || !sameRecord(current.attributes, user.attributes)) {
      const detail = current.displayName !== user.displayName ? `Display name '${current.displayName}' → '${user.displayName}'` : 'Attributes changed'
      push({ kind: 'update-user', target: current.address, detail, integrationIds: [...sources], payload: { displayName: user.displayName, attributes: user.attributes } })
    }
    for (const address of addresses) {
      const existing = current.addresses.get(address)
      if (!existing) {
        push({ kind: 'add-address', target: current.address, addresses: [address], detail: `Add ${address}`, integrationIds: [...sources] })
      } else if (existing.type !== 'directory') {
        push({ kind: 'promote-address', target: current.address, addresses: [address], detail: `${address}: ${existing.type} → directory`, integrationIds: [...sources] })
      }
    }
    const dropped = [...current.addresses].filter(([address, state]) => state.type === 'directory' && !user.addresses.has(address)).map(([address]) => address)
    if (dropped.length > 0) {
      push({ kind: 'demote-address', target: current.address, addresses: dropped.sort(), detail: `${dropped.join(', ')}: directory → transit (no longer in the directory)`, integrationIds: [...sources] })
    }
  }

  // --- Users no longer in any snapshot ---------------------------------------------------------
  for (const current of account.users.values()) {
    if (desired.users.has(current.address) || claimed.has(current.address)) continue
    if (current.status === 'deleted') {
      if (current.deletedAt !== null && now.getTime() - Date.parse(current.deletedAt) >= settings.retentionDays * DAY_MS) {
        push({ kind: 'purge-user', target: current.address, detail: `Deleted ${current.deletedAt.slice(0, 10)}; retention of ${settings.retentionDays} days has passed`, integrationIds: [...current.deletedBy] })
      }
      continue
    }
    const directoryAddresses = [...current.addresses].filter(([, state]) => state.type === 'directory').map(([address]) => address)
    if (directoryAddresses.length === 0 && current.sources.length === 0) {
      usersAfter.add(current.address)
      continue
    }
    const lost = current.sources.length > 0 ? [...current.sources] : []
    // Delete only when every integration that backed the user asks for deletion; otherwise demote.
    const deleteUsers = lost.length > 0 && lost.every((id) => byId.get(id)?.policy.deleteUsers === true)
    if (deleteUsers) {
      push({ kind: 'delete-user', target: current.address, detail: `No longer in ${describeIntegrations(lost, byId)}; soft delete (purged after ${settings.retentionDays} days)`, integrationIds: lost })
    } else {
      usersAfter.add(current.address)
      push({
        kind: 'demote-address',
        target: current.address,
        addresses: directoryAddresses.sort(),
        detail: `No longer in ${describeIntegrations(lost, byId) || 'any directory'}; ${directoryAddresses.length} address(es) directory → transit`,
        integrationIds: lost,
      })
    }
  }

  // --- Groups ---------------------------------------------------------------------------------
  for (const group of desired.groups.values()) {
    const sources = sets.ids(group.sources)
    const current = account.groups.get(group.key)
    if (!current) {
      push({ kind: 'create-group', target: group.key, detail: group.name, integrationIds: [...sources], payload: { name: group.name, address: group.address } })
      linkGroups.push([group.key, sources])
    } else {
      if (current.name !== group.name || current.address !== group.address) {
        push({ kind: 'update-group', target: group.key, detail: `'${current.name}' → '${group.name}'`, integrationIds: [...sources], payload: { name: group.name, address: group.address } })
      }
      if (!sameIds(current.sources, sources)) linkGroups.push([group.key, sources])
    }
    const currentMembers = account.memberships.get(group.key)
    for (const [desiredMember, mask] of group.members) {
      const member = keyOf(desiredMember)
      const memberSources = sets.ids(mask)
      const existing = currentMembers?.get(member)
      if (existing === undefined) {
        if (!usersAfter.has(member)) continue
        push({ kind: 'add-member', target: group.key, member, detail: `${member} → ${group.name}`, integrationIds: [...memberSources] })
        linkMemberships.push([group.key, member, memberSources])
      } else if (!sameIds(existing, memberSources)) {
        linkMemberships.push([group.key, member, memberSources])
      }
    }
  }

  for (const current of account.groups.values()) {
    const want = desired.groups.get(current.key)
    if (!want && current.origin === 'directory') {
      push({ kind: 'delete-group', target: current.key, detail: `${current.name}: no longer in ${describeIntegrations(current.sources, byId) || 'any directory'}`, integrationIds: [...current.sources] })
      continue
    }
    const members = account.memberships.get(current.key)
    if (!members) continue
    for (const [member, sources] of members) {
      if (sources.length === 0 || want?.members.has(desiredOf.get(member) ?? member)) continue
      push({ kind: 'remove-member', target: current.key, member, detail: `${member} ✕ ${current.name}`, integrationIds: [...sources] })
    }
  }

  actions.sort(compareActions)
  return { actions, links: { users: linkUsers, groups: linkGroups, memberships: linkMemberships }, ignored: desired.ignored, conflicts }
}
