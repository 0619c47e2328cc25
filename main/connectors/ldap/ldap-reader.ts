import { Control, type Filter, FilterParser } from 'ldapts'
import type { DirectoryGroup, DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { ReadBatch, ReadOptions, ReadSummary } from '../directory-connector.ts'
import { type LdapCursor, encodeCursor } from './ldap-cursor.ts'
import type { LdapErrorContext } from './ldap-errors.ts'
import { changedAfter, changedSince } from './ldap-filters.ts'
import { type DeletionSource, SHOW_DELETED_OID, canSeeTombstones, deletionSource, idsInScope, missingIds } from './deletion-source.ts'
import { guidFromBytes } from '../../directory-rules/object-guid.ts'
import { type RawEntry, mapUser, scopedIdOf, stringValues } from './ldap-mapping.ts'
import type { LdapReadPlan } from './ldap-read-plan.ts'
import { BULK_READ, openSession } from './ldap-session.ts'
import { MembershipGraph } from './membership-graph.ts'
import { PageReader, ReadState } from './page-reader.ts'
import { startGroupRead } from './parallel-group-read.ts'
import type { GroupReadRequest, GroupReadResult } from './read-groups.ts'
import { type AdIdentity, decideMode, nextCursor, readAdIdentity } from './read-mode.ts'


export async function* readDirectory(plan: LdapReadPlan, secret: string | null, options: ReadOptions): AsyncGenerator<ReadBatch, ReadSummary, void> {
  const started = Date.now()
  const state = new ReadState()
  const session = await openSession(plan.settings, secret, options.signal, BULK_READ)
  try {
    if (session.failoverNote) state.warnings.push(session.failoverNote)
    const errorContext = (phase: LdapErrorContext['phase'] = 'read'): LdapErrorContext => ({
      host: session.host,
      port: session.port,
      phase,
      baseDn: plan.settings.baseDn,
      progress: state.progress(),
    })
    const reader = new PageReader(session, plan, state, options.signal, errorContext)
    const identity = plan.preset.changeTracking === 'usn' ? await readAdIdentity(session.client, errorContext('base-read')) : null
    const decision = decideMode(plan, options, identity)

    let cursor: LdapCursor | null
    let modeReason = decision.reason
    if (decision.mode === 'full') {
      yield* fullRead(reader, plan, state, options, { secret, host: session.host })
      cursor = nextCursor(plan, identity, state, null, started)
    } else {
      const source = deletionSource(plan, identity !== null && (await canSeeTombstones(session.client, identity.domainDn)))
      modeReason = `${decision.reason}; ${options.knownIds || source.method === 'tombstones' ? source.description : 'deletions only at full reads'}`
      yield* incrementalRead(reader, plan, state, options, decision.cursor, source, identity, { secret, host: session.host })
      cursor = nextCursor(plan, identity, state, decision.cursor, started)
    }
    return {
      mode: decision.mode,
      modeReason,
      cursor: cursor ? encodeCursor(cursor) : null,
      warnings: [...plan.configWarnings, ...state.warnings, ...summaryWarnings(state)],
    }
  } finally {
    await session.close()
  }
}

/** The main connection's password and host: the group reader connects to the same host (one DC). */
interface Connection {
  readonly secret: string | null
  readonly host: string
}

function groupReadRequest(plan: LdapReadPlan, connection: Connection, trackTime: boolean): GroupReadRequest {
  return { type: plan.type, settings: { ...plan.settings, host: connection.host, alternateHost: undefined }, secret: connection.secret, memberRangeStep: plan.memberRangeStep, trackTime }
}

function countGroupRead(state: ReadState, result: GroupReadResult): void {
  state.noId += result.noId
  state.foreignDenied += result.foreignDenied
  state.referrals += result.referrals
  state.rangeRequests += result.rangeRequests
  if (result.maxTimestampText !== null) state.noteTimestampText(result.maxTimestampText)
}

/** Groups are handed on in batches of this many, as users are (a page). */
const GROUP_BATCH = 1000

/**
 * Users on this connection, groups at the same time on a second one (a worker thread, see
 * parallel-group-read.ts), to the same host — so both halves see one domain controller.
 */
async function* fullRead(reader: PageReader, plan: LdapReadPlan, state: ReadState, options: ReadOptions, connection: Connection): AsyncGenerator<ReadBatch, void, void> {
  const graph = new MembershipGraph()
  const trackTime = plan.preset.changeTracking === 'timestamp'
  let usersDone = false
  const groupRead = startGroupRead(
    groupReadRequest(plan, connection, trackTime),
    options.signal,
    (groups) => {
      if (usersDone) options.onProgress?.(state.users + groups, 'groups')
    },
  )
  try {
    for await (const page of reader.users(plan.userFilter, trackTime)) {
      if (groupRead.failure) throw groupRead.failure
      const users: DirectoryUser[] = []
      for (const entry of page) {
        const user = mapUserCounting(entry, plan, state)
        if (user === null) continue
        const externalId = graph.addUser(entry.dn, user.externalId, user.attributes['login'])
        users.push(externalId === user.externalId ? user : { ...user, externalId })
      }
      state.users += users.length
      options.onProgress?.(state.users, 'users')
      if (users.length > 0) yield { kind: 'users', users }
    }
    usersDone = true
    const result = await groupRead.result
    countGroupRead(state, result)
    // Every user was handed on, in the graph's order, before any group: member numbers are positions.
    const batch = (groups: DirectoryGroup[]): ReadBatch => ({ kind: 'groups', groups, memberPositions: groups.map((g) => graph.memberPositions(g)) })
    let groups: DirectoryGroup[] = []
    for (const group of graph.addCollected(result.collected)) {
      groups.push(group)
      if (groups.length < GROUP_BATCH) continue
      state.groups += groups.length
      options.onProgress?.(state.users + state.groups, 'groups')
      yield batch(groups)
      groups = []
    }
    state.groups += groups.length
    if (groups.length > 0) yield batch(groups)
  } finally {
    groupRead.cancel()
  }
  const nested = graph.resolveDeferred()
  state.groups += nested.length
  if (nested.length > 0) yield { kind: 'groups', groups: nested, memberPositions: nested.map((g) => graph.memberPositions(g)) }
  if (graph.unresolvedMemberCount > 0) {
    state.warnings.push(`${graph.unresolvedMemberCount.toLocaleString('en-US')} group member values point to objects that are not users or groups in this read (contacts, computers, other OUs, filtered-out users) and were left out.`)
  }
}

async function* incrementalRead(
  reader: PageReader,
  plan: LdapReadPlan,
  state: ReadState,
  options: ReadOptions,
  cursor: LdapCursor,
  source: DeletionSource,
  identity: AdIdentity | null,
  connection: Connection,
): AsyncGenerator<ReadBatch, void, void> {
  const [attribute, value] = cursor.mode === 'usn' ? ['uSNChanged', (BigInt(cursor.usn) + 1n).toString()] : ['modifyTimestamp', cursor.since]
  const trackTime = cursor.mode === 'timestamp'
  // USNs: >= last+1. Timestamps: strictly after the recorded time (see nextCursor).
  const changed = (base: Filter) => (cursor.mode === 'usn' ? changedSince(base, attribute, value) : changedAfter(base, attribute, value))

  // Deletions first: an object deleted after its id was listed is caught by the next read, and
  // one created after is not in the snapshot anyway.
  const deletedUsers: string[] = []
  const deletedGroups: string[] = []
  if (source.method === 'tombstones' && identity) {
    // Tombstones in CN=Deleted Objects changed since the cursor (AD keeps them 180 days by default).
    const filter = FilterParser.parseString(`(&(isDeleted=TRUE)(uSNChanged>=${value}))`)
    for await (const page of reader.search(identity.domainDn, filter, ['objectGUID', 'objectClass'], [new Control(SHOW_DELETED_OID)])) {
      for (const entry of page) {
        const [guid] = entry['objectGUID'] === undefined ? [] : [entry['objectGUID']].flat()
        if (!Buffer.isBuffer(guid) || guid.length !== 16) continue
        const classes = stringValues(entry, 'objectClass').map((c) => c.toLowerCase())
        if (classes.includes('group')) deletedGroups.push(guidFromBytes(guid)!)
        else if (classes.includes('user') && !classes.includes('computer')) deletedUsers.push(guidFromBytes(guid)!)
      }
    }
  } else if (options.knownIds) {
    options.onProgress?.(0, 'listing ids to find deletions')
    const present = { users: await idsInScope(reader, plan, plan.userFilter), groups: await idsInScope(reader, plan, plan.groupFilter) }
    const missing = missingIds(options.knownIds(), present)
    deletedUsers.push(...missing.userIds)
    deletedGroups.push(...missing.groupIds)
  } else {
    state.warnings.push('Deletions are found only at full reads: this read had no earlier snapshot to compare ids with.')
  }

  for await (const page of reader.users(changed(plan.userFilter), trackTime)) {
    const users: DirectoryUser[] = []
    for (const entry of page) {
      const user = mapUserCounting(entry, plan, state)
      if (user !== null) users.push(user)
      else {
        // A changed user the mapping now skips (its address removed…) leaves the snapshot.
        const id = scopedIdOf(entry, plan.mapping)
        if (id !== null) deletedUsers.push(id)
      }
    }
    state.users += users.length
    options.onProgress?.(state.users, 'changed users')
    if (users.length > 0) yield { kind: 'users', users }
  }
  if (deletedUsers.length > 0 || deletedGroups.length > 0) yield { kind: 'deleted', userIds: deletedUsers, groupIds: deletedGroups }
  // A deleted user leaves its groups with the deletion (the engine drops its memberships), but a
  // deleted group changes the flattened member list of every group that nested it, and a deleted
  // member disappears from its groups without their uSNChanged moving (seen on Samba): after a
  // group deletion every group is sent again with its current members.
  const everyGroupChanged = deletedGroups.length > 0

  // Changed groups are emitted with their complete flattened member list, and so is every group
  // that nests one of them (its flattened list changed too). That needs the whole membership
  // graph, so it is read only when some group changed.
  const changedGroups: string[] = []
  for await (const page of reader.search(plan.settings.baseDn, changed(plan.groupFilter), trackTime ? [plan.map.externalId, 'modifyTimestamp'] : [plan.map.externalId])) {
    for (const entry of page) {
      changedGroups.push(entry.dn)
      if (trackTime) state.noteTimestamp(entry)
    }
  }
  if (changedGroups.length === 0 && !everyGroupChanged) return

  const graph = new MembershipGraph()
  const groupRead = startGroupRead(groupReadRequest(plan, connection, false), options.signal)
  try {
    for await (const page of reader.users(plan.userFilter, false)) {
      if (groupRead.failure) throw groupRead.failure
      for (const entry of page) {
        const mapped = mapUser(entry, plan.mapping)
        if ('user' in mapped) graph.addUser(entry.dn, mapped.user.externalId, mapped.user.attributes['login'])
      }
    }
    const result = await groupRead.result
    countGroupRead(state, result)
    graph.recordCollected(result.collected)
  } finally {
    groupRead.cancel()
  }
  const groups: DirectoryGroup[] = []
  if (everyGroupChanged) {
    for (const group of graph.allGroups()) groups.push(group)
    state.groups += groups.length
    if (groups.length > 0) yield { kind: 'groups', groups }
    return
  }
  const targets = graph.withAncestors(changedGroups)
  for (const dn of targets) {
    const group = graph.flattenedGroup(dn)
    if (group) groups.push(group)
  }
  state.groups += groups.length
  if (groups.length > 0) yield { kind: 'groups', groups }
}

function mapUserCounting(entry: RawEntry, plan: LdapReadPlan, state: ReadState): DirectoryUser | null {
  const mapped = mapUser(entry, plan.mapping)
  if ('user' in mapped) return mapped.user
  if (mapped.skipped === 'no-address') state.noAddress++
  else if (mapped.skipped === 'no-id') state.noId++
  else state.foreignDenied++
  return null
}

function summaryWarnings(state: ReadState): string[] {
  const out: string[] = []
  if (state.noAddress > 0) out.push(`${state.noAddress.toLocaleString('en-US')} users have no email address and were skipped.`)
  if (state.noId > 0) out.push(`${state.noId.toLocaleString('en-US')} entries have no stable id and were skipped.`)
  if (state.foreignDenied > 0) out.push(`${state.foreignDenied.toLocaleString('en-US')} people or groups have "Allow Foreign Directory Synchronization" set to No and were skipped.`)
  if (state.referrals > 0) out.push(`${state.referrals.toLocaleString('en-US')} referrals to other naming contexts were ignored.`)
  return out
}
