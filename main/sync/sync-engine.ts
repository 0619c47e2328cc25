import { randomUUID } from 'node:crypto'
import type { RunSummary, RunTrigger, SyncProgress } from '../../shared/domain/run.ts'
import type { RunOutcome } from '../../shared/domain/integration.ts'
import type { HeldAction, SyncAction } from '../../shared/domain/sync-action.ts'
import type { PlanPreview } from '../../shared/domain/sync-views.ts'
import type { DirectoryConnector } from '../connectors/directory-connector.ts'
import { loadAccountState } from '../store/account-state-loader.ts'
import type { Db } from '../store/open-database.ts'
import type { HeldStore } from '../store/held-store.ts'
import type { IntegrationRecord, IntegrationStore } from '../store/integration-store.ts'
import type { RunStore } from '../store/run-store.ts'
import type { SnapshotStore } from '../store/snapshot-store.ts'
import type { SettingsStore } from '../settings/settings-store.ts'
import { gateActions, type GateVerdict } from './gate.ts'
import { planOf, type AccountState, type Plan, type PlanIntegration } from '../model/plan-types.ts'
import { NO_ACTIONS } from '../model/action-sequence.ts'
import type { IndexedSnapshotData } from '../model/indexed-snapshot.ts'
import { planSync } from './planner.ts'
import { readForPreview } from './preview-read.ts'
import { readIntegration } from './read-integration.ts'
import { applyGatedRun } from './applier.ts'
import { plainAction } from '../model/member-addition.ts'
import type { ApplyProbe } from './apply-probe.ts'
import { createRunLock } from '../store/run-lock.ts'
import { createPlanMarks } from '../store/plan-marks.ts'
import { loadPlanSubset } from '../store/plan-subset-loader.ts'
import { isEmptyDirtySet } from '../model/dirty-set.ts'
import { freedAddresses, fullPlanReason, PERIODIC_FULL_PLAN, planDifference, planFingerprint, withHeldAndDue } from './dirty-planning.ts'
import type { AccountSettings } from '../../shared/domain/account.ts'

/** A contributing snapshot none of whose rows the dirty set needs. */
const NOTHING: IndexedSnapshotData = { users: [], groups: [], memberRowsResolved: true }
/** The plan of an empty dirty set. */
const EMPTY_PLAN: Plan = planOf(NO_ACTIONS, { users: [], groups: [], memberships: [] }, [], [])

export interface SyncEngineDeps {
  readonly db: Db
  readonly integrations: IntegrationStore
  readonly snapshots: SnapshotStore
  readonly runs: RunStore
  readonly held: HeldStore
  readonly settings: SettingsStore
  readonly now: () => Date
  readonly connect: (integration: IntegrationRecord) => Promise<DirectoryConnector>
  readonly onProgress: (progress: SyncProgress) => void
  /** Crash tests observe the apply transaction through this (apply-probe.ts); production passes none. */
  readonly probe?: ApplyProbe | undefined
}

/** "all", or one integration id. */
export type SyncScope = 'all' | { readonly integrationId: string }

export class SyncBusyError extends Error {}
/** The run was refused for a reason other than another run (a disabled integration). */
export class SyncRefusedError extends Error {}

const withoutSnapshots = (integrations: readonly PlanIntegration[]): PlanIntegration[] => integrations.map((i) => ({ ...i, snapshot: null }))

function countByKind(actions: Iterable<SyncAction>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const action of actions) counts[action.kind] = (counts[action.kind] ?? 0) + 1
  return counts
}

