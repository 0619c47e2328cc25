import type { RunOutcome } from '../../shared/domain/integration.ts'
import type { RunSummary } from '../../shared/domain/run.ts'
import { ACTION_KIND_TABLE, isDestructiveKind, type HeldAction, type SyncAction } from '../../shared/domain/sync-action.ts'
import { createAccountWriter } from '../store/account-writer.ts'
import type { HeldStore } from '../store/held-store.ts'
import type { IntegrationStore } from '../store/integration-store.ts'
import type { Db } from '../store/open-database.ts'
import type { RunStore } from '../store/run-store.ts'
import type { JournalIntegration, JournalReason } from '../../shared/domain/journal.ts'
import { createChangeReader } from '../store/change-reader.ts'
import { deferIndexes } from '../store/deferred-indexes.ts'
import { createJournalStore, createJournalWriter, type JournalRecord } from '../store/journal-store.ts'
import type { ApplyProbe } from './apply-probe.ts'
import type { Blocker } from './gate.ts'
import { attribution, dropReason, holdReason, releaseReason } from './journal-reasons.ts'
import type { SourceLinks } from '../model/plan-types.ts'
import type { ActionSequence } from '../model/action-sequence.ts'

/** Kinds that delete a user or group row: its addresses, memberships and aliases go with it (ON DELETE CASCADE). */
/** Progress is reported every this many applied actions (a first sync at 100k users applies 1.3M). */
const PROGRESS_EVERY = 50_000

export interface ApplierDeps {
  readonly db: Db
  readonly integrations: IntegrationStore
  readonly held: HeldStore
  readonly runs: RunStore
  readonly now: () => Date
  readonly probe?: ApplyProbe | undefined
}

export interface GatedRun {
  readonly runId: string
  /** What the gate let through, in plan order (add-members compact: walking it makes them one at a time). */
  readonly apply: ActionSequence
  readonly held: readonly HeldAction[]
  readonly links: SourceLinks
  /** The outcome to record on each integration that was read in this run. */
  readonly outcomes: ReadonlyArray<readonly [integrationId: string, outcome: RunOutcome]>
  /** Integration id → name now (the journal keeps names as they were). */
  readonly names: ReadonlyMap<string, string>
  /** The gate's blockers (named, with since when) for the journal's hold reasons. */
  readonly blockers: readonly Blocker[]
  /** Journal entries older than this many days are pruned at the end of the run (account setting). */
  readonly journalRetentionDays: number
  /** Runs inside the apply transaction: clears the dirty marks this plan covered (dirty-planning.ts). */
  readonly settle?: (() => void) | undefined
  /** The run record, completed with the time the apply ended. */
  readonly summary: (finishedAt: string) => RunSummary
  /** Called during a long apply (every PROGRESS_EVERY actions) and once at its end. */
  readonly onProgress?: ((applied: number, total: number) => void) | undefined
}

/**
 * The only writer of a run's results. Everything happens in ONE transaction, so a crash or kill
 * at any moment leaves the account exactly as before or exactly as after (DESIGN.md §2.5). The
 * run's `finishedAt` is taken after the last write, so run history shows the wait the admin had.
 * Built for a first sync's 1.3M actions: rows go out in multi-row statements, ids come from
 * in-memory maps, attributions are built once per source list, and a bulk load builds its
 * indexes once at the end (deferred-indexes.ts).
 */
export function applyGatedRun(deps: ApplierDeps, run: GatedRun): RunSummary {
  // SQLite checks each foreign key at every row written: a first sync's 1.2M memberships were
  // each looked up in users, groups and source_sets (~4 s of its CPU). The writer takes every id
  // it writes from those tables, so the checks find nothing; they are off for this transaction
  // unless a row is deleted (a purged user, a deleted group), whose addresses, memberships and
  // aliases go with it by ON DELETE CASCADE. The pragma only takes effect outside a transaction.
  const unchecked = !run.apply.others.some((a) => ACTION_KIND_TABLE[a.kind].cascades) && deps.db.pragma('foreign_keys', { simple: true }) === 1
  if (unchecked) deps.db.pragma('foreign_keys = OFF')
  try {
    return applyInOneTransaction(deps, run)
  } finally {
    if (unchecked) deps.db.pragma('foreign_keys = ON')
  }
}

