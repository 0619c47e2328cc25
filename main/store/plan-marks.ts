import type { DirtySet } from '../model/dirty-set.ts'
import type { SnapshotDelta } from '../model/snapshot-delta.ts'
import type { Db } from './open-database.ts'
import { createPlanAddressIndex } from './plan-address-index.ts'

/** A snapshot that contributes to the plan (live, not staged behind a migration). */
export interface ContributingSnapshot {
  readonly integrationId: string
  readonly snapshotId: string
}

/** What the last applied plan was made from (plan_state). */
export interface PlanBasis {
  /** The planner's inputs other than snapshots and account (settings, policies, which integrations count); see dirty-planning.ts. */
  readonly fingerprint: string | null
  /** When the last full plan was applied (ISO), or null: never. */
  readonly lastFullAt: string | null
}

export interface ResolvedMarks {
  /** Why the next plan must be a full one (unbounded changes, integrations that (stopped) contributing); empty: none. */
  readonly fullReasons: readonly string[]
  readonly dirty: DirtySet
  /** The last mark the plan covers: `settle` clears up to it (marks written later belong to the next run). */
  readonly upTo: number
}

/**
 * The persisted dirty set (dirty_marks). A promotion records what it changed inside its own
 * transaction (`recordDelta`), so a crash between promotion and apply loses nothing; `resolve`
 * turns those object marks into the addresses and group keys to plan (keeping the address
 * index in step, in one transaction); `settle` clears the marks in the transaction that applies
 * the plan made from them.
 */
export function createPlanMarks(db: Db) {
  const index = createPlanAddressIndex(db)
  const s = {
    insert: db.prepare('INSERT INTO dirty_marks (kind, integration_id, key) VALUES (?, ?, ?)'),
    maxSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM dirty_marks').pluck(),
    objectMarks: db.prepare("SELECT kind, integration_id, key FROM dirty_marks WHERE kind IN ('promotion', 'user', 'group') AND seq <= ?").raw(),
    dropObjectMarks: db.prepare("DELETE FROM dirty_marks WHERE kind IN ('promotion', 'user', 'group') AND seq <= ?"),
    planMarks: db.prepare("SELECT kind, key FROM dirty_marks WHERE kind IN ('address', 'address-members', 'group-key') AND seq <= ?").raw(),
    settle: db.prepare('DELETE FROM dirty_marks WHERE seq <= ?'),
    state: db.prepare('SELECT value FROM plan_state WHERE key = ?').pluck(),
    setState: db.prepare('INSERT OR REPLACE INTO plan_state (key, value) VALUES (?, ?)'),
    clearState: db.prepare('DELETE FROM plan_state WHERE key = ?'),
    deleted: db.prepare("SELECT address, deleted_at FROM users WHERE status = 'deleted'").raw(),
  }
  const state = (key: string): string | null => (s.state.get(key) as string | undefined) ?? null

  return {
    /** Inside the promotion's transaction: what it changed in one integration's snapshot. */
    recordDelta(integrationId: string, delta: SnapshotDelta): void {
      s.insert.run('promotion', integrationId, delta.everything ? 'everything' : '')
      if (delta.everything) return
      for (const id of delta.users) s.insert.run('user', integrationId, id)
      for (const id of delta.groups) s.insert.run('group', integrationId, id)
    },

    /** Soft-deleted account users and when they were deleted (a purge becomes due with time alone). */
    deletedUsers(): Array<[address: string, deletedAt: string | null]> {
      return s.deleted.all() as Array<[string, string | null]>
    },

    basis(): PlanBasis {
      return { fingerprint: state('fingerprint'), lastFullAt: state('last-full-at') }
    },

    /**
     * Brings the address index to the contributing snapshots and the object marks to addresses
     * and group keys, in one transaction. An integration's index is rebuilt (and a full plan
     * asked for) when its snapshot changed with no bounded delta to say how.
     */
    resolve(contributing: readonly ContributingSnapshot[]): ResolvedMarks {
      return db.transaction((): ResolvedMarks => {
        const reasons: string[] = []
        const upTo = s.maxSeq.get() as number
        const deltas = new Map<string, { everything: boolean; users: Set<string>; groups: Set<string> }>()
        for (const [kind, integrationId, key] of s.objectMarks.iterate(upTo) as Iterable<[string, string, string]>) {
          let delta = deltas.get(integrationId)
          if (!delta) deltas.set(integrationId, (delta = { everything: false, users: new Set(), groups: new Set() }))
          if (kind === 'promotion') delta.everything ||= key === 'everything'
          else if (kind === 'user') delta.users.add(key)
          else delta.groups.add(key)
        }
        const sources = index.sources()
        const live = new Set(contributing.map((c) => c.integrationId))
        for (const [integrationId, source] of sources) {
          if (live.has(integrationId)) continue
          index.drop(source.key)
          reasons.push(`integration ${integrationId} no longer contributes`)
        }
        const addresses = new Map<string, boolean>()
        const groups = new Set<string>()
        for (const { integrationId, snapshotId } of contributing) {
          const source = sources.get(integrationId)
          const delta = deltas.get(integrationId)
          if (source?.snapshotId === snapshotId && !delta) continue
          if (!source || !delta || delta.everything) {
            index.rebuild(integrationId, snapshotId)
            reasons.push(!source ? `integration ${integrationId} contributes for the first time` : !delta ? `the snapshot of ${integrationId} changed without a recorded delta` : `the snapshot of ${integrationId} changed as a whole`)
            continue
          }
          const found = index.update(integrationId, snapshotId, delta.users, delta.groups)
          for (const [address, members] of found.addresses) {
            if (!addresses.get(address)) addresses.set(address, members)
          }
          for (const key of found.groups) groups.add(key)
        }
        s.dropObjectMarks.run(upTo)
        for (const [address, members] of addresses) s.insert.run(members ? 'address-members' : 'address', null, address)
        for (const key of groups) s.insert.run('group-key', null, key)
        const pending = state('full-pending')
        if (reasons.length > 0) s.setState.run('full-pending', [pending, ...reasons].filter(Boolean).join('; '))
        const all = state('full-pending')
        const dirtyAddresses = new Map<string, boolean>()
        const dirtyGroups = new Set<string>()
        const last = s.maxSeq.get() as number
        for (const [kind, key] of s.planMarks.iterate(last) as Iterable<[string, string]>) {
          if (kind === 'group-key') dirtyGroups.add(key)
          else dirtyAddresses.set(key, (dirtyAddresses.get(key) ?? false) || kind === 'address-members')
        }
        return {
          fullReasons: all ? [all] : [],
          dirty: { addresses: dirtyAddresses, groups: dirtyGroups, groupRows: new Set(), memberships: [] },
          upTo: last,
        }
      })()
    },

    /**
     * Inside the apply transaction: the marks up to `upTo` were planned and the plan applied.
     * `full`: the plan was a full one (the pending full-plan request is met; the periodic check
     * restarts). `freed`: addresses the plan freed (freedAddresses), dirty for the next run.
     */
    settle(upTo: number, fingerprint: string, full: boolean, at: string, freed: readonly string[]): void {
      s.settle.run(upTo)
      for (const address of freed) s.insert.run('address-members', null, address)
      s.setState.run('fingerprint', fingerprint)
      if (full) {
        s.clearState.run('full-pending')
        s.setState.run('last-full-at', at)
      }
    },
  }
}
export type PlanMarks = ReturnType<typeof createPlanMarks>
