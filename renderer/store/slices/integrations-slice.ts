import { DRAFT_TEST_ID, type ConnectionStep } from '../../../shared/domain/connection-test.ts'
import { integrationLabel, type IntegrationNameEntry, type IntegrationView } from '../../../shared/domain/integration.ts'
import type { IpcRequest } from '../../../shared/ipc/contract.ts'
import type { DeletePreview } from '../../../shared/domain/sync-views.ts'
import type { IpcResult } from '../../../shared/ipc/result.ts'
import { call } from '../call.ts'
import { NOT_LOADED, type Loadable, type SliceContext } from '../types.ts'

export interface ConnectionTestState {
  readonly integrationId: string
  readonly running: boolean
  readonly steps: readonly ConnectionStep[]
  readonly error: string | null
}

/**
 * The label of any integration id the core hands out — "Sample directory (deleted)" for a deleted
 * one; the raw id only for an id the core never knew (it should not happen).
 */
export function integrationLabelOf(names: readonly IntegrationNameEntry[], id: string): string {
  const entry = names.find((item) => item.id === id)
  return entry ? integrationLabel(entry) : id
}

export interface IntegrationsSlice {
  readonly integrations: readonly IntegrationView[]
  /** Live and deleted integrations, for naming ids in held actions, sources and history. */
  readonly integrationNames: readonly IntegrationNameEntry[]
  readonly integrationsState: Loadable
  readonly connectionTest: ConnectionTestState | null
  readonly loadIntegrations: () => Promise<void>
  readonly createIntegration: (request: IpcRequest<'integrations:create'>) => Promise<IpcResult<IntegrationView>>
  readonly updateIntegration: (request: IpcRequest<'integrations:update'>) => Promise<IpcResult<IntegrationView>>
  readonly setIntegrationEnabled: (id: string, enabled: boolean) => Promise<boolean>
  readonly previewDelete: (id: string) => Promise<IpcResult<DeletePreview>>
  readonly deleteIntegration: (id: string, confirmName: string) => Promise<IpcResult<unknown>>
  readonly testConnection: (id: string) => Promise<void>
  /**
   * The ladder on a form's unsaved settings (shown under `request.id`, or "draft" when creating);
   * resolves with the steps, or null when the test could not run (the error is in `connectionTest`).
   */
  readonly testDraft: (request: IpcRequest<'integrations:test-draft'>) => Promise<readonly ConnectionStep[] | null>
  /** A step pushed by `connection-test:step` while the test runs. */
  readonly receiveConnectionStep: (integrationId: string, step: ConnectionStep) => void
}

export function createIntegrationsSlice({ set, get, api }: SliceContext): IntegrationsSlice {
  return {
    integrations: [],
    integrationNames: [],
    integrationsState: NOT_LOADED,
    connectionTest: null,
    async loadIntegrations() {
      set((state) => ({ integrationsState: { ...state.integrationsState, loading: !state.integrationsState.loaded } }))
      const [result, names] = await Promise.all([call(api, 'integrations:list', {}), call(api, 'integrations:names', {})])
      if (names.ok) set({ integrationNames: names.value })
      if (result.ok) set({ integrations: result.value, integrationsState: { loaded: true, loading: false, error: null } })
      else set((state) => ({ integrationsState: { ...state.integrationsState, loading: false, error: result.error.message } }))
    },
    async createIntegration(request) {
      const result = await call(api, 'integrations:create', request)
      if (result.ok) {
        get().notify('success', `Integration “${result.value.name}” created.`)
        await get().refresh()
      }
      return result
    },
    async updateIntegration(request) {
      const result = await call(api, 'integrations:update', request)
      if (result.ok) {
        get().notify('success', `Integration “${result.value.name}” saved.`)
        await get().refresh()
      }
      return result
    },
    async setIntegrationEnabled(id, enabled) {
      const result = await call(api, 'integrations:set-enabled', { id, enabled })
      if (result.ok) get().notify('success', `Integration “${result.value.name}” ${enabled ? 'enabled' : 'disabled'}.`)
      else get().notify('error', result.error.message)
      await get().refresh()
      if (result.ok) void get().showNextSync(`${result.value.name} ${enabled ? 'enabled' : 'disabled'}`)
      return result.ok
    },
    previewDelete(id) {
      return call(api, 'integrations:delete-preview', { id })
    },
    async deleteIntegration(id, confirmName) {
      const result = await call(api, 'integrations:delete', { id, confirmName })
      if (result.ok) {
        get().notify('success', `Integration “${confirmName}” deleted.`)
        if (get().route.integrationId === id) get().navigate({ page: 'integrations' })
        await get().refresh()
        void get().showNextSync(`${confirmName} deleted`)
      }
      return result
    },
    async testConnection(id) {
      set({ connectionTest: { integrationId: id, running: true, steps: [], error: null } })
      const result = await call(api, 'integrations:test', { id })
      set((state) => {
        // A newer test (or another integration's) replaced this one meanwhile: leave it alone.
        if (state.connectionTest?.integrationId !== id) return {}
        return result.ok
          ? { connectionTest: { integrationId: id, running: false, steps: result.value, error: null } }
          : { connectionTest: { ...state.connectionTest, running: false, error: result.error.message } }
      })
    },
    async testDraft(request) {
      const key = request.id ?? DRAFT_TEST_ID
      set({ connectionTest: { integrationId: key, running: true, steps: [], error: null } })
      const result = await call(api, 'integrations:test-draft', request)
      set((state) => {
        if (state.connectionTest?.integrationId !== key) return {}
        return result.ok
          ? { connectionTest: { integrationId: key, running: false, steps: result.value, error: null } }
          : { connectionTest: { ...state.connectionTest, running: false, error: result.error.message } }
      })
      return result.ok ? result.value : null
    },
    receiveConnectionStep(integrationId, step) {
      set((state) => {
        const test = state.connectionTest
        if (!test || !test.running || test.integrationId !== integrationId) return {}
        const others = test.steps.filter((existing) => existing.step !== step.step)
        return { connectionTest: { ...test, steps: [...others, step] } }
      })
    },
  }
}
