import { createPublicKey, createVerify, randomBytes } from 'node:crypto'
import { EmulatorClock } from './emulator-clock.ts'
import { decodeToken, encodeToken, parseJwt, startEmulatorServer, type EmulatorReply, type EmulatorRequest, type RunningServer } from './emulator-server.ts'
import type { OrgModel } from './org-model.ts'

/**
 * Google's OAuth 2.0 token endpoint (JWT-bearer grant for service accounts with domain-wide
 * delegation) and the Admin SDK Directory API v1 (users, groups, members), on the wire: the
 * assertion's RS256 signature is checked against the service account's public key, `aud`, `iat`/
 * `exp`, `sub` (any user of the customer: a token is issued, and the API refuses non-admins with
 * 403, as Google does) and every requested scope (must be delegated); lists page with `maxResults`
 * + `pageToken`, leave an empty list out of the JSON (a later page may hold only `nextPageToken`),
 * and stop honouring a page token 60 minutes after the list began (503 backendError, on the
 * service's clock); group members are USER, GROUP and CUSTOMER rows, including users outside the
 * customer; users may live in secondary domains; faults: 403 rateLimitExceeded, 429, cut connections.
 */

/** How long a list may be paged through before its page tokens stop working (Google: 60 minutes). */
export const LIST_TIMEOUT_MS = 60 * 60 * 1000

export interface ServiceAccount {
  readonly clientEmail: string
  readonly publicKeyPem: string
  /** Scopes granted under domain-wide delegation (Admin console → Security → API controls). */
  readonly delegatedScopes: readonly string[]
}

export interface GoogleEmulatorOptions {
  readonly tls: { certPem: string; keyPem: string }
  readonly model: OrgModel
  readonly customerId: string
  readonly serviceAccounts: readonly ServiceAccount[]
  /** Users who may be impersonated (super admins); Default: admin@<domain>. */
  readonly admins?: readonly string[]
  /** Further domains of the customer (users can be moved there with `users.get(id).primaryEmail`). */
  readonly secondaryDomains?: readonly string[]
  /** The service's clock (Default: real time). */
  readonly clock?: EmulatorClock
}

/** A member row of a group: a user or group id, everyone in the customer, or a user of another organisation. */
export type GMember = string | { readonly type: 'CUSTOMER' } | { readonly type: 'EXTERNAL'; readonly id: string; readonly email: string }

interface GUser {
  id: string
  primaryEmail: string
  name: { givenName: string; familyName: string; fullName: string }
  suspended: boolean
  isAdmin: boolean
  aliases: string[]
  orgUnitPath: string
}

interface GGroup {
  id: string
  email: string
  name: string
  aliases: string[]
  nonEditableAliases?: string[]
  /** Direct members: user or group ids, CUSTOMER, or external users. */
  members: GMember[]
}

const TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token'
const USER_SCOPES = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.user']
const GROUP_SCOPES = ['https://www.googleapis.com/auth/admin.directory.group.readonly', 'https://www.googleapis.com/auth/admin.directory.group']
const MEMBER_SCOPES = [...GROUP_SCOPES, 'https://www.googleapis.com/auth/admin.directory.group.member.readonly', 'https://www.googleapis.com/auth/admin.directory.group.member']

export class GoogleEmulator {
  readonly stats = { tokenRequests: 0, apiRequests: 0, rateLimited: 0, derivedMemberRequests: 0, paths: [] as string[] }
  readonly users = new Map<string, GUser>()
  readonly groups = new Map<string, GGroup>()
  private readonly options: GoogleEmulatorOptions
  private readonly tokens = new Map<string, { scopes: string[]; exp: number; subject: string }>()
  private readonly admins: Set<string>
  readonly clock: EmulatorClock
  private faults: Array<{ status: 403 | 429; remaining: number }> = []
  private emptyPages = 0
  private listPagesUntilTimeout: number | null = null
  private dropNext = 0
  private server: RunningServer | null = null