/**
 * read → validate → plan → gate → apply → record. Runs never overlap: a request while one runs
 * is refused with a clear message (the caller may retry), which keeps "what will this run do"
 * answerable — a queue would run a plan nobody previewed.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  let running: SyncProgress | null = null
  const lock = createRunLock(deps.db)
  const marks = createPlanMarks(deps.db)

  /**
   * What the planner sees. A staged migration target (`stagedBehind`) is read like any other but
   * plans with no snapshot — it contributes nothing until the old integration is deleted at
   * cut-over; `releasedBy` plans as if that deletion had happened (the cut-over preview).
   */
  function planIntegrationsWithout(releasedBy?: string): Array<{ readonly integration: PlanIntegration; readonly snapshotId: string | null }> {
    return deps.integrations.listAll().map((record) => {
      const staged = record.stagedBehind !== null && record.stagedBehind.id !== releasedBy
      const snapshot = record.deletedAt || staged ? null : deps.snapshots.current(record.id)
      const integration: PlanIntegration = {
        id: record.id,
        name: record.name,
        status: record.status,
        statusSince: record.statusSince,
        statusReason: record.statusReason,
        policy: record.policy,
        deleted: record.deletedAt !== null,
        snapshot: null,
      }
      return { integration, snapshotId: snapshot?.id ?? null }
    })
  }

  function planIntegrations(releasedBy?: string): PlanIntegration[] {
    return planIntegrationsWithout(releasedBy).map(({ integration, snapshotId }) => ({ ...integration, snapshot: snapshotId ? deps.snapshots.load(snapshotId) : null }))
  }

  /**
   * A run's plan: the whole account when a full plan is due (fullPlanReason), otherwise the same
   * planner on just the rows of the dirty set and what deciding them needs (plan-subset-loader.ts);
   * both give the same actions and holds (test/reliability/dirty-set-planning.test.ts). `settle`
   * runs inside the apply transaction and clears the marks this plan covered.
   */
  interface RunPlan {
    readonly plan: Plan
    readonly verdict: GateVerdict
    /** As planned, without their snapshots: the apply needs names and ids only, and a first sync's snapshot is ~60 MB it can use. */
    readonly integrations: PlanIntegration[]
    readonly settle: () => void
    readonly basis: string
    readonly full: boolean
    readonly rowsRead: number | null
    /** What the daily consistency check found, when it found a difference (a run warning). */
    readonly inconsistency: string | null
  }

  function gated(now: Date, settings: AccountSettings, integrations: PlanIntegration[], account: AccountState | null): { plan: Plan; verdict: GateVerdict } {
    // No account to plan against means an empty dirty set: nothing to plan (time-based rules and holds are in the dirty set already).
    const plan = account ? planSync({ now, settings, integrations, account }) : EMPTY_PLAN
    return { plan, verdict: gateActions({ actions: plan.sequence, integrations, approved: deps.held.pendingApprovalIds(), heldSince: deps.held.heldSince(), now }) }
  }

  function planRun(now: Date, forceFull: boolean): RunPlan {
    const described = planIntegrationsWithout()
    const contributing = described.flatMap(({ integration, snapshotId }) => (snapshotId ? [{ integrationId: integration.id, snapshotId }] : []))
    const resolved = marks.resolve(contributing)
    const settings = deps.settings.account()
    const fingerprint = planFingerprint(settings, described.map(({ integration, snapshotId }) => ({ id: integration.id, deleted: integration.deleted, contributes: snapshotId !== null, policy: integration.policy })))
    const reason = fullPlanReason({ forced: forceFull, pending: resolved.fullReasons, fingerprint, basis: marks.basis(), now })
    const at = now.toISOString()

    const fromDirtySet = (): RunPlan => {
      const dirty = withHeldAndDue(resolved.dirty, deps.held.all(), marks.deletedUsers(), settings.retentionDays, now)
      const subset = isEmptyDirtySet(dirty) ? null : loadPlanSubset(deps.db, contributing, dirty)
      const integrations = described.map(({ integration, snapshotId }) => ({ ...integration, snapshot: snapshotId ? (subset?.snapshots.get(integration.id) ?? NOTHING) : null }))
      const { plan, verdict } = gated(now, settings, integrations, subset?.account ?? null)
      const freed = subset ? freedAddresses(verdict.apply, subset.account) : []
      const rowsRead = subset?.rowsRead ?? 0
      const basis = `dirty set: ${dirty.addresses.size} address(es), ${dirty.groups.size + dirty.groupRows.size} group(s), ${dirty.memberships.length} membership(s); ${rowsRead} rows read`
      return { plan, verdict, integrations: withoutSnapshots(integrations), settle: () => marks.settle(resolved.upTo, fingerprint, false, at, freed), basis, full: false, rowsRead, inconsistency: null }
    }
    if (!reason) return fromDirtySet()

    const integrations = described.map(({ integration, snapshotId }) => ({ ...integration, snapshot: snapshotId ? deps.snapshots.load(snapshotId) : null }))
    const account = loadAccountState(deps.db)
    const { plan, verdict } = gated(now, settings, integrations, account)
    const freed = freedAddresses(verdict.apply, account)
    // The daily check also plans from the dirty set and says if the two differ (the full plan is applied either way).
    const missed = reason === PERIODIC_FULL_PLAN ? planDifference(fromDirtySet().verdict, verdict) : 0
    const inconsistency = missed > 0 ? `Consistency check: planning from what changed would have planned ${missed} action(s) differently; this run planned the whole account and applied the full plan.` : null
    return { plan, verdict, integrations: withoutSnapshots(integrations), settle: () => marks.settle(resolved.upTo, fingerprint, true, at, freed), basis: `full plan: ${reason}`, full: true, rowsRead: null, inconsistency }
  }

  function planAndGate(now: Date, integrations: readonly PlanIntegration[]): { plan: Plan; verdict: GateVerdict } {
    const plan = planSync({ now, settings: deps.settings.account(), integrations, account: loadAccountState(deps.db) })
    const verdict = gateActions({ actions: plan.sequence, integrations, approved: deps.held.pendingApprovalIds(), heldSince: deps.held.heldSince(), now })
    return { plan, verdict }
  }

  function previewOf(scope: SyncScope, limit: number, now: Date, integrations: readonly PlanIntegration[], source: Pick<PlanPreview, 'basis' | 'reads'>): PlanPreview {
    const { plan, verdict } = planAndGate(now, integrations)
    const inScope = (a: SyncAction): boolean => scope === 'all' || a.integrationIds.includes(scope.integrationId)
    const apply = Array.from(verdict.apply).filter(inScope)
    const held = verdict.held.filter(inScope)
    return {
      scope: scope === 'all' ? 'all' : scope.integrationId,
      plannedAt: now.toISOString(),
      ...source,
      toApply: countByKind(apply),
      toHold: countByKind(held),
      actions: apply.slice(0, limit).map(plainAction),
      held: held.slice(0, limit),
      totalActions: apply.length,
      totalHeld: held.length,
      ignoredAddresses: plan.ignored.filter((i) => scope === 'all' || i.integrationId === scope.integrationId).slice(0, limit),
      conflicts: plan.conflicts.slice(0, limit),
    }
  }

  function progress(update: Omit<SyncProgress, 'runId'> & { runId: string }): void {
    running = update
    deps.onProgress(update)
  }

  function scopeTargets(scope: SyncScope): IntegrationRecord[] {
    if (scope === 'all') return deps.integrations.list().filter((i) => i.enabled)
    const record = deps.integrations.get(scope.integrationId)
    if (!record || record.deletedAt) throw new Error(`No integration has the id "${scope.integrationId}".`)
    if (!record.enabled) throw new SyncRefusedError(`${record.name} is disabled; enable it to sync it. (Its last snapshot still counts in every plan.)`)
    return [record]
  }

  function integrationOutcome(read: RunSummary['reads'][number], held: readonly HeldAction[]): RunOutcome {
    if (read.outcome === 'failed') return 'failed'
    if (read.outcome === 'rejected') return 'rejected'
    return held.some((a) => a.integrationIds.includes(read.integrationId) || a.blockingIntegrationIds.includes(read.integrationId)) ? 'held' : 'success'
  }

  return {
    get running(): SyncProgress | null {
      return running
    },

    /**
     * `readOnly`: read, validate and keep the snapshots, but plan and apply nothing (a migration
     * reads the new directory this way before anyone decides anything). `full`: plan the whole
     * account even if the dirty set bounds the change (`sync --full`).
     */
    async run(scope: SyncScope, trigger: RunTrigger, signal: AbortSignal = new AbortController().signal, options: { readOnly?: boolean; full?: boolean } = {}): Promise<RunSummary> {
      if (running) {
        throw new SyncBusyError(`A sync is already running (now ${running.phase}: ${running.message}); it was not started twice. Try again when it finishes.`)
      }
      const runId = randomUUID()
      const holder = lock.acquire(runId, deps.now().toISOString())
      if (holder) throw new SyncBusyError(`A sync is already running in another Directory Sync Console process (pid ${holder.pid}, since ${holder.since}); it was not started twice. Try again when it finishes.`)
      running = { runId, integrationId: null, phase: 'queued', objectsRead: 0, message: 'starting' }
      try {
        const targets = scopeTargets(scope)
        const startedAt = deps.now().toISOString()
        const base: RunSummary = {
          id: runId,
          trigger,
          scope: scope === 'all' ? 'all' : (targets[0]?.name ?? scope.integrationId),
          startedAt,
          finishedAt: null,
          outcome: null,
          applied: {},
          held: {},
          errors: [],
          warnings: [],
          reads: [],
          snapshots: {},
          ignoredAddresses: 0,
        }
        // Written first so a run killed mid-way is visible (and closed as failed) at the next start.
        deps.runs.save(base)
        const reads: RunSummary['reads'] = []
        for (const integration of targets) {
          progress({ runId, integrationId: integration.id, phase: 'reading', objectsRead: 0, message: `Reading ${integration.name}` })
          reads.push(
            await readIntegration(integration, {
              integrations: deps.integrations,
              snapshots: deps.snapshots,
              now: deps.now,
              connect: deps.connect,
              signal,
              onProgress: (objectsRead, phase, message) => progress({ runId, integrationId: integration.id, phase, objectsRead, message }),
              onDelta: (integrationId, delta) => marks.recordDelta(integrationId, delta),
            }),
          )
        }
        if (options.readOnly) {
          const failed = reads.filter((r) => r.outcome !== 'read')
          const summary: RunSummary = { ...base, finishedAt: deps.now().toISOString(), outcome: failed.length === 0 ? 'success' : failed.length === reads.length ? 'failed' : 'partial', errors: failed.map((r) => `${r.integrationName}: ${r.message ?? r.outcome}`), reads }
          deps.runs.save(summary)
          progress({ runId, integrationId: null, phase: 'done', objectsRead: 0, message: 'Read only: nothing planned or applied' })
          return summary
        }
        progress({ runId, integrationId: null, phase: 'planning', objectsRead: 0, message: 'Planning account-wide' })
        const now = deps.now()
        const { plan, verdict, integrations, settle, basis, inconsistency } = planRun(now, options.full === true)
        progress({ runId, integrationId: null, phase: 'applying', objectsRead: 0, message: `Applying ${verdict.apply.length} changes (${basis})` })
        const errors = reads.filter((r) => r.outcome !== 'read').map((r) => `${r.integrationName}: ${r.message ?? r.outcome}`)
        const outcome: RunOutcome =
          reads.length > 0 && reads.every((r) => r.outcome !== 'read') ? (reads.some((r) => r.outcome === 'rejected') ? 'rejected' : 'failed')
          : reads.some((r) => r.outcome !== 'read') ? 'partial'
          : verdict.held.length > 0 ? 'held'
          : 'success'
        const snapshots = Object.fromEntries(integrations.filter((i) => !i.deleted).flatMap((i) => {
          const snapshot = deps.snapshots.current(i.id)
          return snapshot ? [[i.id, snapshot.id]] : []
        }))
        const summary = applyGatedRun(deps, {
          runId,
          apply: verdict.apply,
          held: verdict.held,
          links: plan.links,
          names: new Map(integrations.map((i) => [i.id, i.name])),
          blockers: verdict.blockers,
          journalRetentionDays: deps.settings.account().journalRetentionDays,
          settle,
          onProgress: (applied, total) => progress({ runId, integrationId: null, phase: 'applying', objectsRead: 0, message: `Applying ${applied} of ${total} changes` }),
          outcomes: reads.map((read) => [read.integrationId, integrationOutcome(read, verdict.held)] as const),
          summary: (finishedAt) => ({
            ...base,
            finishedAt,
            outcome,
            applied: verdict.apply.countByKind(),
            held: countByKind(verdict.held),
            errors,
            warnings: inconsistency ? [inconsistency, ...plan.conflicts.slice(0, 49)] : plan.conflicts.slice(0, 50),
            reads,
            snapshots,
            ignoredAddresses: plan.ignored.length,
          }),
        })
        progress({ runId, integrationId: null, phase: 'done', objectsRead: 0, message: `Done: ${verdict.apply.length} applied, ${verdict.held.length} held` })
        return summary
      } finally {
        running = null
        lock.release(runId)
      }
    },

    /**
     * The dry run from the stored snapshots: the same plan and gate as a real run, without reading
     * the directories (offline; it does not see what changed in them since the last sync).
     */
    preview(scope: SyncScope, limit: number): PlanPreview {
      const now = deps.now()
      return previewOf(scope, limit, now, planIntegrations(), { basis: 'snapshots', reads: [] })
    },

    /**
     * The dry run that reads: every enabled integration in scope is read read-only (see
     * preview-read.ts: nothing staged, promoted or recorded) and the plan is made against what
     * was read — what the next sync would apply if the directories do not change in between.
     * Progress is reported as a run's reads are.
     */
    async previewByReading(scope: SyncScope, limit: number, signal: AbortSignal = new AbortController().signal): Promise<PlanPreview> {
      const targets = scopeTargets(scope)
      const runId = `preview-${randomUUID()}`
      const integrations = planIntegrations()
      const reads: RunSummary['reads'] = []
      try {
        for (const record of targets) {
          const index = integrations.findIndex((i) => i.id === record.id)
          const planned = integrations[index]!
          deps.onProgress({ runId, integrationId: record.id, phase: 'reading', objectsRead: 0, message: `Reading ${record.name} for the preview` })
          const result = await readForPreview(record, planned, {
            now: deps.now,
            connect: deps.connect,
            signal,
            onProgress: (objectsRead, message) => deps.onProgress({ runId, integrationId: record.id, phase: 'reading', objectsRead, message }),
          })
          // A staged migration target is read (the preview says how the read went) but, as in a
          // run, contributes nothing to the plan until the cut-over.
          if (!record.stagedBehind) integrations[index] = result.integration
          reads.push(result.read)
        }
        deps.onProgress({ runId, integrationId: null, phase: 'planning', objectsRead: 0, message: 'Planning the preview' })
        return previewOf(scope, limit, deps.now(), integrations, { basis: 'read', reads })
      } finally {
        deps.onProgress({ runId, integrationId: null, phase: 'done', objectsRead: 0, message: 'Preview: nothing was applied' })
      }
    },

    /**
     * The consistency check on demand, from the stored state (nothing read, nothing applied): the
     * plan the next run would make from its dirty set, and the full plan. `dirty` is null when the
     * next run plans in full anyway (`reason` says why).
     */
    checkPlans(): { reason: string | null; dirty: { plan: Plan; verdict: GateVerdict; rowsRead: number } | null; full: { plan: Plan; verdict: GateVerdict } } {
      const now = deps.now()
      const next = planRun(now, false)
      const full = planRun(now, true)
      return {
        reason: next.full ? next.basis : null,
        dirty: next.full ? null : { plan: next.plan, verdict: next.verdict, rowsRead: next.rowsRead ?? 0 },
        full: { plan: full.plan, verdict: full.verdict },
      }
    },

    /** Plans as if the integration were deleted (tombstoned), without changing anything. */
    planWithout(integrationId: string): { plan: Plan; verdict: GateVerdict; integrations: PlanIntegration[] } {
      const now = deps.now()
      const integrations = planIntegrations(integrationId).map((i) => (i.id === integrationId ? { ...i, deleted: true, snapshot: null } : i))
      return { ...planAndGate(now, integrations), integrations }
    },
  }
}
export type SyncEngine = ReturnType<typeof createSyncEngine>
