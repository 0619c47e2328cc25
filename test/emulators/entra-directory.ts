import { EmulatorClock } from './emulator-clock.ts'
import { stableGuid } from './entra-login.ts'
import type { OrgModel } from './org-model.ts'

/**
 * The Entra emulator's tenant: Graph users and groups built from an OrgModel, mutators that record
 * every change in a log (what delta queries fold), and the projections Graph answers with.
 */

export interface GraphUser {
  id: string
  userPrincipalName: string
  mail: string | null
  proxyAddresses: string[]
  displayName: string
  accountEnabled: boolean
  userType: 'Member' | 'Guest'
  /** B2B invitations: PendingAcceptance or Accepted; null (or absent) for the tenant's own accounts. */
  externalUserState?: string | null
  jobTitle: string
  department: string
  /** Licences ({ skuId }); [] for a mailbox that needs none (shared, room, equipment). */
  assignedLicenses: Array<{ skuId: string }>
}

export interface GraphGroup {
  id: string
  displayName: string
  mail: string | null
  groupTypes: string[]
  /** SMTP: primary and smtp: alias addresses of a mail-enabled group. */
  proxyAddresses: string[]
  mailEnabled: boolean
  securityEnabled: boolean
  /** Direct members: user and group ids. */
  members: Set<string>
}

/** `at`: when it happened on the service's clock; `before`: the object as it was (null: it did not exist), what a lagging replica still answers. */
type Change =
  | { readonly seq: number; readonly at: number; readonly kind: 'user'; readonly id: string; readonly before: GraphUser | null; readonly props: readonly string[] | 'all' | 'removed' }
  | { readonly seq: number; readonly at: number; readonly kind: 'group'; readonly id: string; readonly before: GraphGroup | null; readonly props: readonly string[] | 'all' | 'removed'; readonly added?: readonly string[]; readonly removedMembers?: readonly string[] }

/** Users and groups as one replica sees them. */
export interface DirectoryView {
  readonly users: ReadonlyMap<string, GraphUser>
  readonly groups: ReadonlyMap<string, GraphGroup>
}

const SKU_E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965'


export const USER_PROPS = ['id', 'userPrincipalName', 'mail', 'proxyAddresses', 'displayName', 'accountEnabled', 'userType', 'externalUserState', 'jobTitle', 'department', 'assignedLicenses']
export const GROUP_PROPS = ['id', 'displayName', 'mail', 'groupTypes', 'proxyAddresses', 'mailEnabled', 'securityEnabled']

export class EntraDirectory {
  readonly users = new Map<string, GraphUser>()
  readonly groups = new Map<string, GraphGroup>()
  private readonly changes: Change[] = []
  private sequence = 0
  private readonly clock: EmulatorClock

  /** `clock`: the service's time, stamped on every change (Default: real time). */
  constructor(model: OrgModel, tenantDomain: string, clock: EmulatorClock = new EmulatorClock()) {
    this.clock = clock
    for (const u of model.users) {
      const id = stableGuid(`user:${u.n}`)
      this.users.set(id, {
        id,
        userPrincipalName: u.guest ? `${u.uid}_partner.example#EXT#@${tenantDomain}` : `${u.uid}@${model.domain}`,
        mail: u.primaryAddress,
        proxyAddresses: [`SMTP:${u.primaryAddress}`, ...u.aliases.map((a) => `smtp:${a}`), `SIP:${u.primaryAddress}`],
        displayName: u.displayName,
        accountEnabled: u.enabled,
        userType: u.guest ? 'Guest' : 'Member',
        externalUserState: u.guest ? 'Accepted' : null,
        jobTitle: u.title,
        department: u.department,
        // Every seeded account is licensed, disabled ones too (a leaver keeps the licence until offboarded).
        assignedLicenses: [{ skuId: SKU_E3 }],
      })
    }
    for (const g of model.groups) {
      const id = stableGuid(`group:${g.n}`)
      const members = new Set<string>([...g.memberUsers.map((n) => stableGuid(`user:${n}`)), ...g.memberGroups.map((n) => stableGuid(`group:${n}`))])
      const unified = g.n % 4 === 0
      this.groups.set(id, {
        id,
        displayName: g.name,
        mail: g.n % 5 === 0 ? null : g.address,
        groupTypes: unified ? ['Unified'] : [],
        proxyAddresses: g.n % 5 === 0 ? [] : [`SMTP:${g.address}`, `smtp:${g.name}@mail.${model.domain}`],
        mailEnabled: unified || g.n % 5 !== 0,
        securityEnabled: !unified,
        members,
      })
    }
  }

