import { createContext, createElement, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { DesktopApi } from '../../shared/ipc/desktop-api.ts'
import { createAccountSettingsSlice } from './slices/account-settings-slice.ts'
import { createDirectorySlice } from './slices/directory-slice.ts'
import { createHeldSlice } from './slices/held-slice.ts'
import { createIntegrationsSlice } from './slices/integrations-slice.ts'
import { createJournalSlice } from './slices/journal-slice.ts'
import { createMigrationSlice } from './slices/migration-slice.ts'
import { createNextSyncSlice } from './slices/next-sync-slice.ts'
import { createProgressSlice } from './slices/progress-slice.ts'
import { createRunsSlice } from './slices/runs-slice.ts'
import { createStatusSlice } from './slices/status-slice.ts'
import { createUiSlice } from './slices/ui-slice.ts'
import type { AppState, SliceContext } from './types.ts'

export type AppStore = StoreApi<AppState>

/**
 * One store from slices (zustand's slices pattern). The api is injected, so tests hand in a fake
 * DesktopApi and the app hands in the real one; slices never import the transport themselves.
 */
export function createAppStore(api: DesktopApi): AppStore {
  return createStore<AppState>()((set, get) => {
    const context: SliceContext = { set, get, api }
    return {
      ...createUiSlice(context),
      ...createIntegrationsSlice(context),
      ...createStatusSlice(context),
      ...createProgressSlice(context),
      ...createHeldSlice(context),
      ...createDirectorySlice(context),
      ...createRunsSlice(context),
      ...createMigrationSlice(context),
      ...createNextSyncSlice(context),
      ...createAccountSettingsSlice(context),
      ...createJournalSlice(context),
    }
  })
}

/**
 * Push events from the core: progress and test steps are shown live; anything else that changed
 * ("state:changed") is reloaded, because the core owns the truth. Returns the unsubscribe.
 */
export function connectEvents(store: AppStore, api: DesktopApi): () => void {
  const offs = [
    api.on('sync:progress', (progress) => store.getState().receiveProgress(progress)),
    api.on('sync:finished', (run) => store.getState().receiveFinished(run)),
    api.on('connection-test:step', ({ integrationId, step }) => store.getState().receiveConnectionStep(integrationId, step)),
    api.on('state:changed', () => void store.getState().refresh()),
  ]
  return () => {
    for (const off of offs) off()
  }
}

const StoreContext = createContext<AppStore | null>(null)

export function StoreProvider({ store, children }: { readonly store: AppStore; readonly children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children)
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useAppStore is used outside <StoreProvider>')
  return useStore(store, selector)
}
