import type { Db } from './open-database.ts'

/** Queued users brought into the index per transaction in the background (~25 µs each: ~50 ms of event loop). */
const BACKGROUND_CHUNK = 2000
/** At most this many queued users are indexed inline, before a search answers (≈ 50 ms at worst). */
const INLINE_LIMIT = 2000
/** How long the background catch-up waits when another process holds the write lock (a sync), in ms. */
const BUSY_RETRY_MS = 1000
/** How long it waits after a write that failed otherwise (disk full, I/O error): the searches scan meanwhile. */
const FAILED_RETRY_MS = 60_000

/** busy: another writer holds the store; failed: the write failed (rolled back) for another reason. */
type CatchUp = 'done' | 'busy' | 'failed'

/** The index could not catch up now because another process (a sync) holds the store's write lock. */
export class SearchIndexBusyError extends Error {
  constructor() {
    super('The account store is busy (a sync is running); the search index will catch up afterwards.')
    this.name = 'SearchIndexBusyError'
  }
}

export interface UserSearchIndexOptions {
  /**
   * Whether this process brings a large queue into the index in the background (Default: true).
   * The long-lived processes do: the desktop app and the browser host, at start-up, after a run and
   * when a search finds the index behind. A short CLI command does not: after a first sync of 100k
   * users that catch-up is ~2 s of CPU, and it ran on the CLI's event loop while the next sync
   * waited on the directory (timers fire during the read), so a sync paid for the console's index.
   * Searches stay correct either way: they scan until the index has caught up.
   */
  readonly background?: boolean
}

/** The SQL function that folds a display name's case for its search text. */
const FOLD_FUNCTION = 'dirsync_search_fold'
/** At most this many of a long query's trigrams are asked of the index; the LIKE that follows checks the whole query. */
const MAX_TRIGRAMS = 16

/**
 * The index query for a search of 3+ characters (lower-case, without control characters): every
 * trigram of it, each a quoted term, ANDed. The index (migration 13: detail=none) records which
 * users hold a trigram, not where, so this finds a superset of the users holding the query; the
 * caller keeps those whose text holds it (LIKE). Up to MAX_TRIGRAMS, spread over the query.
 */
export function trigramMatch(query: string): string {
  const points = [...query]
  const all = [...new Set(points.slice(0, -2).map((_, i) => points.slice(i, i + 3).join('')))]
  const picked = all.length <= MAX_TRIGRAMS ? all : Array.from({ length: MAX_TRIGRAMS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_TRIGRAMS - 1))] ?? '')
  return picked.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ')
}

/**
 * The users' substring index (migrations 11 and 13: FTS5 trigram, one document per user) kept in
 * step with the account tables. Triggers queue every user whose name or addresses changed in
 * `user_search_pending`; this module re-indexes queued users in bulk, inline when few wait and in
 * the background (in chunks, between requests) after a large sync. A search uses the index only
 * when nothing waits (`ready()`), so it never answers from a stale index.
 */