  /** The number of the last change. */
  get seq(): number {
    return this.sequence
  }

  updateUser(id: string, patch: Partial<Omit<GraphUser, 'id'>>): void {
    const user = this.users.get(id)
    if (!user) throw new Error(`no user ${id}`)
    const before = copyUser(user)
    Object.assign(user, patch)
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'user', id, before, props: Object.keys(patch) })
  }

  /** Adds a user (licensed unless `assignedLicenses` says otherwise). */
  addUser(user: Omit<GraphUser, 'id' | 'assignedLicenses'> & { id?: string; assignedLicenses?: GraphUser['assignedLicenses'] }): string {
    const id = user.id ?? stableGuid(`added-user:${this.sequence}:${user.userPrincipalName}`)
    this.users.set(id, { assignedLicenses: [{ skuId: SKU_E3 }], ...user, id })
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'user', id, before: null, props: 'all' })
    return id
  }

  /** Deletes a user (soft delete, as Entra does) and removes it from every group. */
  deleteUser(id: string): void {
    const user = this.users.get(id)
    if (!user || !this.users.delete(id)) throw new Error(`no user ${id}`)
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'user', id, before: copyUser(user), props: 'removed' })
    for (const group of this.groups.values()) if (group.members.has(id)) this.removeMember(group.id, id)
  }

  /** Changes a group's properties (name, mail, proxyAddresses…). */
  updateGroup(groupId: string, patch: Partial<Omit<GraphGroup, 'id' | 'members'>>): void {
    const group = this.group(groupId)
    const before = copyGroup(group)
    Object.assign(group, patch)
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'group', id: groupId, before, props: Object.keys(patch) })
  }

  addMember(groupId: string, memberId: string): void {
    const before = copyGroup(this.group(groupId))
    this.group(groupId).members.add(memberId)
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'group', id: groupId, before, props: [], added: [memberId] })
  }

  removeMember(groupId: string, memberId: string): void {
    const before = copyGroup(this.group(groupId))
    this.group(groupId).members.delete(memberId)
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'group', id: groupId, before, props: [], removedMembers: [memberId] })
  }

  deleteGroup(groupId: string): void {
    const before = copyGroup(this.group(groupId))
    this.groups.delete(groupId)
    this.changes.push({ seq: ++this.sequence, at: this.clock.now(), kind: 'group', id: groupId, before, props: 'removed' })
    for (const group of this.groups.values()) if (group.members.has(groupId)) this.removeMember(group.id, groupId)
  }

  /** Users reachable from a group through nested groups. */
  transitiveUsers(groupId: string): string[] {
    const out = new Set<string>()
    for (const id of this.transitive(groupId)) if (this.users.has(id)) out.add(id)
    return [...out]
  }

  /** Members of a group through nested groups, in `groups` (Default: the current state; a lagging replica passes its view). */
  transitive(groupId: string, groups: ReadonlyMap<string, GraphGroup> = this.groups): string[] {
    const seen = new Set<string>([groupId])
    const out: string[] = []
    const queue = [groupId]
    while (queue.length > 0) {
      const g = groups.get(queue.shift() as string)
      if (!g) continue
      for (const m of g.members) {
        if (seen.has(m)) continue
        seen.add(m)
        out.push(m)
        if (groups.has(m)) queue.push(m)
      }
    }
    return out
  }

  /** A point-in-time copy of every user and group: what a lagging replica still answers with. */
  copy(): { readonly users: Map<string, GraphUser>; readonly groups: Map<string, GraphGroup>; readonly seq: number } {
    const users = new Map([...this.users].map(([id, u]) => [id, copyUser(u)]))
    const groups = new Map([...this.groups].map(([id, g]) => [id, copyGroup(g)]))
    return { users, groups, seq: this.sequence }
  }

  /**
   * Every user and group as they were at `time` (service clock): each object changed since is
   * taken back to its state before the first of those changes (gone if it was created since).
   */
  asOf(time: number): DirectoryView {
    const users = new Map(this.users)
    const groups = new Map(this.groups)
    // Newest first: the last "before" set is the one of the earliest change after `time`.
    for (let i = this.changes.length - 1; i >= 0 && (this.changes[i] as Change).at > time; i--) {
      const change = this.changes[i] as Change
      if (change.kind === 'user') {
        if (change.before) users.set(change.id, change.before)
        else users.delete(change.id)
      } else if (change.before) groups.set(change.id, change.before)
      else groups.delete(change.id)
    }
    return { users, groups }
  }

  /** Ids of the objects changed after change number `since`. */
  changedSince(since: number): Set<string> {
    return new Set(this.changes.filter((c) => c.seq > since).map((c) => c.id))
  }

  /** Ids of the objects changed after `time` (service clock). */
  changedAfter(time: number): Set<string> {
    return new Set(this.changes.filter((c) => c.at > time).map((c) => c.id))
  }

  group(id: string): GraphGroup {
    const group = this.groups.get(id)
    if (!group) throw new Error(`no group ${id}`)
    return group
  }

  project(obj: GraphUser | GraphGroup, select: readonly string[], defaults: readonly string[]): Record<string, unknown> {
    const fields = select.length > 0 ? ['id', ...select] : defaults
    const out: Record<string, unknown> = {}
    for (const f of fields) if (f in obj && f !== 'members') out[f] = (obj as unknown as Record<string, unknown>)[f]
    return out
  }

  initialRound(kind: 'user' | 'group', select: readonly string[], withMembers: boolean): Record<string, unknown>[] {
    if (kind === 'user') return [...this.users.values()].map((u) => valued(this.project(u, select, USER_PROPS)))
    return [...this.groups.values()].map((g) => {
      const out = valued(this.project(g, select, GROUP_PROPS))
      if (withMembers) out['members@delta'] = [...g.members].map((id) => ({ '@odata.type': this.users.has(id) ? '#microsoft.graph.user' : '#microsoft.graph.group', id }))
      return out
    })
  }

  /** Changes after `since` up to `upTo`, folded per object as Graph does: every valued property, `members@delta` with the member changes, `@removed` for deletions. */
  changesSince(kind: 'user' | 'group', since: number, upTo: number, select: readonly string[], withMembers: boolean): Record<string, unknown>[] {
    const folded = new Map<string, { props: Set<string> | 'all' | 'removed'; added: Set<string>; removed: Set<string> }>()
    for (const c of this.changes) {
      if (c.seq <= since || c.seq > upTo || c.kind !== kind) continue
      const entry = folded.get(c.id) ?? { props: new Set<string>(), added: new Set<string>(), removed: new Set<string>() }
      if (c.props === 'removed' || c.props === 'all') entry.props = c.props
      else if (entry.props instanceof Set) for (const p of c.props) entry.props.add(p)
      if (c.kind === 'group') {
        for (const m of c.added ?? []) {
          entry.removed.delete(m)
          entry.added.add(m)
        }
        for (const m of c.removedMembers ?? []) {
          entry.added.delete(m)
          entry.removed.add(m)
        }
      }
      folded.set(c.id, entry)
    }
    const out: Record<string, unknown>[] = []
    for (const [id, entry] of folded) {
      const current = kind === 'user' ? this.users.get(id) : this.groups.get(id)
      if (entry.props === 'removed' || !current) {
        out.push({ id, '@removed': { reason: 'changed' } })
        continue
      }
      const full = this.project(current, select, kind === 'user' ? USER_PROPS : GROUP_PROPS)
      const item: Record<string, unknown> = { id }
      // Graph documents "at least the updated properties"; for users and groups it returns every
      // selected property that has a value (a property that is null is left out), as here.
      Object.assign(item, valued(full))
      if (withMembers && (entry.added.size > 0 || entry.removed.size > 0)) {
        item['members@delta'] = [
          ...[...entry.added].map((m) => ({ '@odata.type': this.users.has(m) ? '#microsoft.graph.user' : '#microsoft.graph.group', id: m })),
          ...[...entry.removed].map((m) => ({ '@odata.type': '#microsoft.graph.user', id: m, '@removed': { reason: 'deleted' } })),
        ]
      }
      if (Object.keys(item).length > 1 || kind === 'group') out.push(item)
    }
    return out
  }
}

/** Delta items leave out properties without a value (null), as Graph does. */
function valued(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null))
}

function copyUser(user: GraphUser): GraphUser {
  return { ...user, proxyAddresses: [...user.proxyAddresses], assignedLicenses: user.assignedLicenses.map((l) => ({ ...l })) }
}

function copyGroup(group: GraphGroup): GraphGroup {
  return { ...group, proxyAddresses: [...group.proxyAddresses], members: new Set(group.members) }
}
