import { JOURNAL_EVENTS, type JournalEntry, type JournalEvent, type JournalIntegration, type JournalPage, type JournalQuery, type JournalReason, type JournalState } from '../../shared/domain/journal.ts'
import { ACTION_KIND_TABLE, ACTION_KINDS, actionKindOfCode, type JournalSubject, type SyncAction } from '../../shared/domain/sync-action.ts'
import type { Db } from './open-database.ts'
import { createBulkInsert } from './bulk-insert.ts'
import { memoByMember } from './member-memo.ts'
import { MemberAddition } from '../model/member-addition.ts'
import { packChange, unpackChange } from './journal-change.ts'

/** One entry to append: the action as planned, what happened to it, and why. */
export interface JournalRecord {
  readonly event: JournalEvent
  readonly at: string
  readonly runId: string | null
  readonly action: SyncAction
  /** The attribution with the names the integrations have now (journalled as they were then). */
  readonly integrations: readonly JournalIntegration[]
  readonly before: JournalState | null
  readonly after: JournalState | null
  readonly reason: JournalReason | null
}

const EVENT_CODE: Readonly<Record<JournalEvent, number>> = { applied: 0, held: 1, approved: 2, released: 3 }

/**
 * A row's `at` when it is its run's time (journal_runs.at): a run's entries share one time, and
 * SQLite stores the integer 0 in no bytes (a time took 6 of a membership row's ~25). Rows written
 * before runs had a time carry their own, as do approvals (no run).
 */
const AT_RUN_TIME = 0
/** A row's time in SQL, wherever it is kept (`j` the journal row, `r` its run). */
const ROW_TIME = `(CASE j.at WHEN ${AT_RUN_TIME} THEN r.at ELSE j.at END)`

function codesOf(subjects: readonly JournalSubject[]): string {
  return ACTION_KINDS.filter((k) => subjects.includes(ACTION_KIND_TABLE[k].subject))
    .map((k) => ACTION_KIND_TABLE[k].code)
    .join(', ')
}
/** Kinds whose `target` is a user (its own history), and those whose target is a group. */
const USER_TARGET_CODES = codesOf(['user', 'address'])
const GROUP_TARGET_CODES = codesOf(['group', 'membership'])

/** Key lookups one by one before the interner reads the whole key table (as the account writer does). */
const LOOKUPS_BEFORE_MAP = 2000

/**
 * Journalled key (address, group key) → its integer. A few go through the unique index; past
 * LOOKUPS_BEFORE_MAP every key is read once into a Map, and a key not in it is new: given the
 * next id (max + 1, what SQLite would pick) and written with others in multi-row statements (a
 * first sync journals 110k new keys among 2.5M references). Call `flush()` before the commit.
 */
function createKeyInterner(db: Db) {
  const find = db.prepare('SELECT id FROM journal_keys WHERE key = ?').pluck()
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM journal_keys').pluck()
  const newKeys = createBulkInsert(db, 'INSERT INTO journal_keys (id, key)', 2)
  const known = new Map<string, number>()
  let complete = false
  let lookups = 0
  let nextId = 0
  // A group's memberships come one after another: its key is looked up once for them.
  let lastKey = ''
  let lastId = 0
  /** A key not in `known`: in the table, or undefined. */
  function stored(key: string): number | undefined {
    if (complete) return undefined
    if (++lookups > LOOKUPS_BEFORE_MAP) {
      newKeys.flush()
      for (const [k, i] of db.prepare('SELECT key, id FROM journal_keys').raw().iterate() as Iterable<[string, number]>) known.set(k, i)
      complete = true
      return known.get(key)
    }
    return find.get(key) as number | undefined
  }
  return {
    id(key: string): number {
      if (key === lastKey) return lastId
      let id = known.get(key)
      if (id === undefined) {
        id = stored(key)
        if (id === undefined) {
          if (nextId === 0) nextId = (maxId.get() as number) + 1
          id = nextId++
          newKeys.add(id, key)
        }
        known.set(key, id)
      }
      lastKey = key
      lastId = id
      return id
    },
    /** Writes the new keys still buffered. */
    flush: (): void => newKeys.flush(),
  }
}

/**
 * Appends to the change journal. Keys, runs, attributions and reasons are interned, so a row is
 * a handful of integers (a membership added on a first sync costs no text at all). Rows are
 * written by multi-row INSERTs (bulk-insert.ts): call inside the transaction that makes the
 * change, and `finish()` before it commits, so the journal says exactly what was committed.
 */
