import { Control, type Client, type Filter, FilterParser } from 'ldapts'
import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import type { DirectoryGroup, DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import { ConnectorError } from '../connector-error.ts'
import type { ReadBatch, ReadOptions, ReadSummary } from '../directory-connector.ts'
import { type LdapCursor, decodeCursor, encodeCursor, formatGeneralizedTime, parseGeneralizedTime, scopeFingerprint } from './ldap-cursor.ts'
import { type LdapErrorContext, toConnectorError } from './ldap-errors.ts'
import { changedAfter, changedSince } from './ldap-filters.ts'
import { type MappingContext, type RawEntry, firstString, guidToString, mapGroupBasics, mapUser, parseRangedAttribute, stringValues, stripUniqueMemberUid } from './ldap-mapping.ts'
import { type LdapAttributeMap, type LdapPreset, groupAttributes, userAttributes } from './ldap-presets.ts'
import { type LdapSession, openSession } from './ldap-session.ts'
import { MembershipGraph } from './membership-graph.ts'

/** Everything a read needs, resolved once from the integration's settings. */
export interface LdapReadPlan {
  readonly settings: LdapConfig
  readonly preset: LdapPreset
  readonly map: LdapAttributeMap
  readonly mapping: MappingContext
  readonly userFilter: Filter
  readonly groupFilter: Filter
  /**
   * AD range retrieval step: ask for `member;range=0-(step-1)` and continue in steps of this many
   * values. null (default) asks for plain `member` and follows whatever range the server imposes
   * (Windows: 1,500 per response; Samba: never ranges unless asked).
   */
  readonly memberRangeStep: number | null
  /** Findings from resolving the settings (unknown attribute-map keys…), repeated in every summary. */
  readonly configWarnings: readonly string[]
}

/** LDAP_SERVER_SHOW_DELETED_OID: lets a search see tombstones in CN=Deleted Objects. */
const SHOW_DELETED_OID = '1.2.840.113556.1.4.417'
/**
 * Timestamp cursors: how far the server's clock may be ahead of ours (Default: 5 s), and the
 * extra look-back beyond the read's own duration when an entry changed during the read.
 */
const CLOCK_SKEW_MS = 5_000

interface AdIdentity {
  readonly dnsHostName: string
  readonly invocationId: string
  readonly highestUsn: bigint
  readonly domainDn: string
}

export class ReadState {
  users = 0
  groups = 0
  noAddress = 0
  noId = 0
  foreignDenied = 0
  referrals = 0
  /** Extra requests made by AD range retrieval. */
  rangeRequests = 0
  /** The newest modifyTimestamp seen, as the server wrote it, and as epoch ms. */
  private maxTimestampText: string | null = null
  maxTimestamp: number | null = null
  readonly warnings: string[] = []
  progress(): string {
    return `${this.users.toLocaleString('en-US')} users and ${this.groups.toLocaleString('en-US')} groups`
  }
  noteTimestamp(entry: RawEntry): void {
    const text = firstString(entry, 'modifyTimestamp')
    if (text === undefined) return
    // A server writes one fixed-width form (slapd 20240131120000Z, AD …00.0Z), whose text order is
    // time order: parse only when the newest one changes or the form differs (once per read, not per entry).
    const max = this.maxTimestampText
    if (max !== null && text.length === max.length && text <= max) return
    const ms = parseGeneralizedTime(text)
    if (ms !== null && (this.maxTimestamp === null || ms > this.maxTimestamp)) {
      this.maxTimestamp = ms
      this.maxTimestampText = text
    }
  }
}

export async function* readDirectory(plan: LdapReadPlan, secret: string | null, options: ReadOptions): AsyncGenerator<ReadBatch, ReadSummary, void> {
  const started = Date.now()
  const state = new ReadState()
  const session = await openSession(plan.settings, secret, options.signal)
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
    if (decision.mode === 'full') {
      yield* fullRead(reader, plan, state, options)
      cursor = nextCursor(plan, identity, state, null, started)
    } else {
      yield* incrementalRead(reader, plan, state, options, decision.cursor, identity)
      cursor = nextCursor(plan, identity, state, decision.cursor, started)
    }
    return {
      mode: decision.mode,
      modeReason: decision.reason,
      cursor: cursor ? encodeCursor(cursor) : null,
      warnings: [...plan.configWarnings, ...state.warnings, ...summaryWarnings(state)],
    }
  } finally {
    await session.close()
  }
}