  constructor(options: GoogleEmulatorOptions) {
    this.options = options
    this.clock = options.clock ?? new EmulatorClock()
    const { model } = options
    this.admins = new Set((options.admins ?? [`admin@${model.domain}`]).map((a) => a.toLowerCase()))
    for (const u of model.users) {
      const id = this.userId(u.n)
      this.users.set(id, {
        id,
        primaryEmail: u.primaryAddress,
        name: { givenName: u.givenName, familyName: u.surname, fullName: u.displayName },
        suspended: !u.enabled,
        isAdmin: false,
        aliases: u.aliases.slice(0, 2),
        orgUnitPath: `/${u.department}`,
      })
    }
    for (const g of model.groups) {
      const id = this.groupId(g.n)
      this.groups.set(id, { id, email: g.address, name: g.name, aliases: [], members: [...g.memberUsers.map((n) => this.userId(n)), ...g.memberGroups.map((n) => this.groupId(n))] })
    }
  }

  async start(): Promise<this> {
    this.server = await startEmulatorServer(this.options.tls, (r) => this.handle(r))
    return this
  }

  async close(): Promise<void> {
    await this.server?.close()
  }

  get url(): string {
    if (!this.server) throw new Error('emulator not started')
    return this.server.url
  }

  /** Google ids are 21-digit decimal strings. */
  userId(n: number): string {
    return `1${String(n).padStart(20, '0')}`
  }

  groupId(n: number): string {
    return `0${String(n).padStart(14, '0')}`
  }

  /** The next `count` API requests answer 403 rateLimitExceeded or 429. */
  rateLimit(count: number, status: 403 | 429 = 403): void {
    this.faults.push({ status, remaining: count })
  }

  dropConnectionMidPage(count = 1): void {
    this.dropNext = count
  }

  clearFaults(): void {
    this.faults = []
    this.dropNext = 0
  }

  /** The next `count` list responses that would continue (nextPageToken) are empty pages holding only the token. */
  insertEmptyPages(count = 1): void {
    this.emptyPages = count
  }

  /** After `pages` more list pages, an hour passes on the service's clock: every list under way times out (503 backendError). */
  timeOutListsAfter(pages: number): void {
    this.listPagesUntilTimeout = pages
  }

  /** Users of a group through nested groups, CUSTOMER rows expanded to every user (users of other organisations left out). */
  transitiveUsers(groupId: string): string[] {
    const seen = new Set<string>([groupId])
    const out = new Set<string>()
    const queue = [groupId]
    while (queue.length > 0) {
      for (const m of this.groups.get(queue.shift() as string)?.members ?? []) {
        if (typeof m !== 'string') {
          if (m.type === 'CUSTOMER') for (const u of this.users.keys()) out.add(u)
          continue
        }
        if (seen.has(m)) continue
        seen.add(m)
        if (this.users.has(m)) out.add(m)
        else if (this.groups.has(m)) queue.push(m)
      }
    }
    return [...out]
  }

  /** Every domain of the customer. */
  domains(): string[] {
    return [this.options.model.domain, ...(this.options.secondaryDomains ?? [])]
  }

  private handle(req: EmulatorRequest): EmulatorReply {
    if (req.url.pathname === '/token' && req.method === 'POST') return this.token(req)
    if (req.url.pathname.startsWith('/admin/directory/v1/')) return this.api(req)
    return this.apiError(404, 'Not Found', 'notFound', 'NOT_FOUND')
  }

  private oauthError(status: number, error: string, description: string): EmulatorReply {
    return { status, json: { error, error_description: description } }
  }

