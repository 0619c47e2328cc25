import type { StoreApi } from 'zustand/vanilla'
import type { DesktopApi } from '../../shared/ipc/desktop-api.ts'
import type { AccountSettingsSlice } from './slices/account-settings-slice.ts'
import type { DirectorySlice } from './slices/directory-slice.ts'
import type { HeldSlice } from './slices/held-slice.ts'
import type { IntegrationsSlice } from './slices/integrations-slice.ts'
import type { JournalSlice } from './slices/journal-slice.ts'
import type { MigrationSlice } from './slices/migration-slice.ts'
import type { NextSyncSlice } from './slices/next-sync-slice.ts'
import type { ProgressSlice } from './slices/progress-slice.ts'
import type { RunsSlice } from './slices/runs-slice.ts'
import type { StatusSlice } from './slices/status-slice.ts'
import type { UiSlice } from './slices/ui-slice.ts'

export type AppState = IntegrationsSlice & StatusSlice & ProgressSlice & HeldSlice & DirectorySlice & RunsSlice & MigrationSlice & NextSyncSlice & AccountSettingsSlice & JournalSlice & UiSlice

/** What a slice may touch: the store itself and the injected api (a fake one in tests). */
export interface SliceContext {
  readonly set: StoreApi<AppState>['setState']
  readonly get: StoreApi<AppState>['getState']
  readonly api: DesktopApi
}

/** Data that is loaded from the core: `loading` only for the first load, so refreshes do not flash. */
export interface Loadable {
  readonly loaded: boolean
  readonly loading: boolean
  /** Plain-language message of the last failed load, cleared by the next success. */
  readonly error: string | null
}

export const NOT_LOADED: Loadable = { loaded: false, loading: false, error: null }
