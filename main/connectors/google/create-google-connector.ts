import { admin, type admin_directory_v1 } from '@googleapis/admin'
import type { ConnectionStep } from '../../../shared/domain/connection-test.ts'
import type { DirectoryGroup, DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { GoogleConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector, ReadBatch, ReadOptions, ReadSummary } from '../directory-connector.ts'
import { networkError, sleep } from '../https-transport.ts'
import { createJwtClient, DIRECTORY_SCOPES, oauthErrorOf, tokenError, type GoogleJwt } from './google-auth.ts'
import { parseServiceAccountKey, type ServiceAccountCredential } from './google-credential.ts'
import { addMemberRow, flattenGoogleMembers, type GoogleMembers } from './google-members.ts'
import { googleAliases, mapGoogleUser } from './google-mapping.ts'

/**
 * Google Workspace through the Admin SDK Directory API, with Google's per-API client
 * `@googleapis/admin` (the whole `googleapis` package is ~240 MB and loads in ~1 s; this one is
 * 2.3 MB and ~0.15 s, same generated code). The Directory API has no change feed, so every read is
 * full; the sync engine diffs it against the last snapshot.
 */

export interface GoogleTuning {
  /** Retries of one request after 403 rateLimitExceeded / 429 / 5xx (Default: 6). */
  readonly maxRetries: number
  /** First backoff in ms, doubled per retry plus up to 100% jitter (Default: 1000, Google's advice). */
  readonly backoffBaseMs: number
  /** Longest single wait in ms (Default: 64000). */
  readonly maxBackoffMs: number
  /** Groups per emitted batch (Default: 50). */
  readonly groupBatchSize: number
}

const DEFAULT_TUNING: GoogleTuning = { maxRetries: 6, backoffBaseMs: 1000, maxBackoffMs: 64_000, groupBatchSize: 50 }
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'backendError'])
/**
 * A list page's shape, checked before use: gaxios hands over a body that is not JSON (cut short,
 * an HTML error page with 200) as a string, and a list that is not a list of objects or a token
 * that is not text would otherwise end the read early — a silently shorter snapshot. Google leaves
 * an empty list out of the JSON, on any page: a later page may hold only `nextPageToken`.
 */
function checkedPage<T extends { nextPageToken?: string | null }>(data: T, list: string, what: string): T {
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!isObject(data)) throw new ConnectorError('malformed-data', `Google sent a response that is not a JSON object while reading ${what}.`)
  const items = (data as Record<string, unknown>)[list]
  const token = (data as Record<string, unknown>)['nextPageToken']
  if (token != null && typeof token !== 'string') throw new ConnectorError('malformed-data', `Google sent a page token that is not text while reading ${what}.`)
  if (items !== undefined && (!Array.isArray(items) || !items.every(isObject))) {
    throw new ConnectorError('malformed-data', `Google sent a page without a valid "${list}" list while reading ${what}.`)
  }
  return data
}

/** A list's page token stopped working (Google ends a list paged for more than 60 minutes with 503 backendError): start the list over. */
class ListTimedOut extends Error {}

/** Times one list may start over before the read gives up (Default: 2). */
const MAX_LIST_RESTARTS = 2

const FULL_ONLY = 'Google’s Directory API has no change feed: every read is a full read, compared with the last snapshot.'

export interface GoogleCounters {
  requests: number
  rateLimitRetries: number
  listRestarts: number
}

interface ApiErrorShape {
  status?: number
  response?: { status?: number; data?: { error?: { code?: number; message?: string; errors?: Array<{ reason?: string }> } }; headers?: Headers }
}

