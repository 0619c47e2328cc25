import type { AccountGroup, AccountUser, AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { Db } from './open-database.ts'
import { createUserSearchIndex, trigramMatch, type UserSearchIndexOptions } from './user-search-index.ts'

export type { AccountGroupDetail, AccountUserDetail, SourceName } from '../../shared/domain/directory-detail.ts'

/** Which users the directory browser lists: a substring of a name or any address, and optional filters. */
export interface UserFilter {
  readonly query: string
  /** Only users backed by (or deleted on behalf of) this integration id, live or deleted. */
  readonly source?: string | null | undefined
  /** Only users with at least one address of this type. */
  readonly addressType?: AddressType | null | undefined
}

/** A page of users; with `capped`, `total` is a lower bound ("10,000+"): counting further costs more than it tells. */
export interface UserPage {
  readonly rows: AccountUser[]
  readonly total: number
  readonly capped: boolean
}

/** Matches counted exactly up to this many, then shown as "10,000+" (issue 16: no full count on a keystroke). */
export const SEARCH_COUNT_CAP = 10_000
/** The trigram index serves queries of at least this many characters; shorter ones scan in address order. */
const TRIGRAM = 3

/** Read-only views of the account directory for the browser and the CLI (paged, searchable). */
export function createDirectoryQueries(db: Db, searchIndexOptions: UserSearchIndexOptions = {}) {
  // Bound, never interpolated; a NaN from a hand-typed CLI flag falls back to the defaults.
  const safeLimit = (n: number): number => (Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : 100)
  const safeOffset = (n: number): number => (Number.isInteger(n) && n >= 0 ? n : 0)
  const like = (query: string): string => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`
  type UserRow = { id: number; address: string; display_name: string; status: UserStatus; deleted_at: string | null; attributes: string; sources: string; total?: number }
  // Source lists are ids into source_sets; a user's addresses reference it by id.
  const userColumns = 'u.id, u.address, u.display_name, u.status, u.deleted_at, u.attributes, (SELECT integration_ids FROM source_sets WHERE id = u.sources) AS sources'
  const groupColumns = 'g.id, g.key, g.name, g.address, g.origin, (SELECT integration_ids FROM source_sets WHERE id = g.sources) AS sources, (SELECT count(*) FROM memberships m WHERE m.group_id = g.id) AS members'
  type GroupRow = { id: number; key: string; name: string; address: string | null; origin: 'directory' | 'manual'; sources: string; members: number }
  const groupAliasStmt = db.prepare('SELECT address FROM group_aliases WHERE group_id = ? ORDER BY address').pluck()
  const toGroup = (r: GroupRow): AccountGroup => ({ key: r.key, name: r.name, address: r.address, aliases: groupAliasStmt.all(r.id) as string[], origin: r.origin, sources: JSON.parse(r.sources) as string[], memberCount: r.members })
  const addressStmt = db.prepare('SELECT address, type, is_primary FROM addresses WHERE user_id = ? ORDER BY is_primary DESC, address')
  const searchIndex = createUserSearchIndex(db, searchIndexOptions)
  const toUser = (r: UserRow): AccountUser => ({
    primaryAddress: r.address,
    displayName: r.display_name,
    status: r.status,
    deletedAt: r.deleted_at,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    sources: JSON.parse(r.sources) as string[],
    addresses: (addressStmt.all(r.id) as Array<{ address: string; type: AddressType; is_primary: number }>).map((a) => ({ address: a.address, type: a.type, primary: a.is_primary === 1 })),
  })

  /** The source sets (small integers) whose list holds the integration: a handful, whatever the directory's size. */
  function sourceSetsWith(integrationId: string): number[] {
    const rows = db.prepare('SELECT id, integration_ids FROM source_sets WHERE instr(integration_ids, ?) > 0').raw().all(JSON.stringify(integrationId)) as Array<[number, string]>
    return rows.filter(([, ids]) => (JSON.parse(ids) as string[]).includes(integrationId)).map(([id]) => id)
  }

  /**
   * How a filter reads in SQL over `users u`, chosen so that no keystroke reads every user:
   * - `from`: all users, or only the few that match the query (`narrow`: the trigram index's
   *   hits for 3+ characters, a scan of the compact search texts for fewer), joined to users;
   * - `where`: the filters, and for a broad query a per-user test, cheap when most users match
   *   (the page is found after a few hundred rows in address order);
   * - `broad`: the query alone is known to match more than SEARCH_COUNT_CAP users.
   * While the index catches up after a large sync it is not used: addresses and names are scanned.
   */
  function userSelection(filter: UserFilter): { from: string; where: string[]; params: Record<string, unknown>; broad: boolean; hits: number | null } {
    // Control characters cannot be typed into the search box; U+001F separates addresses in the index.
    const query = filter.query.replace(/\p{Cc}/gu, '').toLowerCase()
    const where: string[] = []
    const params: Record<string, unknown> = {}
    let from = 'users u'
    let broad = false
    if (filter.source) {
      const sets = sourceSetsWith(filter.source)
      where.push(sets.length > 0 ? `(u.sources IN (${sets.join(',')}) OR u.deleted_by IN (${sets.join(',')}))` : '0')
    }
    if (filter.addressType === 'directory') where.push("EXISTS (SELECT 1 FROM addresses a WHERE a.user_id = u.id AND a.type = 'directory')")
    else if (filter.addressType) {
      // Spelled out so the partial index addresses_not_directory applies.
      where.push("u.id IN (SELECT user_id FROM addresses WHERE type = @addressType AND type != 'directory')")
      params['addressType'] = filter.addressType
    }
    if (!query) return { from, where, params, broad, hits: null }
    params['like'] = like(query)
    if (!searchIndex.ready()) {
      where.push("u.id IN (SELECT user_id FROM addresses WHERE address LIKE @like ESCAPE '\\' UNION SELECT id FROM users WHERE display_name LIKE @like ESCAPE '\\')")
      return { from, where, params, broad, hits: null }
    }
    const cap = SEARCH_COUNT_CAP + 1
    let hits: string
    if ([...query].length >= TRIGRAM) {
      // The users holding every trigram of the query (in index order), kept when their text holds
      // the query itself: the index alone cannot tell where the trigrams are (detail=none).
      params['trigrams'] = trigramMatch(query)
      hits = "SELECT t.id FROM user_search s CROSS JOIN user_search_text t ON t.id = s.rowid WHERE user_search MATCH @trigrams AND t.text LIKE @like ESCAPE '\\'"
    } else hits = "SELECT id FROM user_search_text WHERE text LIKE @like ESCAPE '\\'"
    // Listed once (at most the cap, as JSON): the page and the count then read the list, not the index again.
    const ids = db.prepare(`${hits} LIMIT @cap`).pluck().all({ ...params, cap }) as number[]
    broad = ids.length > SEARCH_COUNT_CAP
    if (broad) where.push("(SELECT text FROM user_search_text WHERE id = u.id) LIKE @like ESCAPE '\\'")
    else {
      from = 'json_each(@ids) hits CROSS JOIN users u ON u.id = hits.value'
      for (const key of ['like', 'trigrams']) delete params[key]
      params['ids'] = JSON.stringify(ids)
    }
    return { from, where, params, broad, hits: broad ? null : ids.length }
  }

  return {
    /**
     * Users matching the filter, in address order, a page at a time. `count`: 'exact' counts every
     * match (the CLI, exports); 'capped' stops at SEARCH_COUNT_CAP (the console's keystrokes): the
     * total is then a lower bound that grows as pages further down are asked for.
     */
    searchUsers(filter: UserFilter, offset: number, limit: number, count: 'exact' | 'capped' = 'capped'): UserPage {
      const page = { limit: safeLimit(limit), offset: safeOffset(offset) }
      const { from, where, params, broad, hits } = userSelection(filter)
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
      // One row past the page says whether more follow (the lower bound of a capped total).
      const rows = db.prepare(`SELECT ${userColumns} FROM ${from} ${clause} ORDER BY u.address LIMIT @limit OFFSET @offset`).all({ ...params, limit: page.limit + 1, offset: page.offset }) as UserRow[]
      const more = rows.length > page.limit
      if (more) rows.pop()
      const seen = page.offset + rows.length + (more ? 1 : 0)
      let total: number
      let capped = false
      if (from === 'users u' && where.length === 0) total = db.prepare('SELECT count(*) FROM users').pluck().get() as number
      else if (hits !== null && where.length === 0) total = hits
      else if (count === 'exact') total = db.prepare(`SELECT count(*) FROM ${from} ${clause}`).pluck().get(params) as number
      else if (broad && where.length === 1) {
        // The index already said the query alone matches more than the cap.
        total = Math.max(SEARCH_COUNT_CAP, seen)
        capped = true
      } else {
        const counted = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${from} ${clause} LIMIT @cap)`).pluck().get({ ...params, cap: SEARCH_COUNT_CAP + 1 }) as number
        capped = counted > SEARCH_COUNT_CAP
        total = capped ? Math.max(SEARCH_COUNT_CAP, seen) : counted
      }
      return { rows: rows.map(toUser), total, capped }
    },
    /**
     * Every user matching the filter after `after` (a primary address; '' = from the start), in
     * address order, `limit` at a time: an export walks the whole list with it, page by page.
     */
    usersAfter(filter: UserFilter, after: string, limit: number): AccountUser[] {
      const { from, where, params } = userSelection(filter)
      const clause = `WHERE ${[...where, 'u.address > @after'].join(' AND ')}`
      const rows = db.prepare(`SELECT ${userColumns} FROM ${from} ${clause} ORDER BY u.address LIMIT @limit`).all({ ...params, after, limit: safeLimit(limit) }) as UserRow[]
      return rows.map(toUser)
    },
    /** Users whose name or any address holds `query`, with the exact total (the CLI's `users --query`). */
    users(query: string, offset: number, limit: number): { rows: AccountUser[]; total: number } {
      const { rows, total } = this.searchUsers({ query }, offset, limit, 'exact')
      return { rows, total }
    },
    /** Index every user the triggers queued, now (`dirsync index`, tests, the benches); how many were queued. */
    catchUpSearchIndex(): number {
      return searchIndex.catchUpAll()
    },
    /** Index the users the triggers queued in the background, between requests (after a run, at start-up). */
    indexInBackground(): void {
      searchIndex.indexInBackground()
    },
    /** How many users wait to be indexed, counted up to `cap`. */
    searchIndexPending(cap: number): number {
      return searchIndex.pending(cap)
    },
    /** Groups whose name, address or any alias holds `query` (mail to an alias reaches the group), optionally only those backed by one integration (live or deleted). */
    groups(query: string, offset: number, limit: number, source?: string | null): { rows: AccountGroup[]; total: number } {
      const where: string[] = []
      const params: Record<string, unknown> = {}
      if (query) {
        where.push("(lower(g.name) LIKE @q ESCAPE '\\' OR g.address LIKE @q ESCAPE '\\' OR EXISTS (SELECT 1 FROM group_aliases a WHERE a.group_id = g.id AND a.address LIKE @q ESCAPE '\\'))")
        params['q'] = like(query)
      }
      if (source) {
        const sets = sourceSetsWith(source)
        where.push(sets.length > 0 ? `g.sources IN (${sets.join(',')})` : '0')
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
      const total = (db.prepare(`SELECT count(*) AS n FROM groups g ${clause}`).get(params) as { n: number }).n
      const rows = db.prepare(`SELECT ${groupColumns} FROM groups g ${clause} ORDER BY lower(g.name), g.key LIMIT @limit OFFSET @offset`).all({ ...params, limit: safeLimit(limit), offset: safeOffset(offset) }) as GroupRow[]
      return { total, rows: rows.map(toGroup) }
    },
    /**
     * Which integrations' current snapshots hold each of the user's addresses (as a primary address
     * or an alias): the integrations behind each address. Reads only the snapshots of the
     * integrations that back or deleted the user; an address none of them holds maps to [].
     */
    addressSources(user: Pick<AccountUser, 'addresses' | 'sources'> & { readonly deletedBy?: readonly string[] }): Map<string, string[]> {
      const result = new Map<string, string[]>(user.addresses.map((a) => [a.address, []]))
      const integrations = [...new Set([...user.sources, ...(user.deletedBy ?? [])])]
      if (integrations.length === 0) return result
      const addresses = [...result.keys()]
      // Snapshots keep addresses as read; the account's are lower-case. instr() narrows the alias
      // lists to the few that may hold one of them before each is parsed.
      const aliasTests = addresses.map((_, i) => `instr(lower(su.aliases), @a${i}) > 0`).join(' OR ')
      const params: Record<string, unknown> = { addresses: JSON.stringify(addresses), integrations: JSON.stringify(integrations) }
      addresses.forEach((address, i) => (params[`a${i}`] = JSON.stringify(address)))
      const rows = db
        .prepare(
          `SELECT s.integration_id AS integration, lower(su.primary_address) AS primary_address, su.aliases
           FROM snapshots s JOIN snapshot_users su ON su.snap = s.key
           WHERE s.state = 'current' AND s.integration_id IN (SELECT value FROM json_each(@integrations))
             AND (lower(su.primary_address) IN (SELECT value FROM json_each(@addresses)) OR ${aliasTests})`,
        )
        .all(params) as Array<{ integration: string; primary_address: string; aliases: string }>
      for (const row of rows) {
        for (const address of [row.primary_address, ...(JSON.parse(row.aliases) as string[]).map((a) => a.toLowerCase())]) {
          const list = result.get(address)
          if (list && !list.includes(row.integration)) list.push(row.integration)
        }
      }
      // In the order the user's own source list gives them, whatever order the snapshots came in.
      for (const list of result.values()) list.sort((a, b) => integrations.indexOf(a) - integrations.indexOf(b))
      return result
    },
    members(groupKey: string, offset: number, limit: number) {
      const total = (db.prepare('SELECT count(*) AS n FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.key = ?').get(groupKey) as { n: number }).n
      const rows = db
        .prepare('SELECT u.address, u.display_name AS displayName, s.integration_ids AS sources FROM groups g JOIN memberships m ON m.group_id = g.id JOIN users u ON u.id = m.user_id JOIN source_sets s ON s.id = m.sources WHERE g.key = ? ORDER BY u.address LIMIT ? OFFSET ?')
        .all(groupKey, limit, offset) as Array<{ address: string; displayName: string; sources: string }>
      return { total, rows: rows.map((r) => ({ address: r.address, displayName: r.displayName, sources: JSON.parse(r.sources) as string[] })) }
    },
    /** The user one of whose addresses (primary or alias) is `address`, with the groups it is in; null when none. */
    user(address: string): { user: AccountUser; groups: AccountGroup[] } | null {
      const owner = db.prepare('SELECT u.address AS a FROM addresses a JOIN users u ON u.id = a.user_id WHERE a.address = ?').get(address.trim().toLowerCase()) as { a: string } | undefined
      const found = owner ? this.usersAt([owner.a])[0] : undefined
      if (!found) return null
      const keys = db.prepare('SELECT g.key FROM users u JOIN memberships m ON m.user_id = u.id JOIN groups g ON g.id = m.group_id WHERE u.address = ?').pluck().all(found.primaryAddress) as string[]
      return { user: found, groups: this.groupsByKey(keys) }
    },
    /** Users by primary address, in the given order (unknown addresses left out). */
    usersAt(addresses: readonly string[]): AccountUser[] {
      const userStmt = db.prepare(`SELECT ${userColumns} FROM users u WHERE u.address = ?`)
      return addresses.flatMap((address) => {
        const r = userStmt.get(address) as UserRow | undefined
        return r ? [toUser(r)] : []
      })
    },
    /** Groups named by key, address, alias or name (case-insensitive): every match, so a caller can say when a name is ambiguous. */
    findGroups(nameOrKey: string): AccountGroup[] {
      const wanted = nameOrKey.trim()
      const keys = db
        .prepare('SELECT key FROM groups WHERE key = @w OR address = lower(@w) OR lower(name) = lower(@w) UNION SELECT g.key FROM group_aliases a JOIN groups g ON g.id = a.group_id WHERE a.address = lower(@w) ORDER BY key')
        .pluck()
        .all({ w: wanted }) as string[]
      return this.groupsByKey(keys)
    },
    /** The group one of whose addresses (its address or an alias) is `address`; null when none. */
    groupAt(address: string): AccountGroup | null {
      const wanted = address.trim().toLowerCase()
      const key = db.prepare('SELECT key FROM groups WHERE address = @a UNION SELECT g.key FROM group_aliases a JOIN groups g ON g.id = a.group_id WHERE a.address = @a ORDER BY key LIMIT 1').pluck().get({ a: wanted }) as string | undefined
      return key === undefined ? null : (this.groupsByKey([key])[0] ?? null)
    },
    groupsByKey(keys: readonly string[]): AccountGroup[] {
      const stmt = db.prepare(`SELECT ${groupColumns} FROM groups g WHERE g.key = ?`)
      const rows = keys.flatMap((key) => {
        const r = stmt.get(key) as GroupRow | undefined
        return r ? [r] : []
      })
      rows.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
      return rows.map(toGroup)
    },
    /** Live users backed by the integration, with every integration that backs each. */
    usersBackedBy(integrationId: string): Array<{ user: string; sources: string[] }> {
      return (db.prepare("SELECT u.address, s.integration_ids FROM source_sets s JOIN users u ON u.sources = s.id WHERE instr(s.integration_ids, ?) > 0 AND u.status != 'deleted' ORDER BY u.address").raw().all(JSON.stringify(integrationId)) as Array<[string, string]>)
        .map(([user, sources]) => ({ user, sources: JSON.parse(sources) as string[] }))
        .filter((row) => row.sources.includes(integrationId))
    },
    /** How many members the group (by key) has now. */
    memberCount(groupKey: string): number {
      return db.prepare('SELECT count(*) FROM groups g JOIN memberships m ON m.group_id = g.id WHERE g.key = ?').pluck().get(groupKey) as number
    },
    /** A group as an admin names it: "Name <address>", or its name (keys of address-less groups are internal). */
    groupLabel(key: string): string {
      const row = db.prepare('SELECT name, address FROM groups WHERE key = ?').get(key) as { name: string; address: string | null } | undefined
      return row ? (row.address ? `${row.name} <${row.address}>` : row.name) : key
    },
    /** Primary addresses of users by state: live, live without any directory address (demoted), soft-deleted. */
    userAddresses(which: 'live' | 'demoted' | 'deleted'): string[] {
      const sql = {
        live: "SELECT address FROM users WHERE status != 'deleted'",
        demoted: "SELECT u.address FROM users u WHERE u.status != 'deleted' AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.user_id = u.id AND a.type = 'directory')",
        deleted: "SELECT address FROM users WHERE status = 'deleted'",
      }[which]
      return db.prepare(sql).pluck().all() as string[]
    },
    counts(): { users: number; groups: number } {
      return {
        users: (db.prepare("SELECT count(*) AS n FROM users WHERE status != 'deleted'").get() as { n: number }).n,
        groups: (db.prepare('SELECT count(*) AS n FROM groups').get() as { n: number }).n,
      }
    },
  }
}
export type DirectoryQueries = ReturnType<typeof createDirectoryQueries>
