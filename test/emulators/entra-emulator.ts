import { constants, createHash, createPublicKey, createSign, createVerify, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { decodeToken, encodeToken, parseJwt, startEmulatorServer, type EmulatorReply, type EmulatorRequest, type RunningServer } from './emulator-server.ts'
import type { OrgModel } from './org-model.ts'

/**
 * Microsoft identity platform (v2.0 client-credentials) and Microsoft Graph v1.0, as seen on the
 * wire: OIDC metadata, the token endpoint with client_secret and client_assertion (PS256/RS256,
 * verified against the registered certificate), app-only tokens with `roles` and `exp`, users,
 * groups, members / transitiveMembers, `$select`, `$top` + `@odata.nextLink`, users/groups delta
 * with `$deltatoken`, `@removed`, `members@delta`, and injectable faults (429/503 + Retry-After,
 * 410 for expired delta tokens, 401 for expired tokens, a connection cut mid-page).
 */

export interface EntraApp {
  readonly clientId: string
  readonly clientSecret?: string
  /** PEM certificate registered on the app (certificate credentials). */
  readonly certificatePem?: string
  /** Application permissions granted with admin consent, e.g. ['User.Read.All', 'Group.Read.All']. */
  readonly roles: readonly string[]
}

export interface EntraEmulatorOptions {
  readonly tls: { certPem: string; keyPem: string }
  readonly tenantId: string
  readonly tenantDomain: string
  readonly model: OrgModel
  readonly apps: readonly EntraApp[]
  /** `expires_in` of issued tokens in seconds (Default: 3599, as Entra issues them). */
  readonly tokenLifetimeSeconds?: number
}

interface GraphUser {
  id: string
  userPrincipalName: string
  mail: string | null
  proxyAddresses: string[]
  displayName: string
  accountEnabled: boolean
  userType: 'Member' | 'Guest'
  jobTitle: string
  department: string
}

interface GraphGroup {
  id: string
  displayName: string
  mail: string | null
  groupTypes: string[]
  mailEnabled: boolean
  securityEnabled: boolean
  /** Direct members: user and group ids. */
  members: Set<string>
}

type Change =
  | { readonly seq: number; readonly kind: 'user'; readonly id: string; readonly props: readonly string[] | 'all' | 'removed' }
  | { readonly seq: number; readonly kind: 'group'; readonly id: string; readonly props: readonly string[] | 'all' | 'removed'; readonly added?: readonly string[]; readonly removedMembers?: readonly string[] }

interface PageToken {
  /** Delta-token epoch; tokens of an older epoch are expired (410). */
  readonly e: number
  /** For delta: changes after this sequence (-1 = initial round). */
  readonly s: number
  /** Sequence at the start of the round; becomes the next delta token. */
  readonly r: number
  readonly o: number
}

interface Fault {
  status: 429 | 503
  retryAfterSeconds: number
  remaining: number
}

export interface EntraEmulatorStats {
  tokenRequests: number
  graphRequests: number
  throttled: number
  unauthorized: number
  /** Paths (without query) of Graph requests, in order. */
  readonly paths: string[]
}

const USER_PERMISSIONS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']
const GROUP_PERMISSIONS = ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']
const MEMBER_PERMISSIONS = [...GROUP_PERMISSIONS, 'GroupMember.Read.All']
const USER_PROPS = ['id', 'userPrincipalName', 'mail', 'proxyAddresses', 'displayName', 'accountEnabled', 'userType', 'jobTitle', 'department']
const GROUP_PROPS = ['id', 'displayName', 'mail', 'groupTypes', 'mailEnabled', 'securityEnabled']

/** A GUID derived from a label, so ids are stable across runs. */
export function stableGuid(label: string): string {
  const h = createHash('sha256').update(label).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export class EntraEmulator {
  readonly stats: EntraEmulatorStats = { tokenRequests: 0, graphRequests: 0, throttled: 0, unauthorized: 0, paths: [] }
  readonly users = new Map<string, GraphUser>()
  readonly groups = new Map<string, GraphGroup>()
  private readonly options: EntraEmulatorOptions
  private readonly signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  private readonly changes: Change[] = []
  private seq = 0
  private deltaEpoch = 1
  private tokenSerial = 0
  /** Tokens with a serial at or below this are treated as expired. */
  private expiredUpToSerial = 0
  private expireAfterGraphRequests: number | null = null
  private faults: Fault[] = []
  private dropNext = 0
  private server: RunningServer | null = null

  constructor(options: EntraEmulatorOptions) {
    this.options = options
    const { model } = options
    for (const u of model.users) {
      const id = stableGuid(`user:${u.n}`)
      this.users.set(id, {
        id,
        userPrincipalName: u.guest ? `${u.uid}_partner.example#EXT#@${options.tenantDomain}` : `${u.uid}@${model.domain}`,
        mail: u.primaryAddress,
        proxyAddresses: [`SMTP:${u.primaryAddress}`, ...u.aliases.map((a) => `smtp:${a}`), `SIP:${u.primaryAddress}`],
        displayName: u.displayName,
        accountEnabled: u.enabled,
        userType: u.guest ? 'Guest' : 'Member',
        jobTitle: u.title,
        department: u.department,
      })
    }
    for (const g of model.groups) {
      const id = stableGuid(`group:${g.n}`)
      const members = new Set<string>([...g.memberUsers.map((n) => stableGuid(`user:${n}`)), ...g.memberGroups.map((n) => stableGuid(`group:${n}`))])
      const unified = g.n % 4 === 0
      this.groups.set(id, {
        id,
        displayName: g.name,
        mail: g.n % 5 === 0 ? null : g.address,
        groupTypes: unified ? ['Unified'] : [],
        mailEnabled: unified || g.n % 5 !== 0,
        securityEnabled: !unified,
        members,
      })
    }
  }

  async start(): Promise<this> {
    this.server = await startEmulatorServer(this.options.tls, (r) => this.handle(r))
    return this
  }

  async close(): Promise<void> {
    await this.server?.close()
  }

  /** https://127.0.0.1:PORT, both the authority host and the Graph endpoint. */
  get url(): string {
    if (!this.server) throw new Error('emulator not started')
    return this.server.url
  }

  userId(n: number): string {
    return stableGuid(`user:${n}`)
  }

  groupId(n: number): string {
    return stableGuid(`group:${n}`)
  }

  // ---- faults -------------------------------------------------------------------------------

  /** The next `count` Graph requests answer `status` with `Retry-After: retryAfterSeconds`. */
  throttle(count: number, status: 429 | 503 = 429, retryAfterSeconds = 0): void {
    this.faults.push({ status, retryAfterSeconds, remaining: count })
  }

  /** Ends every pending throttle and connection drop. */
  clearFaults(): void {
    this.faults = []
    this.dropNext = 0
  }

  /** Every token issued so far is now expired (Graph answers 401 InvalidAuthenticationToken). */
  expireTokensNow(): void {
    this.expiredUpToSerial = this.tokenSerial
  }

  /** After `n` more Graph requests, every token issued so far expires. */
  expireTokensAfter(n: number): void {
    this.expireAfterGraphRequests = this.stats.graphRequests + n
  }

  /** Every delta/skip token handed out so far is invalid (410 Gone, resyncRequired). */
  expireDeltaTokens(): void {
    this.deltaEpoch++
  }

  /** The next `count` Graph responses are cut off half way through the body. */
  dropConnectionMidPage(count = 1): void {
    this.dropNext = count
  }

  // ---- changes (each is recorded for delta queries) -----------------------------------------

  updateUser(id: string, patch: Partial<Omit<GraphUser, 'id'>>): void {
    const user = this.users.get(id)
    if (!user) throw new Error(`no user ${id}`)
    Object.assign(user, patch)
    this.changes.push({ seq: ++this.seq, kind: 'user', id, props: Object.keys(patch) })
  }

  addUser(user: Omit<GraphUser, 'id'> & { id?: string }): string {
    const id = user.id ?? stableGuid(`added-user:${this.seq}:${user.userPrincipalName}`)
    this.users.set(id, { ...user, id })
    this.changes.push({ seq: ++this.seq, kind: 'user', id, props: 'all' })
    return id
  }

  /** Deletes a user (soft delete, as Entra does) and removes it from every group. */
  deleteUser(id: string): void {
    if (!this.users.delete(id)) throw new Error(`no user ${id}`)
    this.changes.push({ seq: ++this.seq, kind: 'user', id, props: 'removed' })
    for (const group of this.groups.values()) if (group.members.has(id)) this.removeMember(group.id, id)
  }

  addMember(groupId: string, memberId: string): void {
    this.group(groupId).members.add(memberId)
    this.changes.push({ seq: ++this.seq, kind: 'group', id: groupId, props: [], added: [memberId] })
  }

  removeMember(groupId: string, memberId: string): void {
    this.group(groupId).members.delete(memberId)
    this.changes.push({ seq: ++this.seq, kind: 'group', id: groupId, props: [], removedMembers: [memberId] })
  }

  deleteGroup(groupId: string): void {
    this.groups.delete(groupId)
    this.changes.push({ seq: ++this.seq, kind: 'group', id: groupId, props: 'removed' })
    for (const group of this.groups.values()) if (group.members.has(groupId)) this.removeMember(group.id, groupId)
  }

  /** Users reachable from a group through nested groups. */
  transitiveUsers(groupId: string): string[] {
    const out = new Set<string>()
    for (const id of this.transitive(groupId)) if (this.users.has(id)) out.add(id)
    return [...out]
  }

  private transitive(groupId: string): string[] {
    const seen = new Set<string>([groupId])
    const out: string[] = []
    const queue = [groupId]
    while (queue.length > 0) {
      const g = this.groups.get(queue.shift() as string)
      if (!g) continue
      for (const m of g.members) {
        if (seen.has(m)) continue
        seen.add(m)
        out.push(m)
        if (this.groups.has(m)) queue.push(m)
      }
    }
    return out
  }

  private group(id: string): GraphGroup {
    const group = this.groups.get(id)
    if (!group) throw new Error(`no group ${id}`)
    return group
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private handle(req: EmulatorRequest): EmulatorReply {
    const path = req.url.pathname
    if (path.startsWith('/v1.0/')) return this.graph(req)
    const wellKnown = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path)
    if (wellKnown && req.method === 'GET') return this.metadata(decodeURIComponent(wellKnown[1] as string))
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)
    if (token && req.method === 'POST') return this.token(decodeURIComponent(token[1] as string), req)
    return { status: 404, json: { error: 'not_found' } }
  }

  private knownTenant(tenant: string): boolean {
    const t = tenant.toLowerCase()
    return t === this.options.tenantId.toLowerCase() || t === this.options.tenantDomain.toLowerCase()
  }

  private aadError(status: number, error: string, code: number, text: string): EmulatorReply {
    return {
      status,
      json: { error, error_description: `AADSTS${code}: ${text} Trace ID: ${stableGuid(String(Date.now()))} Timestamp: ${new Date().toISOString()}`, error_codes: [code], timestamp: new Date().toISOString() },
    }
  }

  private metadata(tenant: string): EmulatorReply {
    if (!this.knownTenant(tenant)) return this.aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`)
    const base = `${this.url}/${this.options.tenantId}`
    return {
      status: 200,
      json: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      },
    }
  }

  private token(tenant: string, req: EmulatorRequest): EmulatorReply {
    this.stats.tokenRequests++
    if (!this.knownTenant(tenant)) return this.aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`)
    const form = new URLSearchParams(req.body)
    if (form.get('grant_type') !== 'client_credentials') return this.aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.')
    const clientId = form.get('client_id') ?? ''
    const app = this.options.apps.find((a) => a.clientId === clientId)
    if (!app) return this.aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.options.tenantDomain}'.`)
    const scope = form.get('scope') ?? ''
    if (!scope.split(' ').some((s) => s === `${this.url}/.default` || s.endsWith('/.default'))) return this.aadError(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.')
    const secret = form.get('client_secret')
    const assertion = form.get('client_assertion')
    if (secret !== null) {
      if (!app.clientSecret || secret !== app.clientSecret) return this.aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.')
    } else if (assertion !== null) {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return this.aadError(400, 'invalid_request', 50027, 'Invalid client assertion type.')
      // Entra accepts the token endpoint under any of the tenant's names (GUID or domain) as `aud`.
      const audiences = [this.options.tenantId, this.options.tenantDomain].map((t) => `${this.url}/${t}/oauth2/v2.0/token`)
      const problem = this.checkAssertion(app, assertion, audiences)
      if (problem) return this.aadError(401, 'invalid_client', problem.code, problem.text)
    } else {
      return this.aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599
    const now = Math.floor(Date.now() / 1000)
    const accessToken = this.signToken({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${this.options.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      appid: app.clientId,
      idtyp: 'app',
      oid: stableGuid(`sp:${app.clientId}`),
      roles: app.roles,
      tid: this.options.tenantId,
      ser: ++this.tokenSerial,
    })
    return { status: 200, json: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken } }
  }

  private checkAssertion(app: EntraApp, assertion: string, audiences: readonly string[]): { code: number; text: string } | null {
    const jwt = parseJwt(assertion)
    if (!jwt) return { code: 50027, text: 'JWT token is invalid or malformed.' }
    if (!app.certificatePem) return { code: 700027, text: 'Client assertion contains an invalid signature. No certificate is registered on the application.' }
    const cert = new X509Certificate(app.certificatePem)
    const s256 = Buffer.from(cert.fingerprint256.replaceAll(':', ''), 'hex').toString('base64url')
    const s1 = Buffer.from(cert.fingerprint.replaceAll(':', ''), 'hex').toString('base64url')
    if (jwt.header['x5t#S256'] !== s256 && jwt.header['x5t'] !== s1) {
      return { code: 700027, text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]` }
    }
    const alg = jwt.header['alg']
    const key = createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' }))
    const verifier = createVerify('RSA-SHA256').update(jwt.signingInput)
    const valid =
      alg === 'PS256'
        ? verifier.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature)
        : alg === 'RS256' && verifier.verify(key, jwt.signature)
    if (!valid) return { code: 700027, text: 'Client assertion failed signature validation.' }
    const p = jwt.payload
    if (p['iss'] !== app.clientId || p['sub'] !== app.clientId) return { code: 700023, text: 'Client assertion audience claim does not match Realm issuer.' }
    if (!audiences.includes(String(p['aud']))) return { code: 700212, text: `No matching federated identity record found for presented assertion audience '${String(p['aud'])}'.` }
    if (typeof p['exp'] !== 'number' || p['exp'] < Date.now() / 1000) return { code: 700024, text: 'Client assertion is not within its valid time range.' }
    return null
  }

  private signToken(payload: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'emulator' })).toString('base64url')
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(this.signingKey.privateKey).toString('base64url')
    return `${header}.${body}.${signature}`
  }

  private graphError(status: number, code: string, message: string, headers?: Record<string, string>): EmulatorReply {
    return { status, headers, json: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': stableGuid(`${Date.now()}${Math.random()}`) } } } }
  }

  /** Checks the bearer token; returns its roles, or the 401 to send. */
  private authenticate(req: EmulatorRequest): string[] | EmulatorReply {
    const auth = req.headers.authorization ?? ''
    const jwt = auth.startsWith('Bearer ') ? parseJwt(auth.slice(7)) : null
    const valid = jwt !== null && createVerify('RSA-SHA256').update(jwt.signingInput).verify(this.signingKey.publicKey, jwt.signature)
    if (!jwt || !valid) return this.graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.')
    const exp = Number(jwt.payload['exp'])
    const serial = Number(jwt.payload['ser'])
    if (exp < Date.now() / 1000 || serial <= this.expiredUpToSerial) {
      this.stats.unauthorized++
      return this.graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': 'Bearer realm="", error="invalid_token", error_description="The access token has expired"' })
    }
    return Array.isArray(jwt.payload['roles']) ? (jwt.payload['roles'] as string[]) : []
  }

  private graph(req: EmulatorRequest): EmulatorReply {
    this.stats.graphRequests++
    this.stats.paths.push(req.url.pathname)
    if (this.expireAfterGraphRequests !== null && this.stats.graphRequests > this.expireAfterGraphRequests) {
      this.expireAfterGraphRequests = null
      this.expireTokensNow()
    }
    const roles = this.authenticate(req)
    if (!Array.isArray(roles)) return roles
    const fault = this.faults[0]
    if (fault) {
      if (--fault.remaining <= 0) this.faults.shift()
      this.stats.throttled++
      return fault.status === 429
        ? this.graphError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': String(fault.retryAfterSeconds) })
        : this.graphError(503, 'ServiceUnavailable', 'Service is temporarily unavailable.', { 'retry-after': String(fault.retryAfterSeconds) })
    }
    const reply = this.route(req, roles)
    if (this.dropNext > 0 && reply.status === 200) {
      this.dropNext--
      return { ...reply, dropMidBody: true }
    }
    return reply
  }

  private route(req: EmulatorRequest, roles: readonly string[]): EmulatorReply {
    const path = req.url.pathname.replace(/^\/v1\.0/, '')
    const q = req.url.searchParams
    const can = (needed: readonly string[]): boolean => needed.some((r) => roles.includes(r))
    const denied = (): EmulatorReply => this.graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
    const top = q.has('$top') ? Number(q.get('$top')) : null
    if (top !== null && (!Number.isInteger(top) || top < 1 || top > 999)) return this.graphError(400, 'Request_BadRequest', `Invalid page size specified: '${q.get('$top')}'. Must be between 1 and 999 inclusive.`)
    const preferred = /odata\.maxpagesize=(\d+)/.exec(String(req.headers['prefer'] ?? ''))
    const pageSize = Math.min(999, top ?? (preferred ? Number(preferred[1]) : 100))
    const select = (q.get('$select') ?? '').split(',').map((s) => s.trim()).filter(Boolean)

    if (path === '/users' || path === '/users/delta') {
      if (!can(USER_PERMISSIONS)) return denied()
      if (path === '/users') return this.list(req, [...this.users.values()].map((u) => this.project(u, select, USER_PROPS)), pageSize)
      return this.delta(req, 'user', select, pageSize)
    }
    const oneUser = /^\/users\/([^/]+)$/.exec(path)
    if (oneUser) {
      if (!can(USER_PERMISSIONS)) return denied()
      const user = this.users.get(decodeURIComponent(oneUser[1] as string))
      if (!user) return this.graphError(404, 'Request_ResourceNotFound', `Resource '${oneUser[1]}' does not exist or one of its queried reference-property objects are not present.`)
      return { status: 200, json: { '@odata.context': `${this.url}/v1.0/$metadata#users/$entity`, ...this.project(user, select, USER_PROPS) } }
    }
    if (path === '/groups' || path === '/groups/delta') {
      if (!can(GROUP_PERMISSIONS)) return denied()
      if (path === '/groups') return this.list(req, [...this.groups.values()].map((g) => this.project(g, select, GROUP_PROPS)), pageSize)
      return this.delta(req, 'group', select, pageSize)
    }
    const oneGroup = /^\/groups\/([^/]+)$/.exec(path)
    if (oneGroup) {
      if (!can(GROUP_PERMISSIONS)) return denied()
      const group = this.groups.get(decodeURIComponent(oneGroup[1] as string))
      if (!group) return this.graphError(404, 'Request_ResourceNotFound', `Resource '${oneGroup[1]}' does not exist or one of its queried reference-property objects are not present.`)
      return { status: 200, json: { '@odata.context': `${this.url}/v1.0/$metadata#groups/$entity`, ...this.project(group, select, GROUP_PROPS) } }
    }
    const members = /^\/groups\/([^/]+)\/(members|transitiveMembers)$/.exec(path)
    if (members) {
      if (!can(MEMBER_PERMISSIONS)) return denied()
      const groupId = decodeURIComponent(members[1] as string)
      if (!this.groups.has(groupId)) return this.graphError(404, 'Request_ResourceNotFound', `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`)
      const ids = members[2] === 'members' ? [...this.group(groupId).members] : this.transitive(groupId)
      const items = ids.flatMap((id) => {
        const user = this.users.get(id)
        if (user) return [{ '@odata.type': '#microsoft.graph.user', ...this.project(user, select, USER_PROPS) }]
        const group = this.groups.get(id)
        return group ? [{ '@odata.type': '#microsoft.graph.group', ...this.project(group, select, GROUP_PROPS) }] : []
      })
      return this.list(req, items, pageSize)
    }
    return this.graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`)
  }

  private project(obj: GraphUser | GraphGroup, select: readonly string[], defaults: readonly string[]): Record<string, unknown> {
    const fields = select.length > 0 ? ['id', ...select] : defaults
    const out: Record<string, unknown> = {}
    for (const f of fields) if (f in obj && f !== 'members') out[f] = (obj as unknown as Record<string, unknown>)[f]
    return out
  }

  /** Plain collection paging: `$skiptoken` = offset, a stale epoch is still fine for plain lists. */
  private list(req: EmulatorRequest, items: Record<string, unknown>[], pageSize: number): EmulatorReply {
    const skip = req.url.searchParams.get('$skiptoken')
    const offset = skip ? (decodeToken<PageToken>(skip)?.o ?? 0) : 0
    const page = items.slice(offset, offset + pageSize)
    const json: Record<string, unknown> = { '@odata.context': `${this.url}/v1.0/$metadata#${req.url.pathname.split('/')[2] ?? ''}`, value: page }
    if (offset + pageSize < items.length) {
      const next = new URL(req.url.pathname, this.url)
      for (const [k, v] of req.url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v)
      next.searchParams.set('$skiptoken', encodeToken({ e: this.deltaEpoch, s: -1, r: this.seq, o: offset + pageSize }))
      json['@odata.nextLink'] = next.toString()
    }
    return { status: 200, json }
  }

  private delta(req: EmulatorRequest, kind: 'user' | 'group', select: readonly string[], pageSize: number): EmulatorReply {
    const q = req.url.searchParams
    const raw = q.get('$skiptoken') ?? q.get('$deltatoken')
    let state: PageToken
    if (raw) {
      const decoded = decodeToken<PageToken>(raw)
      if (!decoded || decoded.e !== this.deltaEpoch) {
        return this.graphError(410, 'resyncRequired', 'Resync required. Replace any local cached copy of the collection with the response of a fresh delta query (no $deltatoken).', { location: new URL(req.url.pathname, this.url).toString() })
      }
      state = q.has('$deltatoken') ? { e: decoded.e, s: decoded.s, r: this.seq, o: 0 } : decoded
    } else {
      state = { e: this.deltaEpoch, s: -1, r: this.seq, o: 0 }
    }
    const withMembers = kind === 'group' && select.includes('members')
    const items = state.s < 0 ? this.initialRound(kind, select, withMembers) : this.changesSince(kind, state.s, state.r, select, withMembers)
    const page = items.slice(state.o, state.o + pageSize)
    // The links keep $select (Graph encodes it in the token; the connector must follow them verbatim).
    const link = (token: string, name: '$skiptoken' | '$deltatoken'): string => {
      const url = new URL(req.url.pathname, this.url)
      if (select.length > 0) url.searchParams.set('$select', select.join(','))
      url.searchParams.set(name, token)
      return url.toString()
    }
    const json: Record<string, unknown> = { '@odata.context': `${this.url}/v1.0/$metadata#${kind}s(${select.join(',')})`, value: page }
    if (state.o + pageSize < items.length) json['@odata.nextLink'] = link(encodeToken({ ...state, o: state.o + pageSize }), '$skiptoken')
    else json['@odata.deltaLink'] = link(encodeToken({ e: this.deltaEpoch, s: state.r, r: state.r, o: 0 }), '$deltatoken')
    return { status: 200, json }
  }

  private initialRound(kind: 'user' | 'group', select: readonly string[], withMembers: boolean): Record<string, unknown>[] {
    if (kind === 'user') return [...this.users.values()].map((u) => this.project(u, select, USER_PROPS))
    return [...this.groups.values()].map((g) => {
      const out = this.project(g, select, GROUP_PROPS)
      if (withMembers) out['members@delta'] = [...g.members].map((id) => ({ '@odata.type': this.users.has(id) ? '#microsoft.graph.user' : '#microsoft.graph.group', id }))
      return out
    })
  }

  /** Changes after `since` up to `upTo`, folded per object as Graph does: changed properties only, `@removed` for deletions. */
  private changesSince(kind: 'user' | 'group', since: number, upTo: number, select: readonly string[], withMembers: boolean): Record<string, unknown>[] {
    const folded = new Map<string, { props: Set<string> | 'all' | 'removed'; added: Set<string>; removed: Set<string> }>()
    for (const c of this.changes) {
      if (c.seq <= since || c.seq > upTo || c.kind !== kind) continue
      const entry = folded.get(c.id) ?? { props: new Set<string>(), added: new Set<string>(), removed: new Set<string>() }
      if (c.props === 'removed' || c.props === 'all') entry.props = c.props
      else if (entry.props instanceof Set) for (const p of c.props) entry.props.add(p)
      if (c.kind === 'group') {
        for (const m of c.added ?? []) {
          entry.removed.delete(m)
          entry.added.add(m)
        }
        for (const m of c.removedMembers ?? []) {
          entry.added.delete(m)
          entry.removed.add(m)
        }
      }
      folded.set(c.id, entry)
    }
    const out: Record<string, unknown>[] = []
    for (const [id, entry] of folded) {
      const current = kind === 'user' ? this.users.get(id) : this.groups.get(id)
      if (entry.props === 'removed' || !current) {
        out.push({ id, '@removed': { reason: 'changed' } })
        continue
      }
      const full = this.project(current, select, kind === 'user' ? USER_PROPS : GROUP_PROPS)
      const item: Record<string, unknown> = { id }
      // Graph returns "at least the updated properties"; this emulator returns exactly those, so the
      // client must cope with partial objects.
      for (const [k, v] of Object.entries(full)) if (entry.props === 'all' || entry.props.has(k)) item[k] = v
      if (withMembers && (entry.added.size > 0 || entry.removed.size > 0)) {
        item['members@delta'] = [
          ...[...entry.added].map((m) => ({ '@odata.type': this.users.has(m) ? '#microsoft.graph.user' : '#microsoft.graph.group', id: m })),
          ...[...entry.removed].map((m) => ({ '@odata.type': '#microsoft.graph.user', id: m, '@removed': { reason: 'deleted' } })),
        ]
      }
      if (Object.keys(item).length > 1 || kind === 'group') out.push(item)
    }
    return out
  }
}