export function createJournalWriter(db: Db) {
  const s = {
    run: db.prepare('SELECT id, at FROM journal_runs WHERE run_id = ?'),
    insertRun: db.prepare('INSERT INTO journal_runs (run_id, at) VALUES (?, ?)'),
    noteId: db.prepare('SELECT id FROM journal_notes WHERE body = ?').pluck(),
    insertNote: db.prepare('INSERT INTO journal_notes (body) VALUES (?)'),
    indexNote: db.prepare('INSERT OR IGNORE INTO journal_note_integrations (integration_id, note) VALUES (?, ?)'),
    runRange: db.prepare('UPDATE journal_runs SET first_seq = coalesce(first_seq, ?), last_seq = ? WHERE id = ?'),
  }
  /** Each run's entries are one seq range (runs never overlap): kept here, written by finish(). */
  const ranges = new Map<number, { first: number; last: number }>()
  /** The run of each buffered row, oldest first: a statement's rows take consecutive seqs. */
  const pendingRuns: Array<number | null> = []
  let pendingFrom = 0
  const noteRange = (lastSeq: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      const run = pendingRuns[pendingFrom++] ?? null
      if (run === null) continue
      const seq = lastSeq - count + 1 + i
      const range = ranges.get(run)
      if (range) range.last = seq
      else ranges.set(run, { first: seq, last: seq })
    }
    if (pendingFrom === pendingRuns.length) {
      pendingRuns.length = 0
      pendingFrom = 0
    }
  }
  const rows = createBulkInsert(db, 'INSERT INTO journal (at, run, event, kind, target, member, attribution, reason, change)', 9, noteRange)
  /**
   * A membership added in a run at the run's time, with nothing to say but its two keys (a first
   * sync journals 1.2M): the constant columns are written into the statement, so four values
   * are bound per row instead of nine (measured: 1.1 s -> 0.6 s of CPU for 1.2M rows). Rows keep
   * their order: each buffer is written before the other takes a row.
   */
  const memberRows = createBulkInsert(db, 'INSERT INTO journal (at, run, event, kind, target, member, attribution)', 4, noteRange, `(${AT_RUN_TIME}, ?, ${EVENT_CODE.applied}, ${ACTION_KIND_TABLE['add-member'].code}, ?, ?, ?)`)
  let buffered: typeof rows | null = null
  const into = (buffer: typeof rows): typeof rows => {
    if (buffered !== buffer) {
      buffered?.flush()
      buffered = buffer
    }
    return buffer
  }
  const keys = createKeyInterner(db)
  const members = memoByMember((address) => keys.id(address))
  const runs = new Map<string, { readonly id: number; readonly at: number | null }>()
  const notes = new Map<string, number>()
  /** Attributions by identity: the applier passes one array per distinct source list. */
  const attributionNotes = new WeakMap<readonly JournalIntegration[], number>()
  // A run's entries share one time: parsed once, not per row.
  let lastAt = ''
  let lastAtMs = 0

  function intern(cache: Map<string, number>, find: { get(v: string): unknown }, insert: { run(v: string): { lastInsertRowid: number | bigint } }, value: string): number {
    let id = cache.get(value)
    if (id === undefined) {
      const found = find.get(value)
      id = typeof found === 'number' ? found : Number(insert.run(value).lastInsertRowid)
      cache.set(value, id)
    }
    return id
  }

  /** The run's id, and its time: that of its first entry (null for a run journalled before runs had one). */
  function runOf(runId: string, at: number): { readonly id: number; readonly at: number | null } {
    let run = runs.get(runId)
    if (run === undefined) {
      run = (s.run.get(runId) as { id: number; at: number | null } | undefined) ?? { id: Number(s.insertRun.run(runId, at).lastInsertRowid), at }
      runs.set(runId, run)
    }
    return run
  }

  function note(body: unknown, integrationIds: readonly string[]): number {
    const json = JSON.stringify(body)
    const known = notes.get(json)
    if (known !== undefined) return known
    const id = intern(notes, s.noteId, s.insertNote, json)
    for (const integrationId of integrationIds) s.indexNote.run(integrationId, id)
    return id
  }

  function attributionNote(integrations: readonly JournalIntegration[]): number {
    let id = attributionNotes.get(integrations)
    if (id === undefined) {
      id = note(integrations, integrations.map((i) => i.id))
      attributionNotes.set(integrations, id)
    }
    return id
  }

  return {
    append(record: JournalRecord): void {
      const { action } = record
      if (record.at !== lastAt) {
        lastAt = record.at
        lastAtMs = Date.parse(record.at)
      }
      const run = record.runId === null ? null : runOf(record.runId, lastAtMs)
      pendingRuns.push(run?.id ?? null)
      const atRunTime = run?.at === lastAtMs
      if (atRunTime && action instanceof MemberAddition && record.event === 'applied' && record.reason === null && record.before === null && record.after === null) {
        // packChange gives null for it: its id and detail are derived.
        into(memberRows).add(run.id, keys.id(action.target), members.of(action), attributionNote(record.integrations))
        return
      }
      into(rows).add(
        atRunTime ? AT_RUN_TIME : lastAtMs,
        run?.id ?? null,
        EVENT_CODE[record.event],
        ACTION_KIND_TABLE[action.kind].code,
        keys.id(action.target),
        action.member === undefined ? null : members.of(action),
        attributionNote(record.integrations),
        record.reason ? note(record.reason, []) : null,
        packChange(action, record.before, record.after),
      )
    },
    /** Writes the buffered rows and each run's seq range (the run's changes are read by range). Call before the commit. */
    finish(): void {
      buffered?.flush()
      keys.flush()
      for (const [run, range] of ranges) s.runRange.run(range.first, range.last, run)
      ranges.clear()
    },
  }
}
export type JournalWriter = ReturnType<typeof createJournalWriter>

