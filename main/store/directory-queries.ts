import type { AccountGroup, AccountUser, AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { Db } from './open-database.ts'

/** An integration as a source of a user, group or membership: its id and its name (deleted ones marked). */
export interface SourceName {
  readonly id: string
  readonly name: string
}

/** One user with the integrations backing it by name, and its groups. */
export interface AccountUserDetail extends Omit<AccountUser, 'sources'> {
  readonly sources: readonly SourceName[]
  readonly groups: ReadonlyArray<{ readonly key: string; readonly name: string; readonly address: string | null; readonly sources: readonly SourceName[] }>
}

/** One group with its sources by name and, when asked for, every member. */
export interface AccountGroupDetail extends Omit<AccountGroup, 'sources'> {
  readonly sources: readonly SourceName[]
  readonly members?: ReadonlyArray<{ readonly address: string; readonly displayName: string; readonly sources: readonly SourceName[] }>
}

/** Read-only views of the account directory for the browser and the CLI (paged, searchable). */
export function createDirectoryQueries(db: Db) {
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
  const toUser = (r: UserRow): AccountUser => ({
    primaryAddress: r.address,
    displayName: r.display_name,
    status: r.status,
    deletedAt: r.deleted_at,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    sources: JSON.parse(r.sources) as string[],
    addresses: (addressStmt.all(r.id) as Array<{ address: string; type: AddressType; is_primary: number }>).map((a) => ({ address: a.address, type: a.type, primary: a.is_primary === 1 })),
  })
  return {
    users(query: string, offset: number, limit: number): { rows: AccountUser[]; total: number } {
      type Row = UserRow
      const page = { limit: safeLimit(limit), offset: safeOffset(offset) }
      let rows: Row[]
      let total: number
      if (!query) {
        total = (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
        rows = db.prepare(`SELECT ${userColumns} FROM users u ORDER BY u.address LIMIT @limit OFFSET @offset`).all(page) as Row[]
      } else {
        // One pass over addresses (every address, primary included, is a row there) and one over
        // display names; the window count saves a second scan for the total. LIKE is already
        // case-insensitive for ASCII, and the query is lower-cased like the stored addresses.
        rows = db
          .prepare(
            `WITH hits AS (
               SELECT user_id AS id FROM addresses WHERE address LIKE @q ESCAPE '\\'
               UNION SELECT id FROM users WHERE display_name LIKE @q ESCAPE '\\')
             SELECT ${userColumns}, count(*) OVER () AS total FROM users u JOIN hits ON hits.id = u.id
             ORDER BY u.address LIMIT @limit OFFSET @offset`,
          )
          .all({ q: like(query), ...page }) as Row[]
        total = rows[0]?.total ?? (page.offset === 0 ? 0 : this.users(query, 0, 1).total)
      }
      return { total, rows: rows.map(toUser) }
    },
    groups(query: string, offset: number, limit: number): { rows: AccountGroup[]; total: number } {
      // A group matches by name, address or any of its aliases (mail to an alias reaches the group).
      const where = query
        ? "WHERE lower(g.name) LIKE @q ESCAPE '\\' OR g.address LIKE @q ESCAPE '\\' OR EXISTS (SELECT 1 FROM group_aliases a WHERE a.group_id = g.id AND a.address LIKE @q ESCAPE '\\')"
        : ''
      const params = query ? { q: like(query) } : {}
      const total = (db.prepare(`SELECT count(*) AS n FROM groups g ${where}`).get(params) as { n: number }).n
      const rows = db.prepare(`SELECT ${groupColumns} FROM groups g ${where} ORDER BY lower(g.name), g.key LIMIT @limit OFFSET @offset`).all({ ...params, limit: safeLimit(limit), offset: safeOffset(offset) }) as GroupRow[]
      return { total, rows: rows.map(toGroup) }
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
