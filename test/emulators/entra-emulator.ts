import { decodeToken, encodeToken, startEmulatorServer, type EmulatorReply, type EmulatorRequest, type RunningServer } from './emulator-server.ts'
import { EmulatorClock } from './emulator-clock.ts'
import { EntraDirectory, GROUP_PROPS, USER_PROPS, type DirectoryView, type GraphGroup, type GraphUser } from './entra-directory.ts'

/**
 * A replica that has not caught up (Graph is eventually consistent): reads by id and member lists
 * answer from the state at `lagReplica()` time, while delta queries already report the changes.
 * Objects created since answer 404; with `changed: 'not-found'` so do objects changed since.
 */
interface Replica {
  readonly users: Map<string, GraphUser>
  readonly groups: Map<string, GraphGroup>
  readonly seq: number
  readonly changed: 'stale' | 'not-found'
}
import { EntraLogin, stableGuid, type EntraApp } from './entra-login.ts'
import type { OrgModel } from './org-model.ts'

export { stableGuid, type EntraApp } from './entra-login.ts'

/**
 * Microsoft identity platform (v2.0 client-credentials) and Microsoft Graph v1.0, as seen on the
 * wire: OIDC metadata, the token endpoint with client_secret and client_assertion (PS256/RS256,
 * verified against the registered certificate), app-only tokens with `roles` and `exp`, users,
 * groups, members / transitiveMembers, `$select`, `$top` + `@odata.nextLink`, users/groups delta
 * with `$deltatoken`, `@removed`, `members@delta`, delta links that expire after 7 days on the
 * service's clock (400 syncStateNotFound, as Graph answers for directory objects), and injectable
 * faults (429/503 + Retry-After, a reset of every delta link with a chosen status and code, 401 for
 * expired tokens, a connection cut mid-page).
 */

/** How long Graph keeps the sync state behind a directory delta link (users, groups): 7 days. */
export const DELTA_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

export interface EntraEmulatorOptions {
  readonly tls: { certPem: string; keyPem: string }
  readonly tenantId: string
  readonly tenantDomain: string
  readonly model: OrgModel
  readonly apps: readonly EntraApp[]
  /** `expires_in` of issued tokens in seconds (Default: 3599, as Entra issues them). */
  readonly tokenLifetimeSeconds?: number
  /** The service's clock (Default: real time); advance it to age delta links. */
  readonly clock?: EmulatorClock
}

interface PageToken {
  /** Delta-token epoch; tokens of an older epoch are expired (410). */
  readonly e: number
  /** For delta: changes after this sequence (-1 = initial round). */
  readonly s: number
  /** Sequence at the start of the round; becomes the next delta token. */
  readonly r: number
  readonly o: number
  /** Issue time of a delta link on the service's clock (ms); older than DELTA_LINK_LIFETIME_MS → 400 syncStateNotFound. */
  readonly t?: number
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
  /** Delta links refused (expired or reset): a client that keeps offering a refused link shows here. */
  rejectedDeltaLinks: number
  /** Paths (without query) of Graph requests, in order. */
  readonly paths: string[]
}

const USER_PERMISSIONS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']
// GroupMember.Read.All is the least-privileged application permission for groups, groups/delta and members (Graph's permission tables).
const GROUP_PERMISSIONS = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']
const MEMBER_PERMISSIONS = GROUP_PERMISSIONS
export class EntraEmulator {
  readonly stats: EntraEmulatorStats = { tokenRequests: 0, graphRequests: 0, throttled: 0, unauthorized: 0, rejectedDeltaLinks: 0, paths: [] }
  /** The tenant's users and groups, and the change log delta queries read. */
  readonly directory: EntraDirectory
  private readonly options: EntraEmulatorOptions
  private readonly login: EntraLogin
  /** The service's time; `clock.advance(ms)` ages delta links. */
  readonly clock: EmulatorClock
  private deltaEpoch = 1
  private deltaReset: { status: number; code: string } = { status: 410, code: 'resyncRequired' }
  private expireAfterGraphRequests: number | null = null
  private faults: Fault[] = []
  private dropNext = 0
  private replica: Replica | null = null
  private lag: { readonly ms: number; readonly changed: Replica['changed'] } | null = null
  private server: RunningServer | null = null

