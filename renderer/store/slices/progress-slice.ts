import type { RunSummary, SyncProgress } from '../../../shared/domain/run.ts'
import type { IpcRequest } from '../../../shared/ipc/contract.ts'
import { OUTCOME_LABELS } from '../../components/status-badge.tsx'
import { call } from '../call.ts'
import type { SliceContext } from '../types.ts'

/** Key of the account-wide phases (planning, applying) in `progress.byIntegration`. */
export const ACCOUNT_PHASE_KEY = '*'

export interface ProgressState {
  readonly runId: string
  /** integration id (or ACCOUNT_PHASE_KEY) → latest progress. */
  readonly byIntegration: Readonly<Record<string, SyncProgress>>
}

export interface ProgressSlice {
  readonly progress: ProgressState | null
  /** True from the click until the run's response: the buttons show it at once. */
  readonly syncRequested: boolean
  readonly lastFinishedRun: RunSummary | null
  readonly runSync: (scope: IpcRequest<'sync:run'>['scope']) => Promise<void>
  readonly receiveProgress: (progress: SyncProgress) => void
  readonly receiveFinished: (run: RunSummary) => void
}

export function createProgressSlice({ set, get, api }: SliceContext): ProgressSlice {
  return {
    progress: null,
    syncRequested: false,
    lastFinishedRun: null,
    async runSync(scope) {
      // The run answers "what happens next": the strip's forecast is spent.
      set({ syncRequested: true, nextSync: null })
      const result = await call(api, 'sync:run', { scope })
      set({ syncRequested: false })
      if (result.ok) {
        set({ lastFinishedRun: result.value, progress: null })
        const run = result.value
        const failed = run.outcome === 'failed' || run.outcome === 'rejected'
        // Held or partly applied is not a plain success: say it in the neutral colour.
        const partly = run.outcome === 'held' || run.outcome === 'partial'
        get().notify(failed ? 'error' : partly ? 'info' : 'success', describeRun(run))
      } else {
        get().notify('error', result.error.message)
      }
      await Promise.all([get().refresh(), get().loadRuns()])
    },
    receiveProgress(progress) {
      // The account-wide "done" is a run's last word. A read-only run (the migration wizard reading
      // the new directory) sends no sync:finished, so this is what ends its live progress.
      if (progress.integrationId === null && progress.phase === 'done') {
        set((state) => (state.progress?.runId === progress.runId || state.progress === null ? { progress: null } : {}))
        return
      }
      set((state) => {
        const sameRun = state.progress?.runId === progress.runId
        const byIntegration = sameRun ? { ...state.progress?.byIntegration } : {}
        byIntegration[progress.integrationId ?? ACCOUNT_PHASE_KEY] = progress
        return { progress: { runId: progress.runId, byIntegration } }
      })
    },
    receiveFinished(run) {
      set((state) => ({ lastFinishedRun: run, progress: state.progress?.runId === run.id ? null : state.progress }))
      void Promise.all([get().refresh(), get().loadRuns()])
    },
  }
}

/** "Sync finished: 212 changes applied, 3 held." — what the admin wants to know first. */
export function describeRun(run: RunSummary): string {
  const applied = sum(run.applied)
  const held = sum(run.held)
  // The same outcome word as the run tables and the badges ("Partly applied", "Failed"…).
  const head = run.outcome === null ? 'Sync running' : run.outcome === 'success' ? 'Sync finished' : `Sync finished — ${OUTCOME_LABELS[run.outcome]}`
  const errors = run.errors.length > 0 ? ` ${run.errors.length} ${run.errors.length === 1 ? 'error' : 'errors'} in Run history.` : run.warnings.length > 0 ? ` ${run.warnings.length} ${run.warnings.length === 1 ? 'warning' : 'warnings'} in Run history.` : ''
  return `${head}: ${applied} ${applied === 1 ? 'change' : 'changes'} applied, ${held} held.${errors}`
}

export function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0)
}