export function createUserSearchIndex(db: Db, options: UserSearchIndexOptions = {}) {
  const inBackground = options.background !== false && !db.readonly
  const waiting = db.prepare('SELECT count(*) FROM (SELECT 1 FROM user_search_pending LIMIT ?)').pluck()
  const chunkEnd = db.prepare('SELECT user_id FROM user_search_pending ORDER BY user_id LIMIT 1 OFFSET ?').pluck()
  const chunk = 'SELECT user_id FROM user_search_pending WHERE user_id <= @last'
  // External-content FTS5: a document is removed by giving back exactly the text it was indexed with.
  const unindex = db.prepare(`INSERT INTO user_search (user_search, rowid, text) SELECT 'delete', id, text FROM user_search_text WHERE id IN (${chunk})`)
  const dropTexts = db.prepare(`DELETE FROM user_search_text WHERE id IN (${chunk})`)
  // Texts are kept case-folded (addresses are lower-case already): LIKE, which confirms every
  // index hit and scans short queries, ignores case for ASCII letters only ("Özil" ~ "öz").
  db.function(FOLD_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text))
  const addTexts = db.prepare(
    `INSERT INTO user_search_text (id, text)
     SELECT u.id, ${FOLD_FUNCTION}(u.display_name) || char(31) || ifnull((SELECT group_concat(a.address, char(31)) FROM addresses a WHERE a.user_id = u.id), '')
     FROM user_search_pending p JOIN users u ON u.id = p.user_id WHERE p.user_id <= @last`,
  )
  const index = db.prepare(`INSERT INTO user_search (rowid, text) SELECT id, text FROM user_search_text WHERE id IN (${chunk})`)
  const clear = db.prepare('DELETE FROM user_search_pending WHERE user_id <= @last')
  let background: ReturnType<typeof setTimeout> | null = null
  let lastFailure: string | null = null

  /**
   * Re-index up to `max` queued users in one transaction. Never waits for another writer (a sync
   * in another process holds the lock for seconds). Never throws: the index only speeds searches
   * up, and a failed write (disk full) rolls back and leaves the users queued, so searches scan
   * and stay correct — it must not take the console down from a timer.
   */
  function catchUp(max: number): CatchUp {
    if (db.readonly || db.inTransaction) return 'busy'
    const last = (chunkEnd.get(max - 1) as number | undefined) ?? Number.MAX_SAFE_INTEGER
    const timeout = db.pragma('busy_timeout', { simple: true }) as number
    db.pragma('busy_timeout = 0')
    try {
      db.transaction(() => {
        for (const step of [unindex, dropTexts, addTexts, index, clear]) step.run({ last })
      }).immediate()
      lastFailure = null
      return 'done'
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return 'busy'
      lastFailure = error instanceof Error ? error.message : String(error)
      return 'failed'
    } finally {
      db.pragma(`busy_timeout = ${timeout}`)
    }
  }

  function scheduleBackground(delay: number): void {
    if (background) return
    background = setTimeout(() => {
      background = null
      if (!db.open) return
      const outcome = catchUp(BACKGROUND_CHUNK)
      if (outcome === 'busy') scheduleBackground(BUSY_RETRY_MS)
      else if (outcome === 'failed') scheduleBackground(FAILED_RETRY_MS)
      else if ((waiting.get(1) as number) > 0) scheduleBackground(0)
    }, delay)
    // Never keeps a process alive: what is left waits for the next catch-up.
    background.unref()
  }

  return {
    /** How many users wait to be (re)indexed, counted up to `cap`. */
    pending(cap: number): number {
      return waiting.get(cap) as number
    },
    /**
     * True when the index answers for every user now: nothing waits, or the few that wait were
     * indexed just now. Otherwise the catch-up goes on in the background and the caller searches
     * without the index this time.
     */
    ready(): boolean {
      const count = waiting.get(INLINE_LIMIT + 1) as number
      if (count === 0) return true
      if (count <= INLINE_LIMIT && catchUp(INLINE_LIMIT) === 'done') return true
      if (inBackground) scheduleBackground(0)
      return false
    },
    /** Start indexing queued users in the background (after a run, at start-up); nothing when none wait or this process leaves it to another. */
    indexInBackground(): void {
      if (inBackground && (waiting.get(1) as number) > 0) scheduleBackground(0)
    },
    /** Index every queued user now (`dirsync index`, tests); how many were queued. */
    catchUpAll(): number {
      const queued = db.prepare('SELECT count(*) FROM user_search_pending').pluck().get() as number
      while ((waiting.get(1) as number) > 0) {
        const outcome = catchUp(BACKGROUND_CHUNK * 10)
        if (outcome === 'busy') throw new SearchIndexBusyError()
        if (outcome === 'failed') throw new Error(`The search index could not be updated (${lastFailure ?? 'unknown error'}); searches still work, more slowly, until it can.`)
      }
      return queued
    },
  }
}
export type UserSearchIndex = ReturnType<typeof createUserSearchIndex>
