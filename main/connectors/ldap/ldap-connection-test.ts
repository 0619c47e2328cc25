import { lookup } from 'node:dns/promises'
import net, { isIP } from 'node:net'
import tls from 'node:tls'
import { Client } from 'ldapts'
import type { ConnectionStep, ConnectionStepName } from '../../../shared/domain/connection-test.ts'
import { ConnectorError } from '../connector-error.ts'
import { canSeeTombstones, deletionSource } from './deletion-source.ts'
import { toConnectorError } from './ldap-errors.ts'
import { type RawEntry, firstString, mapUser } from './ldap-mapping.ts'
import { groupAttributes, userAttributes } from './ldap-presets.ts'
import type { LdapReadPlan } from './ldap-read-plan.ts'
import { PageReader, ReadState } from './page-reader.ts'
import { type LdapSession, hostsOf, openSession, portOf, tlsOptionsFor } from './ldap-session.ts'
import { readAdIdentity } from './read-mode.ts'

/** How many users/groups the sample steps look at (one page each). */
const SAMPLE_USERS = 5
const SAMPLE_GROUPS = 100

type StepOutcome = { verdict: 'pass' | 'warn'; message: string }

/**
 * The test-connection ladder: DNS → TCP → TLS → bind → base DN → sample users → largest group →
 * how deletions are found (and which right would make that cheaper).
 * Each rung reports pass/warn/fail in plain language as soon as it ends; after a failure the
 * remaining rungs are reported as skipped. Messages never contain the password.
 */
