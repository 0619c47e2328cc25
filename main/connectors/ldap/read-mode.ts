import type { Client } from 'ldapts'
import type { ReadOptions } from '../directory-connector.ts'
import { type LdapCursor, decodeCursor, formatGeneralizedTime, scopeFingerprint } from './ldap-cursor.ts'
import { type LdapErrorContext, toConnectorError } from './ldap-errors.ts'
import { guidFromBytes } from '../../directory-rules/object-guid.ts'
import { firstString } from './ldap-mapping.ts'
import type { LdapReadPlan } from './ldap-read-plan.ts'
import type { ReadState } from './page-reader.ts'

/**
 * Timestamp cursors: how far the server's clock may be ahead of ours (Default: 5 s), and the
 * extra look-back beyond the read's own duration when an entry changed during the read.
 */
const CLOCK_SKEW_MS = 5_000

export interface AdIdentity {
  readonly dnsHostName: string
  readonly invocationId: string
  readonly highestUsn: bigint
  readonly domainDn: string
}

export async function readAdIdentity(client: Client, context: LdapErrorContext): Promise<AdIdentity | null> {
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
    return { dnsHostName: dnsHostName.toLowerCase(), invocationId: guidFromBytes(raw)!, highestUsn: BigInt(usn), domainDn }
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
        : `periodic full read (every ${every} runs) to check the incremental reads against the whole directory`,
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

export function nextCursor(plan: LdapReadPlan, identity: AdIdentity | null, state: ReadState, previous: LdapCursor | null, started: number): LdapCursor | null {
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
