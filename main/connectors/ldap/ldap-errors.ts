import { ResultCodeError } from 'ldapts'
import { ConnectorError } from '../connector-error.ts'

/** Where the failure happened, so the message can name the server and what was being done. */
export interface LdapErrorContext {
  readonly host: string
  readonly port: number
  readonly phase: 'connect' | 'tls' | 'bind' | 'base-read' | 'read'
  readonly baseDn?: string
  readonly bindDn?: string
  /** For reads: how far it got, so "incomplete" says something concrete. */
  readonly progress?: string
}

/**
 * AD puts a sub-code in the diagnostic message of result 49, e.g.
 * "80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 52e, v4f7c".
 */
const AD_BIND_SUBCODES: Readonly<Record<string, string>> = {
  '525': 'the bind user does not exist',
  '52e': 'the password is wrong (or the bind user does not exist)',
  '530': 'the bind user may not log on at this time (logon hours)',
  '531': 'the bind user may not log on from this workstation',
  '532': 'the bind user’s password has expired',
  '533': 'the bind user’s account is disabled',
  '701': 'the bind user’s account has expired',
  '773': 'the bind user must change its password before it can log on',
  '775': 'the bind user’s account is locked out',
}

export function adBindSubcode(diagnostic: string): string | null {
  const match = /\bdata ([0-9a-f]{3,4})\b/i.exec(diagnostic)
  return match ? match[1]!.toLowerCase() : null
}

const CERT_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
])

/** Maps anything ldapts or the socket layer throws to a ConnectorError in admin language. Never echoes a password. */
export function toConnectorError(error: unknown, context: LdapErrorContext): ConnectorError {
  if (error instanceof ConnectorError) return error
  const where = `${context.host}:${context.port}`
  const err = error as { code?: unknown; message?: unknown; name?: unknown }
  const message = typeof err.message === 'string' ? err.message : String(error)
  const code = typeof err.code === 'string' ? err.code : undefined
  const cause = { cause: error }

  if (error instanceof ResultCodeError) return fromResultCode(error, context, where)

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new ConnectorError('dns', `The host name ${context.host} could not be resolved (DNS). Check the spelling, or use the server's IP address.`, { ...cause, retryable: code === 'EAI_AGAIN' })
  }
  if (code === 'ECONNREFUSED') {
    return new ConnectorError('unreachable', `${where} refused the connection: nothing is listening on that port. Check the port and the encryption mode (LDAPS is usually 636, LDAP/StartTLS 389), and that the directory service is running.`, { ...cause, retryable: true })
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return new ConnectorError('unreachable', `${where} cannot be reached from this computer (no route to the host). Check the address and any firewall in between.`, { ...cause, retryable: true })
  }
  if (code === 'ETIMEDOUT' || message === 'Connection timeout') {
    return new ConnectorError('timeout', `${where} did not answer within the timeout. The host may be down or a firewall may be dropping the connection.`, { ...cause, retryable: true })
  }
  if (code !== undefined && CERT_UNTRUSTED.has(code)) {
    return new ConnectorError('certificate', `The certificate of ${where} is not trusted: it was issued by a certificate authority this computer does not trust (${code}). Paste the CA certificate (PEM) of your directory into the settings.`, cause)
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ConnectorError('certificate', `The certificate of ${where} does not name "${context.host}". Connect using a host name the certificate lists, or ask for a certificate that includes this name.`, cause)
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new ConnectorError('certificate', `The certificate of ${where} has expired. Renew the server's certificate.`, cause)
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return new ConnectorError('certificate', `The certificate of ${where} is not valid yet. Check the clocks of this computer and of the server.`, cause)
  }
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL_') || /wrong version number|handshake/i.test(message)) {
    return new ConnectorError('tls', `The TLS handshake with ${where} failed. The port may not speak the chosen encryption (LDAPS vs StartTLS vs none).`, cause)
  }
  if (/Operation timed out/.test(message)) {
    if (context.phase === 'read') {
      return new ConnectorError('incomplete-read', `${where} stopped answering during the read${progressOf(context)}; the read is incomplete and was discarded.`, { ...cause, retryable: true })
    }
    return new ConnectorError('timeout', `${where} did not answer within the timeout.`, { ...cause, retryable: true })
  }
  if (/Connection closed|Socket error|ECONNRESET|EPIPE|Socket connection not established/.test(message) || code === 'ECONNRESET' || code === 'EPIPE') {
    if (context.phase === 'read') {
      return new ConnectorError('incomplete-read', `The connection to ${where} was lost during the read${progressOf(context)}; the read is incomplete and was discarded.`, { ...cause, retryable: true })
    }
    return new ConnectorError('unreachable', `The connection to ${where} was closed by the server.`, { ...cause, retryable: true })
  }
  return new ConnectorError('protocol', `Unexpected answer from ${where} (${context.phase}): ${scrub(message)}`, cause)
}