export async function runConnectionTest(plan: LdapReadPlan, secret: string | null, signal: AbortSignal, onStep: (step: ConnectionStep) => void): Promise<readonly ConnectionStep[]> {
  const { settings } = plan
  const port = portOf(settings)
  const timeoutMs = settings.timeoutSeconds * 1000
  const steps: ConnectionStep[] = []
  // The label of the rung that failed: the admin reads "Resolve dc1.corp.example failed", not a step id.
  let failed: string | null = null
  let reachable: string[] = []
  let chosenHost = settings.host
  let session: LdapSession | null = null

  const step = async (name: ConnectionStepName, label: string, body: () => Promise<StepOutcome>): Promise<void> => {
    const started = performance.now()
    let result: ConnectionStep
    if (failed !== null) {
      result = { step: name, label, verdict: 'skipped', message: `Not run: "${failed}" failed.`, durationMs: 0 }
    } else {
      try {
        if (signal.aborted) throw new ConnectorError('cancelled', 'The test was cancelled.')
        const outcome = await body()
        result = { step: name, label, ...outcome, durationMs: Math.round(performance.now() - started) }
      } catch (error) {
        failed = label
        const message = error instanceof ConnectorError ? error.message : toConnectorError(error, { host: chosenHost, port, phase: 'connect' }).message
        result = { step: name, label, verdict: 'fail', message, durationMs: Math.round(performance.now() - started) }
      }
    }
    steps.push(result)
    onStep(result)
  }

  try {
    const hosts = hostsOf(settings)
    await step('dns', `Resolve ${hosts.join(' and ')}`, async () => {
      const found: string[] = []
      const problems: string[] = []
      for (const host of hosts) {
        if (isIP(host) !== 0) {
          found.push(`${host} is an IP address`)
          reachable.push(host)
          continue
        }
        try {
          const { address } = await withTimeout(lookup(host), timeoutMs, () => new ConnectorError('dns', `Looking up ${host} took longer than ${settings.timeoutSeconds} s.`))
          found.push(`${host} → ${address}`)
          reachable.push(host)
        } catch (error) {
          problems.push(toConnectorError(error, { host, port, phase: 'connect' }).message)
        }
      }
      if (reachable.length === 0) throw new ConnectorError('dns', problems.join(' '))
      return { verdict: problems.length > 0 ? 'warn' : 'pass', message: [...found, ...problems].join('; ') }
    })

    await step('tcp', `Connect to port ${port}`, async () => {
      const problems: string[] = []
      for (const host of reachable) {
        try {
          await tcpProbe(host, port, timeoutMs)
          chosenHost = host
          reachable = [host]
          const viaAlternate = host !== settings.host
          return viaAlternate
            ? { verdict: 'warn', message: `${settings.host} did not answer (${problems.join(' ')}); the alternate host ${host}:${port} accepted the connection.` }
            : { verdict: 'pass', message: `${host}:${port} accepted the connection.` }
        } catch (error) {
          problems.push(toConnectorError(error, { host, port, phase: 'connect' }).message)
        }
      }
      throw new ConnectorError('unreachable', problems.join(' '))
    })

    await step('tls', tlsLabel(settings.encryption), async () => {
      if (settings.encryption === 'none') {
        return { verdict: 'warn', message: 'Encryption is off: the bind password and all directory data cross the network in clear text. Choose LDAPS or StartTLS.' }
      }
      const certificate = await tlsProbe(plan, chosenHost, port, timeoutMs)
      const verified = settings.verifyCertificate
      const what = `${settings.encryption === 'ldaps' ? 'LDAPS' : 'StartTLS'} works; the certificate names ${certificate.subject}, issued by ${certificate.issuer}, valid until ${certificate.validTo}`
      return verified
        ? { verdict: 'pass', message: `${what}, and it is trusted for ${chosenHost}.` }
        : { verdict: 'warn', message: `${what}. Certificate verification is OFF: anyone on the network path could pretend to be this server and receive the bind password.` }
    })

    await step('bind', `Log on as ${settings.bindDn}`, async () => {
      session = await openSession({ ...settings, host: chosenHost, alternateHost: undefined }, secret, signal)
      return { verdict: 'pass', message: `Logged on as ${settings.bindDn}.` }
    })

    await step('base-read', `Read the base DN ${settings.baseDn}`, async () => {
      const s = session!
      try {
        const result = await s.client.search(settings.baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] })
        if (result.searchEntries.length === 0) throw new ConnectorError('not-found', `The base DN "${settings.baseDn}" was not returned (the bind user may not be allowed to see it).`)
      } catch (error) {
        throw toConnectorError(error, { host: s.host, port, phase: 'base-read', baseDn: settings.baseDn })
      }
      return { verdict: 'pass', message: `Found "${settings.baseDn}".` }
    })

    await step('sample-query', 'Find a few users', async () => {
      const entries = await firstPage(session!, plan, plan.userFilter, userAttributes(plan.map), SAMPLE_USERS)
      if (entries.length === 0) return { verdict: 'warn', message: `The user filter matched no one under "${settings.baseDn}". Check the base DN and the user filter.` }
      const mapped = entries.map((e) => mapUser(e, plan.mapping))
      const users = mapped.flatMap((m) => ('user' in m ? [m.user] : []))
      if (users.length === 0) return { verdict: 'warn', message: `Found ${entries.length} users, but none has an email address in "${plan.map.proxyAddresses || plan.map.mail}". Check the attribute mapping.` }
      const example = users[0]!
      return {
        verdict: 'pass',
        message: `Found users, for example ${example.displayName} <${example.primaryAddress}>${example.aliases.length ? ` (+${example.aliases.length} aliases)` : ''}, ${example.enabled ? 'enabled' : 'disabled'}; ${users.length} of the first ${entries.length} have an address.`,
      }
    })

    await step('large-group', 'Read group membership', async () => {
      const state = new ReadState()
      const reader = new PageReader(session!, plan, state, signal, () => ({ host: chosenHost, port, phase: 'read', baseDn: settings.baseDn, progress: 'the sample groups' }))
      const entries = await firstPage(session!, plan, plan.groupFilter, groupAttributes(plan.map, reader.memberRequest), SAMPLE_GROUPS)
      if (entries.length === 0) return { verdict: 'warn', message: `The group filter matched no groups under "${settings.baseDn}".` }
      let largest = { name: '', count: -1 }
      for (const entry of entries) {
        const count = (await reader.memberDns(entry)).length + extraMemberCount(entry, plan)
        if (count > largest.count) largest = { name: firstString(entry, plan.map.groupName) ?? entry.dn, count }
      }
      const ranged = state.rangeRequests > 0 ? ` (${state.rangeRequests} range-retrieval requests)` : ''
      return { verdict: 'pass', message: `Read ${entries.length} groups; the largest, "${largest.name}", has ${largest.count.toLocaleString('en-US')} direct members${ranged}.` }
    })

    await step('permissions', 'Check how deletions are found', async () => {
      const s = session!
      let visible = false
      if (plan.preset.changeTracking === 'usn') {
        const identity = await readAdIdentity(s.client, { host: s.host, port, phase: 'base-read', baseDn: settings.baseDn })
        visible = identity !== null && (await canSeeTombstones(s.client, identity.domainDn))
      }
      const source = deletionSource(plan, visible)
      const description = source.description.charAt(0).toUpperCase() + source.description.slice(1)
      return { verdict: 'pass', message: `${description}.${source.cheaperWith ? ` Incremental reads list every id in scope; to find deletions more cheaply, grant ${source.cheaperWith}.` : ''}` }
    })
  } finally {
    await (session as LdapSession | null)?.close()
  }
  return steps
}

