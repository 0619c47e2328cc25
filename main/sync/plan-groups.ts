import { memberPosition } from '../model/account-state.ts'
import { planGroupAliases } from './plan-group-aliases.ts'
import { describeIntegrations, type UserPlanContext } from './plan-users.ts'

export interface GroupPlanContext extends UserPlanContext {
  /** Per desired user number: 1 when this run creates the user (see planDesiredUsers). */
  readonly created: Uint8Array
  /** Per account membership (GroupMembers.offset + position): 1 when the group's desired state still lists it. */
  readonly kept: Uint8Array
}

/**
 * Groups in some snapshot: create or rename them, and add their members. Members are compared
 * as numbers: a desired member's account index, binary-searched in the group's sorted members.
 */
export function planDesiredGroups(context: GroupPlanContext): void {
  const { account, desired, match, plan, created, kept } = context
  const { sets } = desired
  // Per account source list: its mask (or -1), so a membership's sources compare as two numbers.
  const listMask = account.sourceLists.map((list) => sets.maskOf(list))
  for (const group of desired.groups.values()) {
    const sources = sets.ids(group.sources)
    const current = account.groups.get(group.key)
    if (!current) {
      // No source link: create-group (like add-member below) writes its sources itself.
      const aliases = group.aliases.length > 0 ? { aliases: group.aliases } : {}
      plan.push({ kind: 'create-group', target: group.key, detail: group.name, integrationIds: [...sources], payload: { name: group.name, address: group.address, ...aliases } })
    } else {
      if (current.name !== group.name || current.address !== group.address) {
        plan.push({ kind: 'update-group', target: group.key, detail: `'${current.name}' → '${group.name}'`, integrationIds: [...sources], payload: { name: group.name, address: group.address } })
      }
      planGroupAliases(current, group, sources, plan, context.byId)
      if (!sets.same(current.sources, group.sources)) plan.links.groups.push([group.key, sources])
    }
    const currentMembers = account.memberships.get(group.key)
    for (let i = group.from; i < group.to; i++) {
      const number = desired.members.users[i] ?? 0
      const mask = desired.members.sources[i] ?? 0
      const index = match.accountOf[number] ?? -1
      const at = index >= 0 && currentMembers ? memberPosition(currentMembers, index) : -1
      if (at < 0) {
        // A matched user always exists after the run; an unmatched one only if created now.
        if (index < 0 && created[number] !== 1) continue
        const member = index >= 0 ? (account.users[index]?.address ?? '') : (desired.users.primary[number] ?? '')
        plan.addMember(group.key, group.name, index >= 0 ? index : account.users.length + number, member, sets.ids(mask))
      } else {
        kept[(currentMembers?.offset ?? 0) + at] = 1
        if (listMask[currentMembers?.sources[at] ?? 0] !== mask) plan.links.memberships.push([group.key, account.users[index]?.address ?? '', sets.ids(mask)])
      }
    }
  }
}

/**
 * Account groups no longer in any snapshot (deleted), and members their directories dropped
 * (removed): a member is kept when planDesiredGroups found it among the group's desired members.
 */
export function planVanishedMembers(context: GroupPlanContext): void {
  const { account, desired, plan, byId, kept } = context
  const listIsManual = account.sourceLists.map((list) => list.length === 0)
  for (const current of account.groups.values()) {
    const want = desired.groups.get(current.key)
    if (!want && current.origin === 'directory') {
      plan.push({ kind: 'delete-group', target: current.key, detail: `${current.name}: no longer in ${describeIntegrations(current.sources, byId) || 'any directory'}`, integrationIds: [...current.sources] })
      continue
    }
    const members = account.memberships.get(current.key)
    if (!members) continue
    for (let i = 0; i < members.users.length; i++) {
      const list = members.sources[i] ?? 0
      // Added by hand (no directory's to remove), or still listed.
      if (listIsManual[list] || kept[members.offset + i] === 1) continue
      const member = account.users[members.users[i] ?? 0]?.address ?? ''
      const sources = account.sourceLists[list] ?? []
      plan.push({ kind: 'remove-member', target: current.key, member, detail: `${member} ✕ ${current.name}`, integrationIds: [...sources] })
    }
  }
}
