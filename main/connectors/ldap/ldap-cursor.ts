import { createHash } from 'node:crypto'
import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import type { LdapFlavour } from './ldap-presets.ts'

/**
 * The incremental-read cursor (opaque to the engine, JSON here).
 * - AD (`usn`): update sequence numbers are per domain controller, so the cursor is bound to one
 *   DC: its dnsHostName and the invocationId of its database. Another DC, or the same DC restored
 *   from backup (new invocationId, or USN lower than recorded), forces a full read.
 * - OpenLDAP / Domino (`timestamp`): modifyTimestamp at or after `since`.
 * `scope` fingerprints the settings that decide what is read; if they change, the next read is full.
 */
export type LdapCursor =
  | { readonly v: 1; readonly flavour: LdapFlavour; readonly scope: string; readonly mode: 'usn'; readonly dnsHostName: string; readonly invocationId: string; readonly usn: string }
  | { readonly v: 1; readonly flavour: LdapFlavour; readonly scope: string; readonly mode: 'timestamp'; readonly since: string }

export function scopeFingerprint(settings: LdapConfig): string {
  const relevant = {
    baseDn: settings.baseDn.trim().toLowerCase(),
    userFilter: settings.userFilter ?? '',
    groupFilter: settings.groupFilter ?? '',
    attributeMap: Object.entries(settings.attributeMap).sort(([a], [b]) => a.localeCompare(b)),
    honour: settings.honourForeignDirectorySync,
  }
  return createHash('sha256').update(JSON.stringify(relevant)).digest('base64url').slice(0, 16)
}

export function encodeCursor(cursor: LdapCursor): string {
  return JSON.stringify(cursor)
}

/** null when absent or unreadable (a cursor from another connector or an older build). */
export function decodeCursor(text: string | null): LdapCursor | null {
  if (!text) return null
  try {
    const value = JSON.parse(text) as Partial<LdapCursor>
    if (value.v !== 1 || typeof value.scope !== 'string') return null
    if (value.mode === 'usn' && typeof value.usn === 'string' && /^\d+$/.test(value.usn) && typeof value.invocationId === 'string' && typeof value.dnsHostName === 'string') return value as LdapCursor
    if (value.mode === 'timestamp' && typeof value.since === 'string' && parseGeneralizedTime(value.since) !== null) return value as LdapCursor
    return null
  } catch {
    return null
  }
}

/** LDAP GeneralizedTime (RFC 4517 §3.3.13) → epoch ms: 20240131120000Z, …00.5Z, …00+0100, minutes-only forms. */
export function parseGeneralizedTime(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h, mi = '00', s = '00', frac = '0', zone] = m
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Math.round(Number(`0.${frac}`) * 1000)
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5) || '0')
    ms -= sign * offset * 60_000
  }
  return Number.isFinite(ms) ? ms : null
}

/** epoch ms → GeneralizedTime in UTC with whole seconds (what slapd stores). */
export function formatGeneralizedTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z')
}
