import type { Control, Filter } from 'ldapts'
import { ConnectorError } from '../connector-error.ts'
import { parseGeneralizedTime } from './ldap-cursor.ts'
import { type LdapErrorContext, toConnectorError } from './ldap-errors.ts'
import { withoutOptionalUid } from '../../directory-rules/distinguished-name.ts'
import { parseRangedAttribute } from '../../directory-rules/ranged-attribute.ts'
import { type GroupBasics, type RawEntry, firstString, mapGroupBasics, stringValues } from './ldap-mapping.ts'
import { groupAttributes, userAttributes } from './ldap-presets.ts'
import type { LdapReadPlan } from './ldap-read-plan.ts'
import type { LdapSession } from './ldap-session.ts'

export interface GroupMembers {
  readonly basics: GroupBasics
  /** member / uniqueMember values (DNs, without the #'…'B suffix). */
  readonly dns: readonly string[]
  /** posixGroup memberUid values (log-on names). */
  readonly uids: readonly string[]
}

/** Counters and findings of one read (or of the group half of one, in the worker). */
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
    if (text !== undefined) this.noteTimestampText(text)
  }

  /** Records a modifyTimestamp value (also the newest one of the groups read in the worker). */
  noteTimestampText(text: string): void {
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

  get newestTimestampText(): string | null {
    return this.maxTimestampText
  }
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

  /**
   * Maps a group entry and completes ranged member values: its basics, DN-valued members and
   * memberUid values; null (counted) when the group is skipped.
   */
  async groupMembers(entry: RawEntry): Promise<GroupMembers | null> {
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
    if (unique.length > 0) dns = [...dns, ...unique.map(withoutOptionalUid)]
    const uids = map.memberUid ? stringValues(entry, map.memberUid) : []
    return { basics: mapped.group, dns, uids }
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