  private token(req: EmulatorRequest): EmulatorReply {
    this.stats.tokenRequests++
    const form = new URLSearchParams(req.body)
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.oauthError(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (form.get('grant_type') ?? ''))
    const jwt = parseJwt(form.get('assertion') ?? '')
    if (!jwt) return this.oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.')
    const p = jwt.payload
    const account = this.options.serviceAccounts.find((a) => a.clientEmail === p['iss'])
    if (!account) return this.oauthError(400, 'invalid_grant', 'Invalid grant: account not found')
    const valid = jwt.header['alg'] === 'RS256' && createVerify('RSA-SHA256').update(jwt.signingInput).verify(createPublicKey(account.publicKeyPem), jwt.signature)
    if (!valid) return this.oauthError(400, 'invalid_grant', 'Invalid JWT Signature.')
    const now = Date.now() / 1000
    const iat = Number(p['iat'])
    const exp = Number(p['exp'])
    if (p['aud'] !== TOKEN_AUDIENCE || !(exp > now) || exp - iat > 3600 || iat > now + 300) {
      return this.oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.')
    }
    // Google issues the token for any user of the customer; whether that user may use the Admin SDK is the API's call.
    const sub = typeof p['sub'] === 'string' ? p['sub'].toLowerCase() : ''
    if (!this.admins.has(sub) && ![...this.users.values()].some((u) => u.primaryEmail.toLowerCase() === sub)) return this.oauthError(400, 'invalid_grant', 'Invalid email or User ID')
    const scopes = (typeof p['scope'] === 'string' ? p['scope'] : '').split(' ').filter(Boolean)
    if (scopes.length === 0 || scopes.some((s) => !account.delegatedScopes.includes(s))) {
      return this.oauthError(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.')
    }
    const accessToken = `ya29.emu-${randomBytes(24).toString('base64url')}`
    this.tokens.set(accessToken, { scopes, exp: now + 3599, subject: sub })
    return { status: 200, json: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } }
  }

  private apiError(code: number, message: string, reason: string, status: string, domain = 'global'): EmulatorReply {
    return { status: code, json: { error: { code, message, errors: [{ message, domain, reason }], status } } }
  }