  constructor(options: EntraEmulatorOptions) {
    this.options = options
    this.clock = options.clock ?? new EmulatorClock()
    this.login = new EntraLogin(options, () => this.url)
    this.directory = new EntraDirectory(options.model, options.tenantDomain, this.clock)
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

  get users(): Map<string, GraphUser> {
    return this.directory.users
  }

  get groups(): Map<string, GraphGroup> {
    return this.directory.groups
  }

  /** Users reachable from a group through nested groups. */
  transitiveUsers(groupId: string): string[] {
    return this.directory.transitiveUsers(groupId)
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
    this.login.expireTokensNow()
  }

  /** After `n` more Graph requests, every token issued so far expires. */
  expireTokensAfter(n: number): void {
    this.expireAfterGraphRequests = this.stats.graphRequests + n
  }

  /**
   * Every delta/skip token handed out so far is invalid; Graph answers `status` with `code`
   * (Default: 410 resyncRequired; Graph also answers 400 syncStateNotFound or syncStateInvalid).
   */
  expireDeltaTokens(status = 410, code = 'resyncRequired'): void {
    this.deltaEpoch++
    this.deltaReset = { status, code }
  }

  /**
   * From now until `catchUp()`, GETs of one user or group and member lists answer from a replica
   * frozen now: 404 for objects created since, old data (or 404 with `changed: 'not-found'`) for
   * objects changed since. Delta queries keep reporting the changes.
   */
  lagReplica(changed: Replica['changed'] = 'stale'): void {
    this.replica = { ...this.directory.copy(), changed }
  }

  /**
   * From now on, reads by id and member lists answer from a replica `seconds` behind on the
   * service's clock: an object changed less than that long ago answers as it was before (404 if it
   * was created since; with `changed: 'not-found'`, 404 for any such object), and current data once
   * the clock has moved past. Delta queries keep reporting every change at once.
   */
  lagFor(seconds: number, changed: Replica['changed'] = 'stale'): void {
    this.lag = { ms: seconds * 1000, changed }
  }

  /** The replica has caught up: every read answers the current state again (ends lagReplica and lagFor). */
  catchUp(): void {
    this.replica = null
    this.lag = null
  }

  /** The next `count` Graph responses are cut off half way through the body. */
  dropConnectionMidPage(count = 1): void {
    this.dropNext = count
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private handle(req: EmulatorRequest): EmulatorReply {
    const path = req.url.pathname
    if (path.startsWith('/v1.0/')) return this.graph(req)
    const wellKnown = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path)
    if (wellKnown && req.method === 'GET') return this.login.metadata(decodeURIComponent(wellKnown[1] as string))
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)
    if (token && req.method === 'POST') {
      this.stats.tokenRequests++
      return this.login.token(decodeURIComponent(token[1] as string), req)
    }
    return { status: 404, json: { error: 'not_found' } }
  }