interface Row {
  seq: number
  at: number
  run_id: string | null
  event: number
  kind: number
  target: string
  member: string | null
  attribution: string
  reason: string | null
  change: string | null
}

function toEntry(row: Row): JournalEntry {
  const kind = actionKindOfCode(row.kind)
  const change = unpackChange(kind, row.target, row.member ?? undefined, row.change)
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    runId: row.run_id,
    event: JOURNAL_EVENTS[row.event] ?? 'applied',
    kind,
    actionId: change.actionId,
    target: row.target,
    member: row.member,
    detail: change.detail,
    integrations: JSON.parse(row.attribution) as JournalIntegration[],
    before: change.before,
    after: change.after,
    reason: row.reason ? (JSON.parse(row.reason) as JournalReason) : null,
  }
}

/** Filters whose counts are kept between pages (a handful are in use at a time). */
const COUNTS_KEPT = 64

/** Reads the journal through its indexes: by run, object, integration, kind, in time order. */
export function createJournalStore(db: Db) {
  const keyId = db.prepare('SELECT id FROM journal_keys WHERE key = ?').pluck()
  const runKey = db.prepare('SELECT id, first_seq, last_seq FROM journal_runs WHERE run_id = ?')
  // An entry's action id, as toEntry derives it (stored only where it differs), so `actionId` can filter in SQL.
  db.function('journal_action_id', { deterministic: true }, (kind: unknown, target: unknown, member: unknown, change: unknown) =>
    unpackChange(actionKindOfCode(Number(kind)), String(target), typeof member === 'string' ? member : undefined, typeof change === 'string' ? change : null).actionId,
  )

  // Two subqueries: SQLite reads a lone min() or max() from the index end, but scans for both at once.
  const span = db.prepare('SELECT (SELECT min(seq) FROM journal) AS first, (SELECT max(seq) FROM journal) AS last')
  /**
   * Counts by filter, kept while the journal's first and last seq stay the same (nothing appended
   * or pruned): a virtualised list or an export pages through a 1.3M-entry run a page at a time,
   * and without this each page would count the whole run again. Both ends are read from the
   * primary key, so the check costs nothing.
   */
  const counts = new Map<string, number>()
  let countedSpan = ''
  function count(filter: string, args: Readonly<Record<string, number | string>>): number {
    const now = JSON.stringify(span.get())
    if (now !== countedSpan || counts.size > COUNTS_KEPT) {
      counts.clear()
      countedSpan = now
    }
    const key = `${filter}\u0000${JSON.stringify(args)}`
    let total = counts.get(key)
    if (total === undefined) {
      total = db.prepare(`SELECT count(*) FROM journal j ${filter}`).pluck().get(args) as number
      counts.set(key, total)
    }
    return total
  }

  const store = {
    query(q: JournalQuery): JournalPage {
      const where: string[] = []
      const args: Record<string, number | string> = {}
      const bind = (name: string, value: unknown): boolean => {
        if (typeof value !== 'number') return false
        args[name] = value
        return true
      }
      if (q.runId !== undefined) {
        const run = runKey.get(q.runId) as { id: number; first_seq: number | null; last_seq: number | null } | undefined
        if (!run || run.first_seq === null || run.last_seq === null) return { entries: [], total: 0 }
        Object.assign(args, { run: run.id, first: run.first_seq, last: run.last_seq })
      }
      if (q.object !== undefined) {
        const named = store.resolveSubject(q.object)
        const explicit = named?.type === 'user' ? q.user : q.group
        if (!named || (explicit !== undefined && explicit !== named.key)) return { entries: [], total: 0 }
        return store.query({ ...q, object: undefined, [named.type]: named.key })
      }
      if (q.user !== undefined && !bind('user', keyId.get(q.user))) return { entries: [], total: 0 }
      if (q.group !== undefined && !bind('group', keyId.get(q.group))) return { entries: [], total: 0 }
      if (q.runId !== undefined) where.push('j.seq BETWEEN @first AND @last AND j.run = @run')
      if (q.user !== undefined) where.push(`((j.target = @user AND j.kind IN (${USER_TARGET_CODES})) OR j.member = @user)`)
      if (q.group !== undefined) where.push(`j.target = @group AND j.kind IN (${GROUP_TARGET_CODES})`)
      if (q.integrationId !== undefined) {
        where.push('j.attribution IN (SELECT note FROM journal_note_integrations WHERE integration_id = @integration)')
        args['integration'] = q.integrationId
      }
      if (q.kind !== undefined) {
        where.push('j.kind = @kind')
        args['kind'] = ACTION_KIND_TABLE[q.kind].code
      }
      if (q.event !== undefined) {
        where.push('j.event = @event')
        args['event'] = EVENT_CODE[q.event]
      }
      if (q.actionId !== undefined) {
        // The kind is the id's first part: it narrows the rows before each id is derived.
        const kind = ACTION_KINDS.find((k) => q.actionId?.startsWith(`${k}:`))
        if (kind === undefined) return { entries: [], total: 0 }
        where.push(`j.kind = @actionKind AND journal_action_id(j.kind, (SELECT key FROM journal_keys WHERE id = j.target), (SELECT key FROM journal_keys WHERE id = j.member), j.change) = @actionId`)
        Object.assign(args, { actionKind: ACTION_KIND_TABLE[kind].code, actionId: q.actionId })
      }
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
      const total = count(filter, args)
      const cursor = q.afterSeq === undefined ? '' : `${filter ? 'AND' : 'WHERE'} j.seq ${q.newestFirst ? '<' : '>'} @after`
      if (q.afterSeq !== undefined) args['after'] = q.afterSeq
      const rows = db
        .prepare(
          `SELECT j.seq, ${ROW_TIME} AS at, r.run_id, j.event, j.kind, t.key AS target, m.key AS member, a.body AS attribution, n.body AS reason, j.change
           FROM journal j
           JOIN journal_keys t ON t.id = j.target
           LEFT JOIN journal_keys m ON m.id = j.member
           LEFT JOIN journal_runs r ON r.id = j.run
           JOIN journal_notes a ON a.id = j.attribution
           LEFT JOIN journal_notes n ON n.id = j.reason
           ${filter} ${cursor}
           ORDER BY j.seq ${q.newestFirst ? 'DESC' : 'ASC'} LIMIT @limit OFFSET @offset`,
        )
        .all({ ...args, limit: q.limit, offset: q.offset }) as Row[]
      return { entries: rows.map(toEntry), total }
    },

    /**
     * Whose history `text` names: a user by any of its addresses (→ its primary address), a group
     * by key, name, address or alias; or an object that is gone (purged, deleted) but still journalled.
     */
    resolveSubject(text: string): { readonly type: 'user' | 'group'; readonly key: string } | null {
      const value = text.trim()
      const user = db.prepare('SELECT u.address FROM addresses a JOIN users u ON u.id = a.user_id WHERE a.address = ?').pluck().get(value.toLowerCase()) as string | undefined
      if (user !== undefined) return { type: 'user', key: user }
      const group = db.prepare('SELECT key FROM groups WHERE key = ? OR address = ? OR name = ? COLLATE NOCASE ORDER BY key = ? DESC LIMIT 1').pluck().get(value, value.toLowerCase(), value, value) as string | undefined
      if (group !== undefined) return { type: 'group', key: group }
      const aliased = db.prepare('SELECT g.key FROM group_aliases a JOIN groups g ON g.id = a.group_id WHERE a.address = ? ORDER BY g.key LIMIT 1').pluck().get(value.toLowerCase()) as string | undefined
      if (aliased !== undefined) return { type: 'group', key: aliased }
      for (const key of [value, value.toLowerCase()]) {
        const id = keyId.get(key) as number | undefined
        if (id === undefined) continue
        const asUser = db.prepare(`SELECT 1 FROM journal WHERE member = ? OR (target = ? AND kind IN (${USER_TARGET_CODES})) LIMIT 1`).get(id, id)
        return { type: asUser ? 'user' : 'group', key }
      }
      return null
    },

    /**
     * Retention: drops entries older than `before` (an admin setting, 400 days by default). Rows
     * are appended in time order, so this reads only the rows it deletes. Interned keys and notes
     * stay (they are small and may be shared with newer rows). The audit log is not touched.
     */
    prune(before: Date): number {
      const cutoff = before.getTime()
      const firstKept = db.prepare(`SELECT j.seq FROM journal j LEFT JOIN journal_runs r ON r.id = j.run WHERE ${ROW_TIME} >= ? ORDER BY j.seq LIMIT 1`).pluck().get(cutoff) as number | undefined
      const result = firstKept === undefined ? db.prepare('DELETE FROM journal').run() : db.prepare('DELETE FROM journal WHERE seq < ?').run(firstKept)
      return result.changes
    },
  }
  return store
}
export type JournalStore = ReturnType<typeof createJournalStore>