  private api(req: EmulatorRequest): EmulatorReply {
    this.stats.apiRequests++
    this.stats.paths.push(req.url.pathname)
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '')
    const token = this.tokens.get(bearer)
    if (!token || token.exp < Date.now() / 1000) {
      return this.apiError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'authError', 'UNAUTHENTICATED')
    }
    const fault = this.faults[0]
    if (fault) {
      if (--fault.remaining <= 0) this.faults.shift()
      this.stats.rateLimited++
      return fault.status === 403
        ? this.apiError(403, 'Rate Limit Exceeded', 'rateLimitExceeded', 'PERMISSION_DENIED', 'usageLimits')
        : this.apiError(429, 'Quota exceeded for quota metric \'Queries\' and limit \'Queries per minute per user\'.', 'rateLimitExceeded', 'RESOURCE_EXHAUSTED', 'usageLimits')
    }
    if (!this.admins.has(token.subject)) return this.apiError(403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED')
    const reply = this.route(req, token.scopes)
    if (this.dropNext > 0 && reply.status === 200) {
      this.dropNext--
      return { ...reply, dropMidBody: true }
    }
    return reply
  }

  private route(req: EmulatorRequest, scopes: readonly string[]): EmulatorReply {
    const path = req.url.pathname.replace('/admin/directory/v1', '')
    const q = req.url.searchParams
    const insufficient = (): EmulatorReply => this.apiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', 'PERMISSION_DENIED')
    const has = (needed: readonly string[]): boolean => needed.some((s) => scopes.includes(s))
    const scopeCheck = (): EmulatorReply | null => {
      const customer = q.get('customer')
      const domain = q.get('domain')
      if (customer !== null && customer !== 'my_customer' && customer !== this.options.customerId) return this.apiError(400, 'Bad Request', 'badRequest', 'INVALID_ARGUMENT')
      if (domain !== null && !this.domains().includes(domain)) return this.apiError(403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED')
      if (customer === null && domain === null) return this.apiError(400, 'Bad Request', 'badRequest', 'INVALID_ARGUMENT')
      return null
    }
    if (path === '/users') {
      if (!has(USER_SCOPES)) return insufficient()
      const bad = scopeCheck()
      if (bad) return bad
      // With `domain`, Google lists only that domain's users: a narrower read than the customer's.
      const domain = q.get('domain')
      const users = [...this.users.values()].filter((u) => domain === null || u.primaryEmail.toLowerCase().endsWith(`@${domain}`))
      const items = users.map((u) => ({ kind: 'admin#directory#user', ...u, ...(u.aliases.length ? {} : { aliases: undefined }), customerId: this.options.customerId }))
      return this.page(req, 'users', 'admin#directory#users', items, 500, 100)
    }
    if (path === '/groups') {
      if (!has(GROUP_SCOPES)) return insufficient()
      const bad = scopeCheck()
      if (bad) return bad
      const items = [...this.groups.values()].map((g) => ({ kind: 'admin#directory#group', id: g.id, email: g.email, name: g.name, directMembersCount: String(g.members.length), adminCreated: true, ...(g.aliases.length ? { aliases: g.aliases } : {}), ...(g.nonEditableAliases?.length ? { nonEditableAliases: g.nonEditableAliases } : {}) }))
      return this.page(req, 'groups', 'admin#directory#groups', items, 200, 200)
    }
    const members = /^\/groups\/([^/]+)\/members$/.exec(path)
    if (members) {
      if (!has(MEMBER_SCOPES)) return insufficient()
      const key = decodeURIComponent(members[1] as string).toLowerCase()
      const group = [...this.groups.values()].find((g) => g.id === key || g.email.toLowerCase() === key)
      if (!group) return this.apiError(404, 'Resource Not Found: groupKey', 'notFound', 'NOT_FOUND')
      // Derived membership adds the users reached through nested groups, and keeps the GROUP rows (as Google does).
      if (q.get('includeDerivedMembership') === 'true') this.stats.derivedMemberRequests++
      const rows: GMember[] = q.get('includeDerivedMembership') === 'true' ? [...new Set([...group.members, ...this.transitiveUsers(group.id)])] : group.members
      const items = rows.flatMap((m) => {
        if (typeof m !== 'string') {
          return m.type === 'CUSTOMER'
            ? [{ kind: 'admin#directory#member', id: this.options.customerId, role: 'MEMBER', type: 'CUSTOMER', status: 'ACTIVE' }]
            : [{ kind: 'admin#directory#member', id: m.id, email: m.email, role: 'MEMBER', type: 'USER', status: 'ACTIVE' }]
        }
        const u = this.users.get(m)
        if (u) return [{ kind: 'admin#directory#member', id: m, email: u.primaryEmail, role: 'MEMBER', type: 'USER', status: 'ACTIVE' }]
        const g = this.groups.get(m)
        return g ? [{ kind: 'admin#directory#member', id: m, email: g.email, role: 'MEMBER', type: 'GROUP', status: 'ACTIVE' }] : []
      })
      return this.page(req, 'members', 'admin#directory#members', items, 200, 200)
    }
    return this.apiError(404, 'Not Found', 'notFound', 'NOT_FOUND')
  }

  private page(req: EmulatorRequest, field: string, kind: string, items: unknown[], max: number, fallback: number): EmulatorReply {
    const q = req.url.searchParams
    const maxResults = q.has('maxResults') ? Number(q.get('maxResults')) : fallback
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max) return this.apiError(400, `Invalid value '${q.get('maxResults')}'. Values must be within the range: [1, ${max}]`, 'invalid', 'INVALID_ARGUMENT')
    const raw = q.get('pageToken')
    const token = raw ? decodeToken<{ o: number; t: number }>(raw) : { o: 0, t: this.clock.now() }
    if (!token || typeof token.o !== 'number') return this.apiError(400, 'Invalid Input: pageToken', 'invalid', 'INVALID_ARGUMENT')
    // A list paged for more than an hour: its page tokens are dead, retrying one does not help.
    if (this.clock.now() - token.t > LIST_TIMEOUT_MS) return this.apiError(503, 'The service is currently unavailable.', 'backendError', 'UNAVAILABLE')
    if (this.listPagesUntilTimeout !== null && --this.listPagesUntilTimeout <= 0) {
      this.listPagesUntilTimeout = null
      this.clock.advance(LIST_TIMEOUT_MS + 60_000)
    }
    const offset = token.o
    const next = offset + maxResults < items.length ? { o: offset + maxResults, t: token.t } : null
    if (next && this.emptyPages > 0) {
      // Google leaves an empty list out of the JSON: this page is only the token to the same place.
      this.emptyPages--
      return { status: 200, json: { kind, etag: `"${randomBytes(8).toString('hex')}"`, nextPageToken: encodeToken({ o: offset, t: token.t }) } }
    }
    const page = items.slice(offset, offset + maxResults)
    const json: Record<string, unknown> = { kind, etag: `"${randomBytes(8).toString('hex')}"`, ...(page.length > 0 ? { [field]: page } : {}) }
    if (next) json['nextPageToken'] = encodeToken(next)
    return { status: 200, json }
  }
}