async function* fullRead(reader: PageReader, plan: LdapReadPlan, state: ReadState, options: ReadOptions): AsyncGenerator<ReadBatch, void, void> {
  const graph = new MembershipGraph()
  const trackTime = plan.preset.changeTracking === 'timestamp'
  for await (const page of reader.users(plan.userFilter, trackTime)) {
    const users: DirectoryUser[] = []
    for (const entry of page) {
      const user = mapUserCounting(entry, plan, state)
      if (user === null) continue
      graph.addUser(entry.dn, user.externalId, user.attributes['login'])
      users.push(user)
    }
    state.users += users.length
    options.onProgress?.(state.users, 'users')
    if (users.length > 0) yield { kind: 'users', users }
  }
  for await (const page of reader.groups(plan.groupFilter, trackTime)) {
    const ready: DirectoryGroup[] = []
    for (const entry of page) {
      const group = await reader.addGroup(graph, entry)
      if (group) ready.push(group)
    }
    state.groups += ready.length
    options.onProgress?.(state.users + state.groups, 'groups')
    if (ready.length > 0) yield { kind: 'groups', groups: ready }
  }
  const nested = graph.resolveDeferred()
  state.groups += nested.length
  if (nested.length > 0) yield { kind: 'groups', groups: nested }
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
  identity: AdIdentity | null,
): AsyncGenerator<ReadBatch, void, void> {
  const [attribute, value] = cursor.mode === 'usn' ? ['uSNChanged', (BigInt(cursor.usn) + 1n).toString()] : ['modifyTimestamp', cursor.since]
  const trackTime = cursor.mode === 'timestamp'
  // USNs: >= last+1. Timestamps: strictly after the recorded time (see nextCursor).
  const changed = (base: Filter) => (cursor.mode === 'usn' ? changedSince(base, attribute, value) : changedAfter(base, attribute, value))

  for await (const page of reader.users(changed(plan.userFilter), trackTime)) {
    const users: DirectoryUser[] = []
    for (const entry of page) {
      const user = mapUserCounting(entry, plan, state)
      if (user !== null) users.push(user)
    }
    state.users += users.length
    options.onProgress?.(state.users, 'changed users')
    if (users.length > 0) yield { kind: 'users', users }
  }

  let everyGroupChanged = false
  if (cursor.mode === 'usn' && identity) {
    // Deletions: tombstones in CN=Deleted Objects changed since the cursor (AD keeps them 180 days by default).
    const userIds: string[] = []
    const groupIds: string[] = []
    const filter = FilterParser.parseString(`(&(isDeleted=TRUE)(uSNChanged>=${value}))`)
    for await (const page of reader.search(identity.domainDn, filter, ['objectGUID', 'objectClass'], [new Control(SHOW_DELETED_OID)])) {
      for (const entry of page) {
        const [guid] = entry['objectGUID'] === undefined ? [] : [entry['objectGUID']].flat()
        if (!Buffer.isBuffer(guid) || guid.length !== 16) continue
        const classes = stringValues(entry, 'objectClass').map((c) => c.toLowerCase())
        if (classes.includes('group')) groupIds.push(guidToString(guid))
        else if (classes.includes('user') && !classes.includes('computer')) userIds.push(guidToString(guid))
      }
    }
    if (userIds.length > 0 || groupIds.length > 0) yield { kind: 'deleted', userIds, groupIds }
    // A deleted member disappears from its groups without the groups' uSNChanged moving (seen on
    // Samba; the tombstone keeps no memberOf), so after a user or group deletion every group is
    // re-emitted with its current member list.
    everyGroupChanged = userIds.length > 0 || groupIds.length > 0
  }

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
  for await (const page of reader.users(plan.userFilter, false)) {
    for (const entry of page) {
      const mapped = mapUser(entry, plan.mapping)
      if ('user' in mapped) graph.addUser(entry.dn, mapped.user.externalId, mapped.user.attributes['login'])
    }
  }
  for await (const page of reader.groups(plan.groupFilter, false)) {
    for (const entry of page) await reader.addGroup(graph, entry)
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

/** Paged searches with error mapping, cancellation, referral counting and AD range retrieval. */
export class PageReader {
  private readonly session: LdapSession
  private readonly plan: LdapReadPlan
  private readonly state: ReadState
  private readonly signal: AbortSignal
  private readonly errorContext: () => LdapErrorContext
  private readonly binary: string[]

  constructor(session: LdapSession, plan: LdapReadPlan, state: ReadState, signal: AbortSignal, errorContext: () => LdapErrorContext) {
    this.session = session
    this.plan = plan
    this.state = state
    this.signal = signal
    this.errorContext = errorContext
    // ldapts matches binary attribute names case-sensitively: list the usual spellings.
    this.binary = plan.preset.binaryAttributes.flatMap((a) => [a, a.toLowerCase()])
  }

  /** `member`, or `member;range=0-(step-1)` when a range step is configured. */
  get memberRequest(): string {
    const step = this.plan.memberRangeStep
    return step ? `${this.plan.map.member};range=0-${step - 1}` : this.plan.map.member
  }

  users(filter: Filter, trackTime: boolean): AsyncGenerator<RawEntry[]> {
    const attributes = userAttributes(this.plan.map)
    if (trackTime) attributes.push('modifyTimestamp')
    return this.search(this.plan.settings.baseDn, filter, attributes, undefined, trackTime)
  }

  groups(filter: Filter, trackTime: boolean): AsyncGenerator<RawEntry[]> {
    const attributes = groupAttributes(this.plan.map, this.memberRequest)
    if (trackTime) attributes.push('modifyTimestamp')
    return this.search(this.plan.settings.baseDn, filter, attributes, undefined, trackTime)
  }

  async *search(base: string, filter: Filter, attributes: string[], controls?: Control[], trackTime = false): AsyncGenerator<RawEntry[]> {
    const pages = this.session.client.searchPaginated(
      base,
      { scope: 'sub', filter, attributes, explicitBufferAttributes: this.binary, paged: { pageSize: this.plan.settings.pageSize } },
      controls,
    )
    type Page = IteratorResult<{ searchEntries: unknown[]; searchReferences: string[] }>
    // One page ahead: the request for page N+1 goes out before page N is handed on, so the server
    // produces it (on the other core) while page N is mapped, instead of both sides taking turns.
    // At most two pages are held. A failure of the prefetch surfaces when that page is awaited.
    const ahead = (): Promise<Page> => {
      const promise = pages.next()
      promise.catch(() => undefined)
      return promise
    }
    let pending = ahead()
    try {
      for (;;) {
        if (this.signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
        let next: Page
        try {
          next = await pending
        } catch (error) {
          if (this.signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
          throw toConnectorError(error, this.errorContext())
        }
        if (next.done) return
        pending = ahead()
        // Continuation references (AD: Configuration/DomainDnsZones) are not chased.
        this.state.referrals += next.value.searchReferences.length
        const entries = next.value.searchEntries as RawEntry[]
        if (trackTime) for (const entry of entries) this.state.noteTimestamp(entry)
        yield entries
      }
    } finally {
      await pages.return(undefined).catch(() => undefined)
    }
  }

  /** Maps a group entry, completes ranged member values, and records it in the graph. */
  async addGroup(graph: MembershipGraph, entry: RawEntry): Promise<DirectoryGroup | null> {
    const mapped = mapGroupBasics(entry, this.plan.mapping)
    if (!('group' in mapped)) {
      if (mapped.skipped === 'foreign-sync-denied') this.state.foreignDenied++
      else this.state.noId++
      return null
    }
    const { map } = this.plan
    // The entry's own value arrays are handed to the graph as they are (no copy of a big group's
    // member list); a new list is made only when uniqueMember values must be added.
    let dns = await this.memberDns(entry)
    const unique = map.uniqueMember ? stringValues(entry, map.uniqueMember) : []
    if (unique.length > 0) dns = [...dns, ...unique.map(stripUniqueMemberUid)]
    const uids = map.memberUid ? stringValues(entry, map.memberUid) : []
    return graph.addGroup(entry.dn, mapped.group, dns, uids)
  }

  /** Every DN-valued `member` of a group entry, following range retrieval to the end. */
  async memberDns(entry: RawEntry): Promise<readonly string[]> {
    const first = memberValues(entry, this.plan.map.member, this.memberRequest)
    if (first.next === null) return first.values
    const values = [...first.values]
    await this.completeRange(entry.dn, values, first.next)
    return values
  }

  /**
   * AD range retrieval: keep asking for `member;range=N-…` until the server answers with a range
   * ending in `*`. Anything else (no ranged attribute, a gap) means the member list would be
   * short, so the whole read is reported incomplete rather than trusted.
   */
  private async completeRange(dn: string, values: string[], start: number): Promise<void> {
    const attribute = this.plan.map.member
    const step = this.plan.memberRangeStep
    let next: number | null = start
    while (next !== null) {
      if (this.signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
      this.state.rangeRequests++
      const request: string = `${attribute};range=${next}-${step ? next + step - 1 : '*'}`
      let entry: RawEntry | undefined
      try {
        const result = await this.session.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [request] })
        entry = result.searchEntries[0]
      } catch (error) {
        throw toConnectorError(error, this.errorContext())
      }
      const part: ReturnType<typeof memberValues> | null = entry ? memberValues(entry, attribute, request) : null
      if (part === null || part.low !== next) {
        throw new ConnectorError('incomplete-read', `Range retrieval of the members of "${dn}" ended early at value ${next.toLocaleString('en-US')} (after ${this.state.progress()}); the read is incomplete and was discarded.`, { retryable: true })
      }
      for (const v of part.values) values.push(v)
      next = part.next
    }
  }
}

/**
 * The member values of an entry, plain or ranged. `next` is where the following range starts
 * (null when the list is complete). ldapts adds every requested attribute that was not returned
 * as an empty list under the requested name; that placeholder is not a range answer.
 */
export function memberValues(entry: RawEntry, attribute: string, requested: string): { values: readonly string[]; low: number | null; next: number | null } {
  const lower = attribute.toLowerCase()
  const requestedLower = requested.toLowerCase()
  let plain: readonly string[] | null = null
  for (const key of Object.keys(entry)) {
    const keyLower = key.toLowerCase()
    if (keyLower === lower) {
      plain = stringValues(entry, key)
      continue
    }
    const range = parseRangedAttribute(key)
    if (range === null || range.attribute.toLowerCase() !== lower) continue
    const values = stringValues(entry, key)
    if (keyLower === requestedLower && values.length === 0 && range.high !== '*') continue
    return { values, low: range.low, next: range.high === '*' ? null : range.high + 1 }
  }
  return { values: plain ?? [], low: plain === null ? null : 0, next: null }
}

async function readAdIdentity(client: Client, context: LdapErrorContext): Promise<AdIdentity | null> {
  try {
    const root = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['dnsHostName', 'highestCommittedUSN', 'dsServiceName', 'defaultNamingContext'] })
    const rootDse = root.searchEntries[0]
    if (!rootDse) return null
    const dnsHostName = firstString(rootDse, 'dnsHostName')
    const usn = firstString(rootDse, 'highestCommittedUSN')
    const service = firstString(rootDse, 'dsServiceName')
    const domainDn = firstString(rootDse, 'defaultNamingContext')
    if (!dnsHostName || !usn || !/^\d+$/.test(usn) || !service || !domainDn) return null
    const ntds = await client.search(service, { scope: 'base', filter: '(objectClass=*)', attributes: ['invocationId'], explicitBufferAttributes: ['invocationId', 'invocationID'] })
    const entry = ntds.searchEntries[0]
    const raw = entry ? [entry['invocationId'] ?? entry['invocationID'] ?? []].flat()[0] : undefined
    if (!Buffer.isBuffer(raw) || raw.length !== 16) return null
    return { dnsHostName: dnsHostName.toLowerCase(), invocationId: guidToString(raw), highestUsn: BigInt(usn), domainDn }
  } catch (error) {
    throw toConnectorError(error, context)
  }
}

type ModeDecision = { readonly mode: 'full'; readonly reason: string } | { readonly mode: 'incremental'; readonly reason: string; readonly cursor: LdapCursor }

export function decideMode(plan: LdapReadPlan, options: Pick<ReadOptions, 'cursor' | 'incrementalRunsSinceFull'>, identity: AdIdentity | null): ModeDecision {
  const full = (reason: string): ModeDecision => ({ mode: 'full', reason })
  if (!options.cursor) return full('first read (no previous cursor)')
  const cursor = decodeCursor(options.cursor)
  if (cursor === null) return full('the previous cursor could not be used (written by another version or connector)')
  if (cursor.flavour !== plan.preset.flavour || cursor.scope !== scopeFingerprint(plan.settings)) {
    return full('the base DN, filters or attribute mapping changed since the last read')
  }
  const every = plan.settings.fullReadEvery
  if (options.incrementalRunsSinceFull >= every) {
    return full(
      plan.preset.changeTracking === 'usn'
        ? `periodic full read (every ${every} runs) to catch objects that moved out of the base DN or filters`
        : `periodic full read (every ${every} runs): this directory reports no deletions, so a full read finds them`,
    )
  }
  if (cursor.mode === 'usn') {
    if (!identity) return full('the domain controller did not report its update sequence number and database identity')
    if (identity.dnsHostName !== cursor.dnsHostName) {
      return full(`a different domain controller answered (${identity.dnsHostName} instead of ${cursor.dnsHostName}); update sequence numbers are per domain controller`)
    }
    if (identity.invocationId !== cursor.invocationId) {
      return full(`the database identity (invocationId) of ${identity.dnsHostName} changed — it was probably restored from a backup`)
    }
    if (identity.highestUsn < BigInt(cursor.usn)) {
      return full(`the update sequence number of ${identity.dnsHostName} went backwards (${identity.highestUsn} < ${cursor.usn}) — it was probably restored from a backup`)
    }
    return { mode: 'incremental', reason: `changes since USN ${cursor.usn} on ${cursor.dnsHostName}`, cursor }
  }
  return { mode: 'incremental', reason: `changes since ${cursor.since} (modifyTimestamp)`, cursor }
}

function nextCursor(plan: LdapReadPlan, identity: AdIdentity | null, state: ReadState, previous: LdapCursor | null, started: number): LdapCursor | null {
  const base = { v: 1 as const, flavour: plan.preset.flavour, scope: scopeFingerprint(plan.settings) }
  if (plan.preset.changeTracking === 'usn') {
    // highestCommittedUSN was read before the searches: anything changed during the read is above it.
    return identity ? { ...base, mode: 'usn', dnsHostName: identity.dnsHostName, invocationId: identity.invocationId, usn: identity.highestUsn.toString() } : null
  }
  // The next read asks for entries modified strictly after `since`. Normally that is the newest
  // modifyTimestamp seen. But if that entry changed during this read (or just before, within the
  // clock skew), another entry may have changed during the read after we had passed it, with an
  // older time: then look back over the read's duration plus the skew (re-reading a few entries
  // is harmless; missing one is not).
  if (state.maxTimestamp === null) return previous
  let since = state.maxTimestamp
  if (since >= started - CLOCK_SKEW_MS) since -= Date.now() - started + CLOCK_SKEW_MS
  return { ...base, mode: 'timestamp', since: formatGeneralizedTime(since) }
}

function summaryWarnings(state: ReadState): string[] {
  const out: string[] = []
  if (state.noAddress > 0) out.push(`${state.noAddress.toLocaleString('en-US')} users have no email address and were skipped.`)
  if (state.noId > 0) out.push(`${state.noId.toLocaleString('en-US')} entries have no stable id and were skipped.`)
  if (state.foreignDenied > 0) out.push(`${state.foreignDenied.toLocaleString('en-US')} people or groups have "Allow Foreign Directory Synchronization" set to No and were skipped.`)
  if (state.referrals > 0) out.push(`${state.referrals.toLocaleString('en-US')} referrals to other naming contexts were ignored.`)
  return out
}
