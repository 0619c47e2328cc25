import type { AccountStatus } from '../../../shared/domain/sync-views.ts'
import { call } from '../call.ts'
import { NOT_LOADED, type Loadable, type SliceContext } from '../types.ts'

export interface StatusSlice {
  readonly status: AccountStatus | null
  readonly statusState: Loadable
  readonly loadStatus: () => Promise<void>
  /** Reload what every page shows (integrations, banners, an open migration). The core owns the truth. */
  readonly refresh: () => Promise<void>
}

export function createStatusSlice({ set, get, api }: SliceContext): StatusSlice {
  return {
    status: null,
    statusState: NOT_LOADED,
    async loadStatus() {
      set((state) => ({ statusState: { ...state.statusState, loading: !state.statusState.loaded } }))
      const result = await call(api, 'status:get', {})
      if (result.ok) set({ status: result.value, statusState: { loaded: true, loading: false, error: null } })
      else set((state) => ({ statusState: { ...state.statusState, loading: false, error: result.error.message } }))
    },
    async refresh() {
      // Migrations carry their whole coverage report (a row per user): reload them on the wizard's
      // page, and once for the navigation's "In progress" mark — not on every change elsewhere.
      const migrations = get().route.page === 'migration' || !get().migrationsState.loaded ? [get().loadMigrations()] : []
      // The held list is replaced by every run and re-worded when a pause lifts: reload it where it is shown.
      const held = get().route.page === 'held' ? [get().loadHeld(), get().loadApprovals()] : []
      const settings = get().route.page === 'settings' ? [get().loadAccountSettings()] : []
      await Promise.all([get().loadIntegrations(), get().loadStatus(), ...migrations, ...held, ...settings])
    },
  }
}