  private graphError(status: number, code: string, message: string, headers?: Record<string, string>): EmulatorReply {
    return { status, headers, json: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': stableGuid(`${Date.now()}${Math.random()}`) } } } }
  }

  /** Checks the bearer token; returns its roles, or the 401 to send. */
  private authenticate(req: EmulatorRequest): string[] | EmulatorReply {
    const check = this.login.check(req.headers.authorization ?? '')
    if (check === 'invalid') return this.graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.')
    if (check === 'expired') {
      this.stats.unauthorized++
      return this.graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': 'Bearer realm="", error="invalid_token", error_description="The access token has expired"' })
    }
    return check.roles
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
      if (path === '/users') return this.list(req, [...this.directory.users.values()].map((u) => this.directory.project(u, select, USER_PROPS)), pageSize)
      return this.delta(req, 'user', select, pageSize)
    }
    // What reads by id and member lists see: the current state, or a lagging replica's.
    const { view, hidden } = this.replicaView()
    const oneUser = /^\/users\/([^/]+)$/.exec(path)
    if (oneUser) {
      if (!can(USER_PERMISSIONS)) return denied()
      const id = decodeURIComponent(oneUser[1] as string)
      const user = hidden.has(id) ? undefined : view.users.get(id)
      if (!user) return this.graphError(404, 'Request_ResourceNotFound', `Resource '${oneUser[1]}' does not exist or one of its queried reference-property objects are not present.`)
      return { status: 200, json: { '@odata.context': `${this.url}/v1.0/$metadata#users/$entity`, ...this.directory.project(user, select, USER_PROPS) } }
    }
    if (path === '/groups' || path === '/groups/delta') {
      if (!can(GROUP_PERMISSIONS)) return denied()
      if (path === '/groups') return this.list(req, [...this.directory.groups.values()].map((g) => this.directory.project(g, select, GROUP_PROPS)), pageSize)
      return this.delta(req, 'group', select, pageSize)
    }
    const oneGroup = /^\/groups\/([^/]+)$/.exec(path)
    if (oneGroup) {
      if (!can(GROUP_PERMISSIONS)) return denied()
      const id = decodeURIComponent(oneGroup[1] as string)
      const group = hidden.has(id) ? undefined : view.groups.get(id)
      if (!group) return this.graphError(404, 'Request_ResourceNotFound', `Resource '${oneGroup[1]}' does not exist or one of its queried reference-property objects are not present.`)
      return { status: 200, json: { '@odata.context': `${this.url}/v1.0/$metadata#groups/$entity`, ...this.directory.project(group, select, GROUP_PROPS) } }
    }
    const members = /^\/groups\/([^/]+)\/(members|transitiveMembers)$/.exec(path)
    if (members) {
      if (!can(MEMBER_PERMISSIONS)) return denied()
      const groupId = decodeURIComponent(members[1] as string)
      const group = hidden.has(groupId) ? undefined : view.groups.get(groupId)
      if (!group) return this.graphError(404, 'Request_ResourceNotFound', `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`)
      const ids = members[2] === 'members' ? [...group.members] : this.directory.transitive(groupId, view.groups)
      const items = ids.flatMap((id) => {
        const user = view.users.get(id)
        if (user) return [{ '@odata.type': '#microsoft.graph.user', ...this.directory.project(user, select, USER_PROPS) }]
        const group = view.groups.get(id)
        return group ? [{ '@odata.type': '#microsoft.graph.group', ...this.directory.project(group, select, GROUP_PROPS) }] : []
      })
      return this.list(req, items, pageSize)
    }
    return this.graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`)
  }

  /** The state reads by id and member lists answer from, and the ids they answer 404 for. */
  private replicaView(): { view: DirectoryView; hidden: ReadonlySet<string> } {
    if (this.replica) return { view: this.replica, hidden: this.replica.changed === 'not-found' ? this.directory.changedSince(this.replica.seq) : new Set() }
    if (this.lag) {
      const then = this.clock.now() - this.lag.ms
      return { view: this.directory.asOf(then), hidden: this.lag.changed === 'not-found' ? this.directory.changedAfter(then) : new Set() }
    }
    return { view: this.directory, hidden: new Set() }
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
      next.searchParams.set('$skiptoken', encodeToken({ e: this.deltaEpoch, s: -1, r: this.directory.seq, o: offset + pageSize }))
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
        this.stats.rejectedDeltaLinks++
        const { status, code } = this.deltaReset
        return status === 410
          ? this.graphError(410, code, 'Resync required. Replace any local cached copy of the collection with the response of a fresh delta query (no $deltatoken).', { location: new URL(req.url.pathname, this.url).toString() })
          : this.graphError(status, code, 'The sync state of this delta token is not valid any more. Start over with a delta query without a token.')
      }
      if (q.has('$deltatoken') && this.clock.now() - (decoded.t ?? 0) > DELTA_LINK_LIFETIME_MS) {
        this.stats.rejectedDeltaLinks++
        return this.graphError(400, 'syncStateNotFound', 'The sync state generation is not found. The delta token has expired; start over with a delta query without a token.')
      }
      state = q.has('$deltatoken') ? { e: decoded.e, s: decoded.s, r: this.directory.seq, o: 0 } : decoded
    } else {
      state = { e: this.deltaEpoch, s: -1, r: this.directory.seq, o: 0 }
    }
    const withMembers = kind === 'group' && select.includes('members')
    const items = state.s < 0 ? this.directory.initialRound(kind, select, withMembers) : this.directory.changesSince(kind, state.s, state.r, select, withMembers)
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
    else json['@odata.deltaLink'] = link(encodeToken({ e: this.deltaEpoch, s: state.r, r: state.r, o: 0, t: this.clock.now() }), '$deltatoken')
    return { status: 200, json }
  }
}
