import type { RunOutcome } from '../../shared/domain/integration.ts'
import type { RunSummary } from '../../shared/domain/run.ts'
import { isDestructiveKind, type HeldAction, type SyncAction } from '../../shared/domain/sync-action.ts'
import { createAccountWriter } from '../store/account-writer.ts'
import type { HeldStore } from '../store/held-store.ts'
import type { IntegrationStore } from '../store/integration-store.ts'
import type { Db } from '../store/open-database.ts'
import type { RunStore } from '../store/run-store.ts'
import type { ApplyProbe } from './apply-probe.ts'
import type { SourceLinks } from './plan-types.ts'

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
  /** What the gate let through, in plan order. */
  readonly apply: readonly SyncAction[]
  readonly held: readonly HeldAction[]
  readonly links: SourceLinks
  /** The outcome to record on each integration that was read in this run. */
  readonly outcomes: ReadonlyArray<readonly [integrationId: string, outcome: RunOutcome]>
  /** The run record, completed with the time the apply ended. */
  readonly summary: (finishedAt: string) => RunSummary
}

/**
 * The only writer of a run's results. Everything happens in ONE transaction, so a crash or kill
 * at any moment leaves the account exactly as before or exactly as after (DESIGN.md §2.5). The
 * run's `finishedAt` is taken after the last write, so run history shows the wait the admin had.
 */
export function applyGatedRun(deps: ApplierDeps, run: GatedRun): RunSummary {
  const probe = deps.probe ?? ((): void => undefined)
  return deps.db.transaction(() => {
    const appliedAt = deps.now().toISOString()
    const writer = createAccountWriter(deps.db, appliedAt)
    let count = 0
    for (const action of run.apply) {
      writer.apply(action)
      probe('apply', ++count)
    }
    writer.link(run.links)
    probe('link', 0)
    deps.held.replace(run.held)
    probe('held', 0)
    const finishedAt = deps.now().toISOString()
    deps.held.markApplied(run.apply.filter((a) => isDestructiveKind(a.kind)).map((a) => a.id), run.runId, finishedAt)
    for (const [integrationId, outcome] of run.outcomes) deps.integrations.recordOutcome(integrationId, finishedAt, outcome)
    const summary = run.summary(finishedAt)
    deps.runs.save(summary)
    probe('commit', 0)
    return summary
  })()
}
