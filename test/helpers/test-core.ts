import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import { createCore, type Core } from '../../main/core/dirsync-core.ts'
import { createEncryptedFileSecretStore } from '../../main/secrets/encrypted-file-secret-store.ts'
import { createSettingsStore, type KeyValueBackend } from '../../main/settings/settings-store.ts'
import { openDatabase, type Db } from '../../main/store/open-database.ts'
import type { ApplyProbe } from '../../main/sync/apply-probe.ts'

/** A fresh folder under the OS temp dir; `remove()` deletes it. */
export function makeTempDir(prefix: string): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A clock the test moves by hand (the core reads it through `now`). */
export interface TestClock {
  (): Date
  set(iso: string): void
  advanceDays(days: number): void
  advanceMinutes(minutes: number): void
}

export function testClock(startIso = '2025-03-01T08:00:00.000Z'): TestClock {
  let current = Date.parse(startIso)
  const clock = (() => new Date(current)) as TestClock
  clock.set = (iso) => void (current = Date.parse(iso))
  clock.advanceDays = (days) => void (current += days * 86_400_000)
  clock.advanceMinutes = (minutes) => void (current += minutes * 60_000)
  return clock
}

export function memoryBackend(): KeyValueBackend {
  const values = new Map<string, unknown>()
  return { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) }
}

export interface TestCore {
  readonly core: Core
  readonly db: Db
  readonly clock: TestClock
  readonly dataDir: string
  /** Creates an enabled ldif-file integration on `path` (policy defaults unless given). */
  addLdif(name: string, path: string, policy?: Partial<IntegrationPolicy>): Promise<string>
  close(): void
}

/** The real core on a real SQLite data directory: the same `createCore` the app, host and CLI use. */
export function openTestCore(dataDir: string, clock: TestClock = testClock(), actor = 'test-admin', probe?: ApplyProbe): TestCore {
  const db = openDatabase(dataDir)
  const core = createCore({ db, dataDir, secrets: createEncryptedFileSecretStore(dataDir, 'test-passphrase'), settings: createSettingsStore(memoryBackend()), now: clock, actor, probe })
  return {
    core,
    db,
    clock,
    dataDir,
    async addLdif(name, path, policy = {}) {
      const view = await core.createIntegration({ name, description: '', config: { type: 'ldif-file', settings: { path, format: 'ldif' } }, policy, enabled: true })
      return view.id
    },
    close: () => db.close(),
  }
}

/** The account tables in a readable shape: addresses and keys instead of row ids, source lists as JSON. */
const SET = (column: string): string => `(SELECT integration_ids FROM source_sets WHERE id = ${column})`
const ACCOUNT_TABLES = {
  users: `SELECT address, display_name, status, deleted_at, ${SET('deleted_by')} AS deleted_by, attributes, ${SET('sources')} AS sources FROM users ORDER BY address`,
  addresses: 'SELECT a.address, u.address AS user_address, a.type, a.is_primary FROM addresses a JOIN users u ON u.id = a.user_id ORDER BY a.address',
  groups: `SELECT key, name, address, origin, ${SET('sources')} AS sources FROM groups ORDER BY key`,
  memberships: `SELECT g.key AS group_key, u.address AS user_address, ${SET('m.sources')} AS sources FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id ORDER BY g.key, u.address`,
} as const

export type AccountDump = Record<keyof typeof ACCOUNT_TABLES, unknown[]>

/** The account directory (users, addresses, groups, memberships) as sorted rows: two dumps compare with toEqual. */
export function dumpAccount(db: Db): AccountDump {
  return Object.fromEntries(Object.entries(ACCOUNT_TABLES).map(([table, sql]) => [table, db.prepare(sql).all()])) as AccountDump
}

/**
 * Every table of the database, every column, in primary-key/rowid order: "nothing was written"
 * compares two of these. The users' search index (user_search*) is left out: it is derived from
 * users and addresses and brought up to date in the background, between requests.
 */
export function dumpEverything(db: Db): Record<string, unknown[]> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'user\\_search%' ESCAPE '\\' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name)
  return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]))
}

/** Opens a data directory's database with plain better-sqlite3: no migration, none of the app's start-up clean-up (SQLite's own WAL recovery still runs). */
export function openRaw(dataDir: string): Db {
  return new Database(join(dataDir, 'dirsync.db'))
}

/** Address → type, for one user (or all users). */
export function addressTypes(db: Db, user?: string): Record<string, string> {
  const rows = (user ? db.prepare('SELECT a.address, a.type FROM addresses a JOIN users u ON u.id = a.user_id WHERE u.address = ? ORDER BY a.address').all(user) : db.prepare('SELECT address, type FROM addresses ORDER BY address').all()) as Array<{ address: string; type: string }>
  return Object.fromEntries(rows.map((r) => [r.address, r.type]))
}

export function userRow(db: Db, address: string): { status: string; sources: string[]; deleted_at: string | null; display_name: string } | undefined {
  const row = db.prepare(`SELECT status, ${SET('sources')} AS sources, deleted_at, display_name FROM users WHERE address = ?`).get(address) as { status: string; sources: string; deleted_at: string | null; display_name: string } | undefined
  return row ? { ...row, sources: JSON.parse(row.sources) as string[] } : undefined
}

export function members(db: Db, groupKey: string): string[] {
  return (db.prepare('SELECT u.address FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id WHERE g.key = ? ORDER BY u.address').all(groupKey) as Array<{ address: string }>).map((r) => r.address)
}

/** Opens the data directory's store without the core, reads from it, and closes it. */
export function readStore<T>(dataDir: string, read: (db: Db) => T): T {
  const db = openRaw(dataDir)
  try {
    return read(db)
  } finally {
    db.close()
  }
}