export function createGoogleConnector(settings: GoogleConfig, secret: string | null, tuning: Partial<GoogleTuning> = {}): DirectoryConnector & { readonly lastCounters: () => GoogleCounters | null } {
  const options: GoogleTuning = { ...DEFAULT_TUNING, ...tuning }
  const apiHost = new URL(settings.rootUrl ?? 'https://admin.googleapis.com/').host
  const tokenHost = new URL(settings.tokenUrl ?? 'https://oauth2.googleapis.com/token').host
  let last: GoogleCounters | null = null
  // Always the whole customer (its id, else the admin's own, "my_customer"): asking Google with
  // `domain` would leave out the users of every other domain, who would then be demoted. The
  // `domain` setting narrows what is imported here, and the run says how many it left out.
  const scopeParams = { customer: settings.customerId ?? 'my_customer' }
  const domainFilter = settings.domain ? `@${settings.domain.toLowerCase()}` : null

  function jwtFor(credential: ServiceAccountCredential, scopes: readonly string[]): GoogleJwt {
    return createJwtClient(credential, settings.adminEmail, scopes, { tokenUrl: settings.tokenUrl, caCertificatePem: settings.caCertificatePem })
  }

  function open(): { directory: admin_directory_v1.Admin; jwt: GoogleJwt; counters: GoogleCounters; credential: ServiceAccountCredential } {
    const credential = parseServiceAccountKey(secret)
    const jwt = jwtFor(credential, Object.values(DIRECTORY_SCOPES))
    // retry: false — the bounded backoff below owns retries (gaxios would retry 429 but not 403 rateLimitExceeded).
    const directory = admin({ version: 'directory_v1', auth: jwt, retry: false, ...(settings.rootUrl ? { rootUrl: settings.rootUrl.endsWith('/') ? settings.rootUrl : `${settings.rootUrl}/` } : {}) })
    const counters: GoogleCounters = { requests: 0, rateLimitRetries: 0, listRestarts: 0 }
    last = counters
    return { directory, jwt, counters, credential }
  }

  /** One API call with bounded exponential backoff on quota errors, and errors in plain words. */
  async function call<T>(counters: GoogleCounters, what: string, signal: AbortSignal, run: () => Promise<{ data: T }>, paged = false): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
      try {
        counters.requests++
        return (await run()).data
      } catch (error) {
        if (oauthErrorOf(error)) throw tokenError(error, settings.adminEmail, tokenHost)
        const e = error as ApiErrorShape
        const status = e.response?.status ?? e.status
        if (status === undefined) throw networkError(error, 'The Google Directory API', apiHost, true)
        const body = e.response?.data?.error
        const reason = body?.errors?.[0]?.reason ?? ''
        if (paged && status === 503 && reason === 'backendError') throw new ListTimedOut()
        const rateLimited = status === 429 || (status === 403 && RATE_REASONS.has(reason)) || status === 500 || status === 503
        if (rateLimited) {
          if (attempt >= options.maxRetries) {
            throw new ConnectorError('throttled', `Google kept refusing the requests for quota reasons (HTTP ${status}${reason ? ` ${reason}` : ''}) after ${options.maxRetries} retries while reading ${what}. Try again later.`, { retryable: true })
          }
          counters.rateLimitRetries++
          const backoff = Math.min(options.maxBackoffMs, options.backoffBaseMs * 2 ** attempt)
          await sleep(backoff + Math.floor(Math.random() * backoff), signal)
          continue
        }
        const message = body?.message ?? `HTTP ${status}`
        if (status === 401) throw new ConnectorError('credentials', `Google rejected the access token while reading ${what} (${message}).`)
        if (status === 403 && reason === 'insufficientPermissions') throw new ConnectorError('permission', `The token lacks the scope needed to read ${what}. Add ${Object.values(DIRECTORY_SCOPES).join(' and ')} to the service account's domain-wide delegation.`)
        if (status === 403 && reason === 'forbidden') {
          throw new ConnectorError('permission', `Google refused to read ${what} (${message}): ${settings.adminEmail} is not an administrator who may read users and groups. Enter a super administrator's address as the admin email, or give ${settings.adminEmail} an admin role with the Users and Groups read privileges.`)
        }
        if (status === 403) throw new ConnectorError('permission', `Google refused to read ${what} (${message}). The admin ${settings.adminEmail} may lack the privilege, or the customer id is not theirs.`)
        if (status === 404) throw new ConnectorError('not-found', `Google could not find ${what} (${message}).`)
        if (status === 400) throw new ConnectorError('config', `Google rejected the request for ${what} (${message}). Check the customer id or domain.`)
        throw new ConnectorError('protocol', `Google answered HTTP ${status} while reading ${what} (${message}).`, { retryable: status >= 500 })
      }
    }
  }

  /**
   * Every item of a list, page by page. A list whose page token times out (after 60 minutes) starts
   * over from the first page; callers key what they collect by id, so items seen twice count once.
   */
  async function* listAll<T>(s: ReturnType<typeof open>, what: string, list: string, signal: AbortSignal, fetch: (pageToken: string | undefined) => Promise<{ data: T }>): AsyncGenerator<Record<string, unknown>[]> {
    for (let restarts = 0; ; restarts++) {
      let pageToken: string | undefined
      try {
        do {
          const token = pageToken
          const data = checkedPage(await call(s.counters, what, signal, () => fetch(token), token !== undefined) as T & { nextPageToken?: string | null }, list, what) as Record<string, unknown>
          yield (data[list] as Record<string, unknown>[] | undefined) ?? []
          pageToken = (data['nextPageToken'] as string | null | undefined) ?? undefined
        } while (pageToken)
        return
      } catch (error) {
        if (!(error instanceof ListTimedOut)) throw error
        if (restarts >= MAX_LIST_RESTARTS) throw new ConnectorError('incomplete-read', `Google stopped honouring the page token while reading ${what} (503 backendError) ${restarts + 1} times; the read is incomplete. Try again later.`, { retryable: true })
        s.counters.listRestarts++
      }
    }
  }

  /** A group's direct members as Google lists them: users, nested groups, CUSTOMER rows (everyone), users of other organisations. */
  async function readDirectMembers(s: ReturnType<typeof open>, group: admin_directory_v1.Schema$Group, customerUsers: ReadonlySet<string>, signal: AbortSignal): Promise<GoogleMembers> {
    const members: GoogleMembers = { users: new Set(), groups: new Set(), customer: false, outside: new Map() }
    const what = `the members of group ${group.email ?? group.id}`
    // Direct members only: nesting is walked here (includeDerivedMembership also returns group rows and has been reported to miss members).
    for await (const rows of listAll(s, what, 'members', signal, (pageToken) => s.directory.members.list({ groupKey: group.id ?? '', maxResults: Math.min(200, settings.pageSize), pageToken }))) {
      for (const m of rows) addMemberRow(members, m, (id) => customerUsers.has(id))
    }
    return members
  }

  return {
    lastCounters: () => last,

    async *read(read: ReadOptions): AsyncGenerator<ReadBatch, ReadSummary, void> {
      const { signal } = read
      const s = open()
      const warnings: string[] = []
      let objects = 0
      // Every user id of the customer (a member row with another id is someone outside it), and those imported.
      const customerUsers = new Set<string>()
      const imported = new Set<string>()
      let outsideDomain = 0
      for await (const page of listAll(s, 'users', 'users', signal, (pageToken) => s.directory.users.list({ ...scopeParams, maxResults: settings.pageSize, pageToken, projection: 'basic' }))) {
        const users: DirectoryUser[] = []
        for (const u of page as admin_directory_v1.Schema$User[]) {
          if (typeof u.id === 'string') customerUsers.add(u.id)
          const user = mapGoogleUser(u)
          if (!user || imported.has(user.externalId)) continue
          if (domainFilter && !user.primaryAddress.endsWith(domainFilter)) {
            outsideDomain++
            continue
          }
          imported.add(user.externalId)
          users.push(user)
        }
        objects += page.length
        read.onProgress?.(objects, 'users')
        if (users.length > 0) yield { kind: 'users', users }
      }
      if (domainFilter) warnings.push(`${outsideDomain} user(s) outside ${settings.domain} were not imported: the Domain setting narrows the import to that domain (clear it to import every domain of the customer).`)

      const groups = new Map<string, admin_directory_v1.Schema$Group>()
      for await (const page of listAll(s, 'groups', 'groups', signal, (pageToken) => s.directory.groups.list({ ...scopeParams, maxResults: Math.min(200, settings.pageSize), pageToken }))) {
        for (const g of page as admin_directory_v1.Schema$Group[]) if (typeof g.id === 'string' && (!domainFilter || (g.email ?? '').toLowerCase().endsWith(domainFilter))) groups.set(g.id, g)
      }

      const direct = new Map<string, GoogleMembers>()
      for (const [id, group] of groups) {
        direct.set(id, await readDirectMembers(s, group, customerUsers, signal))
        read.onProgress?.(objects + direct.size, 'groups')
      }
      const outside = new Map<string, string>()
      let batch: DirectoryGroup[] = []
      for (const [id, group] of groups) {
        for (const [memberId, email] of direct.get(id)?.outside ?? []) outside.set(memberId, email)
        const memberIds = flattenGoogleMembers(id, direct, imported)
        const address = group.email?.toLowerCase() ?? null
        batch.push({ externalId: id, name: group.name ?? group.email ?? id, address, aliases: googleAliases(group, address), memberIds })
        objects++
        if (batch.length >= options.groupBatchSize) {
          yield { kind: 'groups', groups: batch }
          batch = []
        }
      }
      if (batch.length > 0) yield { kind: 'groups', groups: batch }
      read.onProgress?.(objects, 'done')
      if (outside.size > 0) {
        const examples = [...outside.values()].slice(0, 5).join(', ')
        warnings.push(`${outside.size} group member(s) are not users of this Google customer and were not imported (e.g. ${examples}).`)
      }
      if (s.counters.listRestarts > 0) warnings.push(`Google stopped honouring a page token (a list paged for more than 60 minutes); the list started over ${s.counters.listRestarts} time(s).`)
      if (s.counters.rateLimitRetries > 0) warnings.push(`Google rate-limited the read; ${s.counters.rateLimitRetries} request(s) were retried with backoff.`)
      return { mode: 'full', modeReason: read.cursor ? `${FULL_ONLY} (A cursor was offered; Google has none to resume from.)` : FULL_ONLY, cursor: null, warnings }
    },

    async testConnection(signal: AbortSignal, onStep: (step: ConnectionStep) => void): Promise<readonly ConnectionStep[]> {
      const steps: ConnectionStep[] = []
      const record = (step: ConnectionStep): void => {
        steps.push(step)
        onStep(step)
      }
      const labels = { token: `Sign in as the service account, acting for ${settings.adminEmail}`, permissions: 'Check the delegated Directory API scopes', sample: 'Read a few users and groups' }
      let started = Date.now()
      let tokenFailure: ConnectorError | null = null
      const skipRest = (): void => {
        for (const [step, label] of [['permissions', labels.permissions], ['sample-query', labels.sample]] as const) record({ step, label, verdict: 'skipped', message: 'Skipped: an earlier step failed.', durationMs: 0 })
      }
      let s: ReturnType<typeof open>
      try {
        s = open()
      } catch (error) {
        record({ step: 'token', label: labels.token, verdict: 'fail', message: error instanceof ConnectorError ? error.message : 'An unexpected error occurred.', durationMs: Date.now() - started })
        skipRest()
        return steps
      }
      try {
        await s.jwt.authorize()
        record({ step: 'token', label: labels.token, verdict: 'pass', message: `Signed in as ${s.credential.clientEmail}.`, durationMs: Date.now() - started })
      } catch (error) {
        const mapped = error instanceof ConnectorError ? error : tokenError(error, settings.adminEmail, tokenHost)
        if (mapped.code !== 'permission') {
          record({ step: 'token', label: labels.token, verdict: 'fail', message: mapped.message, durationMs: Date.now() - started })
          skipRest()
          return steps
        }
        tokenFailure = mapped
        record({ step: 'token', label: labels.token, verdict: 'pass', message: 'The service account key is valid; the scopes are checked next.', durationMs: Date.now() - started })
      }

      started = Date.now()
      if (tokenFailure) {
        // Google refuses the whole token when any scope is missing: ask for each alone to name the missing ones.
        const credential = parseServiceAccountKey(secret)
        const missing: string[] = []
        for (const scope of Object.values(DIRECTORY_SCOPES)) {
          try {
            await jwtFor(credential, [scope]).authorize()
          } catch {
            missing.push(scope)
          }
        }
        record({
          step: 'permissions',
          label: labels.permissions,
          verdict: 'fail',
          message: `Domain-wide delegation does not grant ${missing.join(' and ') || 'the requested scopes'}. In the Admin console (Security → API controls → Domain-wide delegation) add them for the service account's client id.`,
          durationMs: Date.now() - started,
        })
        record({ step: 'sample-query', label: labels.sample, verdict: 'skipped', message: 'Skipped: an earlier step failed.', durationMs: 0 })
        return steps
      }
      record({ step: 'permissions', label: labels.permissions, verdict: 'pass', message: `Delegated: ${Object.values(DIRECTORY_SCOPES).join(', ')}.`, durationMs: Date.now() - started })

      started = Date.now()
      try {
        const users = await call(s.counters, 'users', signal, () => s.directory.users.list({ ...scopeParams, maxResults: 5 }))
        const groups = await call(s.counters, 'groups', signal, () => s.directory.groups.list({ ...scopeParams, maxResults: 5 }))
        const n = users.users?.length ?? 0
        record({
          step: 'sample-query',
          label: labels.sample,
          verdict: n > 0 ? 'pass' : 'warn',
          message: n > 0 ? `Read ${n} user(s) and ${groups.groups?.length ?? 0} group(s), e.g. ${users.users?.[0]?.primaryEmail ?? ''}.` : 'The directory returned no users.',
          durationMs: Date.now() - started,
        })
      } catch (error) {
        record({ step: 'sample-query', label: labels.sample, verdict: 'fail', message: error instanceof ConnectorError ? error.message : 'An unexpected error occurred.', durationMs: Date.now() - started })
      }
      return steps
    },
  }
}
