import { isIP } from 'node:net'
import tls from 'node:tls'
import { Client } from 'ldapts'
import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import { toConnectorError } from './ldap-errors.ts'
import { useLeanDecoding } from './lean/lean-decoding.ts'
import type { InternedAttributes } from './lean/search-entry-decoder.ts'

/** Default ports by encryption: LDAPS 636, plain LDAP and StartTLS 389. */
export function defaultPort(encryption: LdapConfig['encryption']): number {
  return encryption === 'ldaps' ? 636 : 389
}

export function portOf(settings: LdapConfig): number {
  return settings.port ?? defaultPort(settings.encryption)
}

/** Host first, then the alternate host (tried only when the first one does not answer). */
export function hostsOf(settings: LdapConfig): string[] {
  return settings.alternateHost && settings.alternateHost !== settings.host ? [settings.host, settings.alternateHost] : [settings.host]
}

/**
 * TLS options for LDAPS and StartTLS. A configured CA is trusted in addition to the system store
 * (a private AD CS root is the usual case). Verification is on unless the admin turned it off;
 * the host name is checked against the certificate (IP SAN for IP addresses).
 */
export function tlsOptionsFor(settings: LdapConfig, host: string): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {
    rejectUnauthorized: settings.verifyCertificate,
    minVersion: 'TLSv1.2',
  }
  if (settings.caCertificatePem?.trim()) options.ca = [...tls.rootCertificates, settings.caCertificatePem]
  // SNI must not be an IP address (RFC 6066); Node still checks the IP SAN against `host`.
  if (isIP(host) === 0) options.servername = host
  return options
}

function urlOf(settings: LdapConfig, host: string): string {
  const scheme = settings.encryption === 'ldaps' ? 'ldaps' : 'ldap'
  const h = isIP(host) === 6 ? `[${host}]` : host
  return `${scheme}://${h}:${portOf(settings)}`
}

export interface LdapSession {
  readonly client: Client
  readonly host: string
  readonly port: number
  /** Set when the first host did not answer and the alternate was used. */
  readonly failoverNote: string | null
  close(): Promise<void>
}

/** Errors that mean "this host does not answer": worth trying the alternate host. */
const FAILOVER_CODES = new Set(['dns', 'unreachable', 'timeout'])

/**
 * How a session decodes search entries: `stock` ldapts (Test Connection, look-ups), or `lean`
 * for bulk reads (see lean/lean-decoding.ts), optionally interning DN attributes (the group reader).
 */
export type SessionDecoding = 'stock' | { readonly lean: true; readonly interned?: InternedAttributes }

export const BULK_READ: SessionDecoding = { lean: true }

/**
 * Connects (TLS as configured) and binds, trying the alternate host when the first does not
 * answer. Refuses an empty password: a simple bind with a DN and no password is an
 * unauthenticated bind that "succeeds" and then reads nothing (RFC 4513 §5.1.2).
 */
export async function openSession(settings: LdapConfig, secret: string | null, signal: AbortSignal, decoding: SessionDecoding = 'stock'): Promise<LdapSession> {
  if (!secret) throw new ConnectorError('config', 'Enter the bind password: an empty password would log on anonymously and read nothing.')
  const hosts = hostsOf(settings)
  const failures: ConnectorError[] = []
  for (const host of hosts) {
    if (signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
    try {
      const session = await connectAndBind(settings, secret, host, signal, decoding)
      const note = failures.length > 0 ? `${hosts[0]} did not answer (${failures[0]!.message}) — used the alternate host ${host}.` : null
      return { ...session, failoverNote: note }
    } catch (error) {
      const mapped = error instanceof ConnectorError ? error : toConnectorError(error, { host, port: portOf(settings), phase: 'bind', bindDn: settings.bindDn })
      if (!FAILOVER_CODES.has(mapped.code) || host === hosts[hosts.length - 1]) {
        if (failures.length > 0) {
          throw new ConnectorError(mapped.code, `Neither host answered. ${failures.map((f) => f.message).join(' ')} ${mapped.message}`, { cause: mapped, retryable: mapped.retryable })
        }
        throw mapped
      }
      failures.push(mapped)
    }
  }
  throw new ConnectorError('config', 'No host is configured.')
}

async function connectAndBind(settings: LdapConfig, secret: string, host: string, signal: AbortSignal, decoding: SessionDecoding): Promise<Omit<LdapSession, 'failoverNote'>> {
  const port = portOf(settings)
  const timeout = settings.timeoutSeconds * 1000
  const client = new Client({
    url: urlOf(settings, host),
    timeout,
    connectTimeout: timeout,
    tlsOptions: settings.encryption === 'ldaps' ? tlsOptionsFor(settings, host) : undefined,
    strictDN: false,
  })
  if (decoding !== 'stock') useLeanDecoding(client, decoding.interned)
  const onAbort = () => void client.unbind().catch(() => undefined)
  signal.addEventListener('abort', onAbort, { once: true })
  const close = async () => {
    signal.removeEventListener('abort', onAbort)
    await client.unbind().catch(() => undefined)
  }
  try {
    if (settings.encryption === 'starttls') {
      try {
        await client.startTLS(tlsOptionsFor(settings, host))
      } catch (error) {
        throw toConnectorError(error, { host, port, phase: 'tls' })
      }
    }
    await client.bind(settings.bindDn, secret)
    return { client, host, port, close }
  } catch (error) {
    await close()
    if (signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
    throw toConnectorError(error, { host, port, phase: 'bind', bindDn: settings.bindDn })
  }
}
