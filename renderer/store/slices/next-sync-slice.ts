import type { PlanPreview } from '../../../shared/domain/sync-views.ts'
import { call } from '../call.ts'
import type { SliceContext } from '../types.ts'

/** What the next sync will do, shown after the admin changed something (enable, delete, approve). */
export interface NextSyncState {
  /** What changed, in words: "Sample directory enabled". */
  readonly because: string
  /** The dry run from the stored snapshots (offline, no directory is contacted); null while it loads. */
  readonly preview: PlanPreview | null
  readonly error: string | null
}

export interface NextSyncSlice {
  readonly nextSync: NextSyncState | null
  readonly showNextSync: (because: string) => Promise<void>
  readonly dismissNextSync: () => void
}

export function createNextSyncSlice({ set, get, api }: SliceContext): NextSyncSlice {
  return {
    nextSync: null,
    async showNextSync(because) {
      set({ nextSync: { because, preview: null, error: null } })
      const result = await call(api, 'sync:preview', { scope: 'all', limit: 0, fromSnapshots: true })
      // A newer change (or a sync that made it moot) replaced this one meanwhile.
      if (get().nextSync?.because !== because) return
      set({ nextSync: result.ok ? { because, preview: result.value, error: null } : { because, preview: null, error: result.error.message } })
    },
    dismissNextSync() {
      set({ nextSync: null })
    },
  }
}