function applyInOneTransaction(deps: ApplierDeps, run: GatedRun): RunSummary {
  const probe = deps.probe ?? ((): void => undefined)
  return deps.db.transaction(() => {
    const appliedAt = deps.now().toISOString()
    const writer = createAccountWriter(deps.db, appliedAt)
    const journal = createJournalWriter(deps.db)
    const changes = createChangeReader(deps.db)
    const wasHeld = new Map(deps.held.all().map((a) => [a.id, a]))
    const approvals = deps.held.pendingApprovals()
    // One attribution array per distinct source list: the journal writer notes it once (by identity).
    const attributions = new Map<string, JournalIntegration[]>()
    const attributed = (ids: readonly string[]): JournalIntegration[] => {
      const key = ids.length === 1 ? (ids[0] ?? '') : ids.join('\n')
      let found = attributions.get(key)
      if (!found) {
        found = attribution(ids, run.names)
        attributions.set(key, found)
      }
      return found
    }
    const entry = (event: JournalRecord['event'], action: SyncAction, reason: JournalReason | null): JournalRecord => ({
      event,
      at: appliedAt,
      runId: run.runId,
      action,
      integrations: attributed(action.integrationIds),
      ...changes.of(action),
      reason,
    })
    const total = run.apply.length
    const journalIndexes = deferIndexes(deps.db, 'journal', total + run.held.length)
    const memberAdds = run.apply.countByKind()['add-member'] ?? 0
    let membershipIndexes: { restore(): void } | null = null
    let count = 0
    for (const action of run.apply) {
      if (action.kind === 'add-member') membershipIndexes ??= deferIndexes(deps.db, 'memberships', memberAdds)
      else if (membershipIndexes) {
        // Removals and purges after the adds look memberships up by user: index first.
        writer.flush()
        membershipIndexes.restore()
      }
      // Only destructive actions are ever held.
      const earlier = isDestructiveKind(action.kind) ? wasHeld.get(action.id) : undefined
      journal.append(entry('applied', action, earlier ? releaseReason(earlier, run.names, approvals.get(action.id)) : null))
      writer.apply(action)
      probe('apply', ++count)
      if (count % PROGRESS_EVERY === 0) run.onProgress?.(count, total)
    }
    writer.flush()
    membershipIndexes?.restore()
    writer.link(run.links)
    probe('link', 0)
    const applied = new Set(run.apply.others.filter((a) => isDestructiveKind(a.kind)).map((a) => a.id))
    for (const action of run.held) if (!wasHeld.has(action.id)) journal.append(entry('held', action, holdReason(action, run.blockers, approvals.get(action.id))))
    const stillHeld = new Set(run.held.map((a) => a.id))
    for (const [id, earlier] of wasHeld) if (!stillHeld.has(id) && !applied.has(id)) journal.append(entry('released', earlier, dropReason(earlier, run.names)))
    journal.finish()
    journalIndexes.restore()
    deps.held.replace(run.held)
    probe('held', 0)
    const finishedAt = deps.now().toISOString()
    deps.held.markApplied([...applied], run.runId, finishedAt)
    for (const [integrationId, outcome] of run.outcomes) deps.integrations.recordOutcome(integrationId, finishedAt, outcome)
    createJournalStore(deps.db).prune(new Date(Date.parse(finishedAt) - run.journalRetentionDays * 86_400_000))
    run.settle?.()
    const summary = run.summary(finishedAt)
    deps.runs.save(summary)
    run.onProgress?.(count, total)
    probe('commit', 0)
    return summary
  })()
}
