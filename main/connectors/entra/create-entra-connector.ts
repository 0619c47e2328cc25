import type { ConnectionStep } from '../../../shared/domain/connection-test.ts'
import type { DirectoryGroup, DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { EntraConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector, ReadBatch, ReadOptions, ReadSummary } from '../directory-connector.ts'
import { createFetch } from '../https-transport.ts'
import { createTokenSource, decodeTokenClaims, type TokenSource } from './entra-auth.ts'
import { parseEntraCredential } from './entra-credential.ts'
import { entraEndpoints, type EntraEndpoints } from './entra-endpoints.ts'
import { parseCursor, type EntraCursor, type MemberExpectation } from './entra-cursor.ts'
import { GROUP_SELECT, MEMBER_SELECT, USER_SELECT, isCompleteGroup, isCompleteUser, isImported, mapGraphUser, smtpAliases } from './entra-mapping.ts'
import { addMembersDelta, listShows, memberChanges, mergeExpectations, nestedGroups, removalStands, transitiveUsers, type DirectMembers } from './entra-membership.ts'
import { DEFAULT_GRAPH_RETRY, DeltaTokenExpired, GraphClient, type GraphCounters, type GraphRetryPolicy } from './graph-client.ts'

/**
 * Microsoft Entra ID through Microsoft Graph v1.0. A full read walks users/delta and groups/delta
 * from the start (so it ends with delta links) and takes every group's members from the groups
 * delta's own `members@delta` (nested groups flattened here): no group is paged a second time. An
 * incremental read follows the stored delta links, takes changed users from the delta items
 * themselves, and re-reads the member list of every changed group, checked against what
 * `members@delta` reported. Graph is eventually consistent: an object the delta just reported may
 * answer 404 or old data for a while. Such an object is never taken for deleted (deletions come
 * only from `@removed`); it is kept in the cursor and read again on the next run, and a periodic
 * full read (`fullReadEvery`) converges whatever a delta round missed.
 */

export interface EntraTuning {
  readonly retry: GraphRetryPolicy
  /** Groups per emitted batch (Default: 50). */
  readonly groupBatchSize: number
}

const DEFAULT_TUNING: EntraTuning = { retry: DEFAULT_GRAPH_RETRY, groupBatchSize: 50 }

const USERS_PERMISSIONS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']
// GroupMember.Read.All is the least-privileged application permission for groups delta and members.
const GROUPS_PERMISSIONS = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']

interface Session {
  readonly graph: GraphClient
  readonly tokens: TokenSource
  readonly endpoints: EntraEndpoints
}

export function createEntraConnector(settings: EntraConfig, secret: string | null, tuning: Partial<EntraTuning> = {}): DirectoryConnector & { readonly lastCounters: () => GraphCounters | null } {
  const options: EntraTuning = { ...DEFAULT_TUNING, ...tuning }
  const pageSize = settings.pageSize
  let last: GraphCounters | null = null

  function open(): Session {
    const endpoints = entraEndpoints(settings)
    const credential = parseEntraCredential(settings, secret)
    const fetchLike = createFetch(settings.caCertificatePem)
    const tokens = createTokenSource(settings.clientId, credential, endpoints, fetchLike, Boolean(settings.caCertificatePem?.trim()))
    const graph = new GraphClient(endpoints.graphEndpoint, tokens, fetchLike, options.retry)
    last = graph.counters
    return { graph, tokens, endpoints }
  }

  /** Every page of a collection, following @odata.nextLink; returns the final deltaLink (delta queries). */
  async function* pages(s: Session, first: string, what: string, signal: AbortSignal, prefer: boolean): AsyncGenerator<readonly Record<string, unknown>[], string | null> {
    let link: string | null = first
    let deltaLink: string | null = null
    while (link) {
      const page = await s.graph.page(link, what, signal, prefer ? pageSize : undefined)
      yield page.value
      link = page.nextLink
      deltaLink = page.deltaLink
    }
    return deltaLink
  }

  /** A group's member list (direct or transitive, per the settings, or direct when asked): every member id as listed, and the user ids kept. */
  async function readMembers(s: Session, groupId: string, name: string, signal: AbortSignal, directOnly = false): Promise<{ listed: Set<string>; users: string[]; groups: string[] }> {
    const listed = new Set<string>()
    const users = new Set<string>()
    const groups = new Set<string>()
    const relation = settings.transitiveMembers && !directOnly ? 'transitiveMembers' : 'members'
    const first = `/groups/${encodeURIComponent(groupId)}/${relation}?$select=${MEMBER_SELECT.join(',')}&$top=${pageSize}`
    for await (const items of pages(s, first, `the members of group "${name}"`, signal, false)) {
      for (const m of items) {
        const id = m['id']
        if (typeof id !== 'string') continue
        listed.add(id)
        const type = m['@odata.type']
        if (type === '#microsoft.graph.user') {
          if (isImported(m, settings)) users.add(id)
        } else if (type === '#microsoft.graph.group') groups.add(id)
      }
    }
    return { listed, users: [...users], groups: [...groups] }
  }

  /** A user or group read by id, or null when Graph answers 404 (deleted, or not replicated yet). */
  async function getById(s: Session, kind: 'users' | 'groups', id: string, signal: AbortSignal): Promise<Record<string, unknown> | null> {
    const select = kind === 'users' ? USER_SELECT : GROUP_SELECT
    try {
      return await s.graph.get(`/${kind}/${encodeURIComponent(id)}?$select=${select.join(',')}`, kind === 'users' ? 'a changed user' : 'a changed group', signal)
    } catch (error) {
      if (error instanceof ConnectorError && error.code === 'not-found') return null
      throw error
    }
  }

  function groupOf(item: Record<string, unknown>, memberIds: readonly string[]): DirectoryGroup {
    const mail = typeof item['mail'] === 'string' && item['mail'] ? item['mail'].toLowerCase() : null
    return { externalId: String(item['id']), name: nameOf(item), address: mail, aliases: smtpAliases(item['proxyAddresses'], mail), memberIds }
  }

  function throttleWarning(s: Session): string[] {
    const n = s.graph.counters.throttleRetries
    return n > 0 ? [`Microsoft Graph throttled the read; ${n} request(s) were retried after the wait it asked for.`] : []
  }

  async function* fullRead(s: Session, modeReason: string, read: ReadOptions): AsyncGenerator<ReadBatch, ReadSummary, void> {
    const { signal } = read
    const warnings: string[] = []
    let objects = 0
    let noAddress = 0
    // Accounts the guest/external policy leaves out are left out of every member list too.
    const excluded = new Set<string>()
    const userPages = pages(s, `/users/delta?$select=${USER_SELECT.join(',')}`, 'users', signal, true)
    let step = await userPages.next()
    while (!step.done) {
      const users: DirectoryUser[] = []
      for (const item of step.value) {
        if ('@removed' in item) continue
        if (!isImported(item, settings)) {
          if (typeof item['id'] === 'string') excluded.add(item['id'])
          continue
        }
        const user = mapGraphUser(item)
        if (user) users.push(user)
        else noAddress++
      }
      objects += step.value.length
      read.onProgress?.(objects, 'users')
      if (users.length > 0) yield { kind: 'users', users }
      step = await userPages.next()
    }
    const usersDelta = step.value
    if (!usersDelta) throw new ConnectorError('incomplete-read', 'Microsoft Graph ended the user list without a delta link; the read is incomplete.')
    if (noAddress > 0) warnings.push(`${noAddress} user(s) have neither a mail address nor an address-like user principal name and were skipped.`)

    // groups/delta may return one group several times (its members split over pages): merge by id.
    const groups = new Map<string, Record<string, unknown>>()
    const direct = new Map<string, DirectMembers>()
    const groupPages = pages(s, `/groups/delta?$select=${[...GROUP_SELECT, 'members'].join(',')}`, 'groups', signal, true)
    let gstep = await groupPages.next()
    while (!gstep.done) {
      for (const item of gstep.value) {
        const id = item['id']
        if ('@removed' in item || typeof id !== 'string') continue
        const { ['members@delta']: members, ...props } = item
        groups.set(id, { ...groups.get(id), ...props })
        const entry = direct.get(id) ?? { users: new Set<string>(), groups: new Set<string>() }
        addMembersDelta(entry, members)
        direct.set(id, entry)
      }
      gstep = await groupPages.next()
    }
    const groupsDelta = gstep.value
    if (!groupsDelta) throw new ConnectorError('incomplete-read', 'Microsoft Graph ended the group list without a delta link; the read is incomplete.')

    const nested: Record<string, string[]> = {}
    let batch: DirectoryGroup[] = []
    for (const [id, item] of groups) {
      const users = settings.transitiveMembers ? transitiveUsers(id, direct) : [...(direct.get(id)?.users ?? [])]
      if (settings.transitiveMembers) {
        const inside = nestedGroups(id, direct)
        if (inside.length > 0) nested[id] = inside
      }
      batch.push(groupOf(item, users.filter((u) => !excluded.has(u))))
      objects++
      if (batch.length >= options.groupBatchSize) {
        read.onProgress?.(objects, 'groups')
        yield { kind: 'groups', groups: batch }
        batch = []
      }
    }
    if (batch.length > 0) yield { kind: 'groups', groups: batch }
    read.onProgress?.(objects, 'done')
    warnings.push(...throttleWarning(s))
    const cursor: EntraCursor = { v: 1, graph: s.endpoints.graphEndpoint, transitive: settings.transitiveMembers, guests: settings.includeGuests, internalGuests: settings.includeInternalGuests, userSelect: USER_SELECT.join(','), users: usersDelta, groups: groupsDelta, nested, retryUsers: [], retryGroups: {} }
    return { mode: 'full', modeReason, cursor: JSON.stringify(cursor), warnings }
  }

  /** Follows both delta links to the end before emitting anything, so a rejected link half way can still fall back cleanly. */
  async function incrementalRead(s: Session, cursor: EntraCursor, read: ReadOptions): Promise<{ batches: ReadBatch[]; summary: ReadSummary }> {
    const { signal } = read
    const warnings: string[] = []
    const changedUsers = new Map<string, Record<string, unknown>>()
    const deletedUsers = new Set<string>()
    const userPages = pages(s, cursor.users, 'user changes', signal, true)
    let step = await userPages.next()
    while (!step.done) {
      for (const item of step.value) {
        const id = item['id']
        if (typeof id !== 'string') continue
        if ('@removed' in item) {
          deletedUsers.add(id)
          changedUsers.delete(id)
        } else {
          deletedUsers.delete(id)
          changedUsers.set(id, { ...changedUsers.get(id), ...item })
        }
      }
      step = await userPages.next()
    }
    const usersDelta = step.value
    // Groups to read, with the member changes their list must show; pending ones from the last run first.
    const changedGroups = new Map<string, { item: Record<string, unknown> | null; expected: MemberExpectation }>()
    for (const [id, expected] of Object.entries(cursor.retryGroups)) changedGroups.set(id, { item: null, expected })
    const deletedGroups = new Set<string>()
    const groupPages = pages(s, cursor.groups, 'group changes', signal, true)
    let gstep = await groupPages.next()
    while (!gstep.done) {
      for (const item of gstep.value) {
        const id = item['id']
        if (typeof id !== 'string') continue
        if ('@removed' in item) {
          deletedGroups.add(id)
          changedGroups.delete(id)
          continue
        }
        deletedGroups.delete(id)
        const { ['members@delta']: members, ...props } = item
        const previous = changedGroups.get(id)
        changedGroups.set(id, { item: { ...previous?.item, ...props }, expected: mergeExpectations(previous?.expected, memberChanges(members)) })
      }
      gstep = await groupPages.next()
    }
    const groupsDelta = gstep.value
    if (!usersDelta || !groupsDelta) throw new ConnectorError('incomplete-read', 'Microsoft Graph ended a delta round without a new delta link; the read is incomplete.')

    // Users: the delta item itself when whole; else a read by id, and a 404 there is replication lag, not a deletion.
    const users: DirectoryUser[] = []
    const retryUsers = new Set<string>()
    for (const id of cursor.retryUsers) if (!changedUsers.has(id) && !deletedUsers.has(id)) changedUsers.set(id, { id })
    for (const [id, item] of changedUsers) {
      const full = isCompleteUser(item) ? item : await getById(s, 'users', id, signal)
      if (!full) {
        retryUsers.add(id)
        continue
      }
      if (!isImported(full, settings)) {
        deletedUsers.add(id)
        continue
      }
      const user = mapGraphUser(full)
      if (user) users.push(user)
      else {
        warnings.push(`User ${id} no longer has an address and is treated as removed.`)
        deletedUsers.add(id)
      }
    }

    // Transitive membership: a change inside a nested group changes every group that contains it,
    // and the users added inside must show in the ancestor's list too.
    const nested: Record<string, readonly string[]> = { ...cursor.nested }
    if (settings.transitiveMembers) {
      for (const [parent, children] of Object.entries(cursor.nested)) {
        const touched = children.filter((c) => changedGroups.has(c) || deletedGroups.has(c))
        if (touched.length === 0 || deletedGroups.has(parent)) continue
        const added = touched.flatMap((c) => changedGroups.get(c)?.expected.added ?? [])
        const removed = touched.flatMap((c) => changedGroups.get(c)?.expected.removed ?? [])
        const previous = changedGroups.get(parent)
        changedGroups.set(parent, { item: previous?.item ?? null, expected: mergeExpectations(previous?.expected, { added, removed }) })
      }
    }
    const groups: DirectoryGroup[] = []
    const retryGroups: Record<string, MemberExpectation> = {}
    // Direct member lists read to settle a removal a transitive list still shows (once per group per run).
    const directLists = new Map<string, ReadonlySet<string> | null>()
    const directList = async (groupId: string): Promise<ReadonlySet<string> | null> => {
      if (!directLists.has(groupId)) {
        try {
          directLists.set(groupId, (await readMembers(s, groupId, groupId, signal, true)).listed)
        } catch (error) {
          if (!(error instanceof ConnectorError && error.code === 'not-found')) throw error
          directLists.set(groupId, null)
        }
      }
      return directLists.get(groupId) ?? null
    }
    const removedHere = (groupId: string): ReadonlySet<string> => new Set(changedGroups.get(groupId)?.expected.removedHere ?? [])
    for (const [id, { item, expected }] of changedGroups) {
      if (deletedGroups.has(id)) continue
      const props = item && isCompleteGroup(item) ? item : await getById(s, 'groups', id, signal)
      let members: Awaited<ReturnType<typeof readMembers>> | null = null
      if (props) {
        try {
          members = await readMembers(s, id, nameOf(props), signal)
        } catch (error) {
          if (!(error instanceof ConnectorError && error.code === 'not-found')) throw error
        }
      }
      // Not readable yet, or a list that does not show what the delta reported: an old replica's answer.
      const shown = members ? listShows(members.listed, expected, !settings.transitiveMembers) : null
      let current = Boolean(props && members && shown?.shows)
      // Transitive: a removed member still listed is right only if another nested group still holds it.
      for (const member of current ? (shown?.unsettled ?? []) : []) {
        if ((await removalStands(member, [id, ...(members?.groups ?? [])], directList, removedHere)) === 'stale') {
          current = false
          break
        }
      }
      if (!props || !members || !current) {
        retryGroups[id] = expected
        continue
      }
      if (settings.transitiveMembers) {
        if (members.groups.length > 0) nested[id] = members.groups
        else delete nested[id]
      }
      groups.push(groupOf({ ...props, id }, members.users))
    }
    for (const id of deletedGroups) delete nested[id]
    const behind = retryUsers.size + Object.keys(retryGroups).length
    if (behind > 0) warnings.push(`Microsoft Graph reported ${behind} changed object(s) that could not be read up to date yet (replication lag): they are read again on the next run.`)

    const batches: ReadBatch[] = []
    if (users.length > 0) batches.push({ kind: 'users', users })
    for (let i = 0; i < groups.length; i += options.groupBatchSize) batches.push({ kind: 'groups', groups: groups.slice(i, i + options.groupBatchSize) })
    if (deletedUsers.size > 0 || deletedGroups.size > 0) batches.push({ kind: 'deleted', userIds: [...deletedUsers], groupIds: [...deletedGroups] })
    warnings.push(...throttleWarning(s))
    const next: EntraCursor = { ...cursor, users: usersDelta, groups: groupsDelta, nested, retryUsers: [...retryUsers], retryGroups }
    const changes = users.length + groups.length + deletedUsers.size + deletedGroups.size
    return { batches, summary: { mode: 'incremental', modeReason: `Changes since the last read (Graph delta query): ${changes} object(s) changed.`, cursor: JSON.stringify(next), warnings } }
  }

  return {
    lastCounters: () => last,

    async *read(read: ReadOptions): AsyncGenerator<ReadBatch, ReadSummary, void> {
      const s = open()
      const cursor = parseCursor(read.cursor)
      let reason = read.cursor === null ? 'First read: no delta link stored (or the last one was refused by Microsoft Graph).' : 'The stored cursor could not be read; starting over.'
      let cursorRejected = false
      if (cursor) {
        if (cursor.graph !== s.endpoints.graphEndpoint || cursor.transitive !== settings.transitiveMembers || cursor.guests !== settings.includeGuests || cursor.internalGuests !== settings.includeInternalGuests) {
          reason = 'The Graph endpoint or the member/guest settings changed since the last read.'
        } else if (cursor.userSelect !== USER_SELECT.join(',')) {
          reason = 'This version reads more user properties (licences, to tell shared and room mailboxes) than the stored delta link carries.'
        } else if (read.incrementalRunsSinceFull >= settings.fullReadEvery) {
          reason = `Periodic full read (every ${settings.fullReadEvery} runs) to converge whatever a delta round could not read up to date (Graph is eventually consistent).`
        } else {
          try {
            const { batches, summary } = await incrementalRead(s, cursor, read)
            for (const batch of batches) yield batch
            return summary
          } catch (error) {
            if (!(error instanceof DeltaTokenExpired)) throw error
            reason = `${error.explanation}: starting over with a full read.`
            cursorRejected = true
          }
        }
      }
      try {
        const summary = yield* fullRead(s, reason, read)
        return cursorRejected ? { ...summary, cursorRejected } : summary
      } catch (error) {
        // A skip token that goes stale during a full read cannot be resumed: the read is incomplete.
        const failure =
          error instanceof DeltaTokenExpired
            ? new ConnectorError('incomplete-read', `${error.explanation} while paging through the full read; the read is incomplete.`, { retryable: true })
            : error
        // The old delta link was refused: say so, so the engine does not offer it again after this failure.
        if (cursorRejected && failure instanceof ConnectorError) throw new ConnectorError(failure.code, failure.message, { retryable: failure.retryable, cause: failure.cause, cursorRejected })
        throw failure
      }
    },

    async testConnection(signal: AbortSignal, onStep: (step: ConnectionStep) => void): Promise<readonly ConnectionStep[]> {
      const steps: ConnectionStep[] = []
      const record = (step: ConnectionStep): void => {
        steps.push(step)
        onStep(step)
      }
      const skipRest = (from: readonly [ConnectionStep['step'], string][]): void => {
        for (const [step, label] of from) record({ step, label, verdict: 'skipped', message: 'Skipped: an earlier step failed.', durationMs: 0 })
      }
      const later: [ConnectionStep['step'], string][] = [
        ['permissions', 'Check the app permissions in the token'],
        ['sample-query', 'Read a few users and groups'],
      ]
      let s: Session
      let token: string
      let started = Date.now()
      try {
        s = open()
        token = await s.tokens.getToken(true)
        record({ step: 'token', label: `Get an app-only token from ${s.endpoints.authorityHost}`, verdict: 'pass', message: `Signed in as application ${settings.clientId}.`, durationMs: Date.now() - started })
      } catch (error) {
        record({ step: 'token', label: 'Get an app-only token', verdict: 'fail', message: messageOf(error), durationMs: Date.now() - started })
        skipRest(later)
        return steps
      }

      started = Date.now()
      const claims = decodeTokenClaims(token)
      const roles = Array.isArray(claims?.['roles']) ? (claims['roles'] as unknown[]).map(String) : []
      const missing: string[] = []
      if (!USERS_PERMISSIONS.some((r) => roles.includes(r))) missing.push('User.Read.All')
      if (!GROUPS_PERMISSIONS.some((r) => roles.includes(r))) missing.push('GroupMember.Read.All (or Group.Read.All)')
      if (!claims) {
        record({ step: 'permissions', label: later[0]![1], verdict: 'warn', message: 'The token is not a readable JWT, so its permissions could not be checked; the sample read below will tell.', durationMs: Date.now() - started })
      } else if (missing.length > 0) {
        const granted = roles.length > 0 ? roles.join(', ') : 'none'
        record({
          step: 'permissions',
          label: later[0]![1],
          verdict: 'fail',
          message: `The app is missing the Microsoft Graph application permission ${missing.join(' and ')} (or Directory.Read.All, which covers both). Granted: ${granted}. Add it under API permissions and grant admin consent.`,
          durationMs: Date.now() - started,
        })
        skipRest(later.slice(1))
        return steps
      } else {
        record({ step: 'permissions', label: later[0]![1], verdict: 'pass', message: `Granted: ${roles.join(', ')}.`, durationMs: Date.now() - started })
      }

      started = Date.now()
      try {
        const users = await s.graph.page(`/users?$select=${USER_SELECT.join(',')}&$top=5`, 'users', signal)
        const groups = await s.graph.page(`/groups?$select=${GROUP_SELECT.join(',')}&$top=5`, 'groups', signal)
        const first = users.value.map((u) => mapGraphUser(u)).find((u) => u !== null)
        record({
          step: 'sample-query',
          label: later[1]![1],
          verdict: users.value.length > 0 ? 'pass' : 'warn',
          message: users.value.length > 0 ? `Read ${users.value.length} user(s) and ${groups.value.length} group(s)${first ? `, e.g. ${first.primaryAddress}` : ''}.` : 'The directory returned no users.',
          durationMs: Date.now() - started,
        })
      } catch (error) {
        record({ step: 'sample-query', label: later[1]![1], verdict: 'fail', message: messageOf(error), durationMs: Date.now() - started })
      }
      return steps
    },
  }
}

function nameOf(item: Record<string, unknown>): string {
  return typeof item['displayName'] === 'string' ? item['displayName'] : String(item['id'])
}

function messageOf(error: unknown): string {
  return error instanceof ConnectorError ? error.message : 'An unexpected error occurred.'
}