function extraMemberCount(entry: RawEntry, plan: LdapReadPlan): number {
  let n = 0
  for (const attribute of [plan.map.uniqueMember, plan.map.memberUid]) {
    if (!attribute) continue
    const value = entry[attribute]
    n += value === undefined ? 0 : Array.isArray(value) ? value.length : 1
  }
  return n
}

async function firstPage(session: LdapSession, plan: LdapReadPlan, filter: LdapReadPlan['userFilter'], attributes: string[], size: number): Promise<RawEntry[]> {
  const pages = session.client.searchPaginated(plan.settings.baseDn, {
    scope: 'sub',
    filter,
    attributes,
    explicitBufferAttributes: plan.preset.binaryAttributes.flatMap((a) => [a, a.toLowerCase()]),
    paged: { pageSize: size },
  })
  try {
    const first = await pages.next()
    return first.done ? [] : (first.value.searchEntries)
  } catch (error) {
    throw toConnectorError(error, { host: session.host, port: session.port, phase: 'base-read', baseDn: plan.settings.baseDn })
  } finally {
    await pages.return(undefined)
  }
}

function tlsLabel(encryption: string): string {
  return encryption === 'ldaps' ? 'Negotiate LDAPS and check the certificate' : encryption === 'starttls' ? 'Negotiate StartTLS and check the certificate' : 'Encryption'
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.end()
      socket.destroy()
      resolve()
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

interface CertificateFacts {
  readonly subject: string
  readonly issuer: string
  readonly validTo: string
}

/** LDAPS: a TLS handshake on the port. StartTLS: the extended operation, then the handshake (ldapts). */
async function tlsProbe(plan: LdapReadPlan, host: string, port: number, timeoutMs: number): Promise<CertificateFacts> {
  const options = tlsOptionsFor(plan.settings, host)
  let secure: tls.TLSSocket | null = null
  let certificate: tls.PeerCertificate | undefined
  if (plan.settings.encryption === 'ldaps') {
    secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ ...options, host, port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }))
      }, timeoutMs)
      socket.once('secureConnect', () => {
        clearTimeout(timer)
        resolve(socket)
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(toConnectorError(error, { host, port, phase: 'tls' }))
      })
    })
  } else {
    const client = new Client({
      url: `ldap://${isIP(host) === 6 ? `[${host}]` : host}:${port}`,
      timeout: timeoutMs,
      connectTimeout: timeoutMs,
      // Keep a handle on the upgraded socket to report its certificate.
      createSecureConnection: ((...args: Parameters<typeof tls.connect>) => {
        secure = (tls.connect as (...a: unknown[]) => tls.TLSSocket)(...args)
        return secure
      }) as typeof tls.connect,
    })
    try {
      await client.startTLS(options)
      certificate = (secure as tls.TLSSocket | null)?.getPeerCertificate()
    } catch (error) {
      throw toConnectorError(error, { host, port, phase: 'tls' })
    } finally {
      await client.unbind().catch(() => undefined)
    }
  }
  if (plan.settings.encryption === 'ldaps') {
    const socket = secure
    certificate = socket?.getPeerCertificate()
    socket?.destroy()
  }
  return {
    subject: certificate?.subject?.CN ? String(certificate.subject.CN) : 'an unnamed subject',
    issuer: certificate?.issuer?.CN ? String(certificate.issuer.CN) : 'an unnamed issuer',
    validTo: certificate?.valid_to ?? 'an unknown date',
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