function fromResultCode(error: ResultCodeError, context: LdapErrorContext, where: string): ConnectorError {
  const cause = { cause: error }
  const diagnostic = scrub(error.message)
  switch (error.code) {
    case 49: {
      const sub = adBindSubcode(error.message)
      const reason = sub !== null ? AD_BIND_SUBCODES[sub] : undefined
      const who = context.bindDn ? `"${context.bindDn}"` : 'the bind user'
      return new ConnectorError('credentials', reason ? `The directory refused to log on ${who}: ${reason}.` : `The directory refused to log on ${who}: wrong bind user or password.`, cause)
    }
    case 7:
    case 48:
      return new ConnectorError('credentials', `${where} does not accept this kind of log-on (simple bind). Use a DN or user@domain and a password.`, cause)
    case 8:
    case 13:
      return new ConnectorError('tls', `${where} requires an encrypted connection for this log-on. Choose StartTLS or LDAPS.`, cause)
    case 32:
      return new ConnectorError('not-found', context.baseDn ? `The base DN "${context.baseDn}" does not exist on ${where} (or the bind user cannot see it). Check the root DN.` : `An entry the read needed does not exist on ${where}.`, cause)
    case 34:
      return new ConnectorError('config', `The directory rejected a DN as malformed${context.baseDn ? ` (base DN "${context.baseDn}")` : ''}.`, cause)
    case 50:
      return new ConnectorError('permission', `The bind user is not allowed to read ${context.baseDn ? `"${context.baseDn}"` : 'this part of the directory'}. Grant it read access.`, cause)
    case 4:
    case 11:
      return new ConnectorError('incomplete-read', `${where} stopped the read at its size or administrative limit${progressOf(context)}; the read is incomplete and was discarded. Check that paged results are allowed for the bind user.`, { ...cause, retryable: false })
    case 3:
      return new ConnectorError(context.phase === 'read' ? 'incomplete-read' : 'timeout', `${where} hit its time limit${progressOf(context)}.`, { ...cause, retryable: true })
    case 12:
      return new ConnectorError('protocol', `${where} does not support a control the read needs (paged results or show-deleted).`, cause)
    case 51:
    case 52:
      return new ConnectorError(context.phase === 'read' ? 'incomplete-read' : 'unreachable', `${where} is busy or unavailable${progressOf(context)}. Try again later.`, { ...cause, retryable: true })
    case 53:
      return new ConnectorError('protocol', `${where} refused the operation (unwilling to perform): ${diagnostic}`, cause)
    case 87:
      return new ConnectorError('config', `The directory rejected a filter: ${diagnostic}`, cause)
    default:
      return new ConnectorError('protocol', `${where} answered with LDAP result ${error.code}: ${diagnostic}`, cause)
  }
}

function progressOf(context: LdapErrorContext): string {
  return context.progress ? ` (after ${context.progress})` : ''
}

/** Diagnostic text from the server, trimmed to one line; it never holds the password (ldapts redacts binds). */
function scrub(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 300)
}
