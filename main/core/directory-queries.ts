import type { AccountGroup, AccountUser, AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { Db } from '../store/open-database.ts'

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
  type UserRow = { address: string; display_name: string; status: UserStatus; deleted_at: string | null; attributes: string; sources: string; total?: number }
  const addressStmt = db.prepare('SELECT address, type, is_primary FROM addresses WHERE user_address = ? ORDER BY is_primary DESC, address')
  const toUser = (r: UserRow): AccountUser => ({
    primaryAddress: r.address,
    displayName: r.display_name,
    status: r.status,
    deletedAt: r.deleted_at,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    sources: JSON.parse(r.sources) as string[],
    addresses: (addressStmt.all(r.address) as Array<{ address: string; type: AddressType; is_primary: number }>).map((a) => ({ address: a.address, type: a.type, primary: a.is_primary === 1 })),
  })
  return {
    users(query: string, offset: number, limit: number): { rows: AccountUser[]; total: number } {
      type Row = UserRow
      const page = { limit: safeLimit(limit), offset: safeOffset(offset) }
      let rows: Row[]
      let total: number
      if (!query) {
        total = (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
        rows = db.prepare('SELECT * FROM users ORDER BY address LIMIT @limit OFFSET @offset').all(page) as Row[]
      } else {
        // One pass over addresses (every address, primary included, is a row there) and one over
        // display names; the window count saves a second scan for the total. LIKE is already
        // case-insensitive for ASCII, and the query is lower-cased like the stored addresses.
        rows = db
          .prepare(
            `WITH hits AS (
               SELECT user_address AS a FROM addresses WHERE address LIKE @q ESCAPE '\\'
               UNION SELECT address FROM users WHERE display_name LIKE @q ESCAPE '\\')
             SELECT u.*, count(*) OVER () AS total FROM users u JOIN hits ON hits.a = u.address
             ORDER BY u.address LIMIT @limit OFFSET @offset`,
          )
          .all({ q: like(query), ...page }) as Row[]
        total = rows[0]?.total ?? (page.offset === 0 ? 0 : this.users(query, 0, 1).total)
      }
      return { total, rows: rows.map(toUser) }
    },
    groups(query: string, offset: number, limit: number): { rows: AccountGroup[]; total: number } {
      const where = query ? "WHERE lower(g.name) LIKE @q ESCAPE '\\' OR g.address LIKE @q ESCAPE '\\'" : ''
      const params = query ? { q: like(query) } : {}
      const total = (db.prepare(`SELECT count(*) AS n FROM groups g ${where}`).get(params) as { n: number }).n
      type Row = { key: string; name: string; address: string | null; origin: 'directory' | 'manual'; sources: string; members: number }
      const rows = db.prepare(`SELECT g.*, (SELECT count(*) FROM memberships m WHERE m.group_key = g.key) AS members FROM groups g ${where} ORDER BY lower(g.name), g.key LIMIT @limit OFFSET @offset`).all({ ...params, limit: safeLimit(limit), offset: safeOffset(offset) }) as Row[]
      return { total, rows: rows.map((r) => ({ key: r.key, name: r.name, address: r.address, origin: r.origin, sources: JSON.parse(r.sources) as string[], memberCount: r.members })) }
    },
    members(groupKey: string, offset: number, limit: number) {
      const total = (db.prepare('SELECT count(*) AS n FROM memberships WHERE group_key = ?').get(groupKey) as { n: number }).n
      const rows = db.prepare('SELECT m.user_address AS address, u.display_name AS displayName, m.sources FROM memberships m JOIN users u ON u.address = m.user_address WHERE m.group_key = ? ORDER BY m.user_address LIMIT ? OFFSET ?').all(groupKey, limit, offset) as Array<{ address: string; displayName: string; sources: string }>
      return { total, rows: rows.map((r) => ({ address: r.address, displayName: r.displayName, sources: JSON.parse(r.sources) as string[] })) }
    },
    /** The user one of whose addresses (primary or alias) is `address`, with the groups it is in; null when none. */
    user(address: string): { user: AccountUser; groups: AccountGroup[] } | null {
      const owner = db.prepare('SELECT user_address AS a FROM addresses WHERE address = ?').get(address.trim().toLowerCase()) as { a: string } | undefined
      const found = owner ? this.usersAt([owner.a])[0] : undefined
      if (!found) return null
      const keys = (db.prepare('SELECT group_key FROM memberships WHERE user_address = ?').pluck().all(found.primaryAddress) as string[])
      return { user: found, groups: this.groupsByKey(keys) }
    },
    /** Users by primary address, in the given order (unknown addresses left out). */
    usersAt(addresses: readonly string[]): AccountUser[] {
      const userStmt = db.prepare('SELECT * FROM users WHERE address = ?')
      return addresses.flatMap((address) => {
        const r = userStmt.get(address) as UserRow | undefined
        return r ? [toUser(r)] : []
      })
    },
    /** Groups named by key, address or name (case-insensitive): every match, so a caller can say when a name is ambiguous. */
    findGroups(nameOrKey: string): AccountGroup[] {
      const wanted = nameOrKey.trim()
      const keys = db.prepare('SELECT key FROM groups WHERE key = @w OR address = lower(@w) OR lower(name) = lower(@w) ORDER BY key').pluck().all({ w: wanted }) as string[]
      return this.groupsByKey(keys)
    },
    groupsByKey(keys: readonly string[]): AccountGroup[] {
      type Row = { key: string; name: string; address: string | null; origin: 'directory' | 'manual'; sources: string; members: number }
      const stmt = db.prepare('SELECT g.*, (SELECT count(*) FROM memberships m WHERE m.group_key = g.key) AS members FROM groups g WHERE g.key = ?')
      const rows = keys.flatMap((key) => {
        const r = stmt.get(key) as Row | undefined
        return r ? [r] : []
      })
      rows.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
      return rows.map((r) => ({ key: r.key, name: r.name, address: r.address, origin: r.origin, sources: JSON.parse(r.sources) as string[], memberCount: r.members }))
    },
    counts(): { users: number; groups: number } {
      return {
        users: (db.prepare("SELECT count(*) AS n FROM users WHERE status != 'deleted'").get() as { n: number }).n,
        groups: (db.prepare('SELECT count(*) AS n FROM groups').get() as { n: number }).n,
      }
    },
  }
}
