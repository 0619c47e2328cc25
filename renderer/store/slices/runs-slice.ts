import type { RunSummary } from '../../../shared/domain/run.ts'
import { call } from '../call.ts'
import { NOT_LOADED, type Loadable, type SliceContext } from '../types.ts'

/** Runs kept in view (the contract pages at most 1000 per call). */
export const RUNS_PAGE_SIZE = 200

export interface RunsSlice {
  readonly runs: readonly RunSummary[]
  readonly runsState: Loadable
  /** Ids picked for "compare": at most two, oldest pick first. */
  readonly runCompare: readonly string[]
  readonly openRunId: string | null
  readonly loadRuns: () => Promise<void>
  readonly openRun: (id: string | null) => void
  readonly toggleRunCompare: (id: string) => void
}

export function createRunsSlice({ set, api }: SliceContext): RunsSlice {
  return {
    runs: [],
    runsState: NOT_LOADED,
    runCompare: [],
    openRunId: null,
    async loadRuns() {
      set((state) => ({ runsState: { ...state.runsState, loading: !state.runsState.loaded } }))
      const result = await call(api, 'runs:list', { offset: 0, limit: RUNS_PAGE_SIZE })
      if (result.ok) set({ runs: result.value, runsState: { loaded: true, loading: false, error: null } })
      else set((state) => ({ runsState: { ...state.runsState, loading: false, error: result.error.message } }))
    },
    openRun(id) {
      set({ openRunId: id })
    },
    toggleRunCompare(id) {
      set((state) => {
        if (state.runCompare.includes(id)) return { runCompare: state.runCompare.filter((other) => other !== id) }
        return { runCompare: [...state.runCompare, id].slice(-2) }
      })
    },
  }
}
