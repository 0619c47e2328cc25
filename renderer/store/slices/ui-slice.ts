import type { SliceContext } from '../types.ts'

/** The pages of the console. The hash (`#/held`, `#/integrations/<id>`) mirrors this. */
export type Page = 'integrations' | 'held' | 'directory' | 'runs' | 'migration' | 'settings'

export interface Route {
  readonly page: Page
  /**
   * Integration open in the detail pane (integrations page), pre-selected filter (held page), the
   * old integration pre-picked in the migration wizard ("Migrate" on a detail pane), or the user's
   * or group's page open in the directory ("user:<address>", "group:<key>", directory-route.ts).
   */
  readonly integrationId: string | null
}

export interface Notice {
  readonly id: number
  readonly kind: 'error' | 'success' | 'info'
  readonly message: string
}

export interface UiSlice {
  readonly route: Route
  readonly notices: readonly Notice[]
  readonly secretStore: string
  readonly secretStoreAvailable: boolean
  readonly host: 'electron' | 'browser' | null
  readonly demo: boolean
  /** Where this console's account store lives (shown on first run). */
  readonly dataDir: string | null
  /**
   * Set when another page asks for the create form ("Create New Integration" in the migration
   * wizard): the integrations page opens the form, and after saving returns to `returnTo`.
   */
  readonly createRequest: { readonly returnTo: Page | null } | null
  /** The warning banners folded to one line each (kept across pages; they unfold on a new blocker). */
  readonly bannersFolded: boolean
  readonly setBannersFolded: (folded: boolean) => void
  readonly requestCreateIntegration: (returnTo: Page | null) => void
  readonly clearCreateRequest: () => void
  /**
   * Goes to another page or item; while a leave guard is set (unsaved changes), a move off the
   * current route waits in `pendingRoute` for the admin's answer instead.
   */
  readonly navigate: (route: Partial<Route> & { page: Page }) => void
  /** Why leaving the current page would lose work ("The account settings have unsaved changes."), or null. */
  readonly leaveGuard: string | null
  readonly setLeaveGuard: (reason: string | null) => void
  /** Where the admin asked to go while the leave guard was set. */
  readonly pendingRoute: Route | null
  /** The admin's answer: leave (the work is dropped, the pending route followed) or stay. */
  readonly resolvePendingRoute: (leave: boolean) => void
  readonly notify: (kind: Notice['kind'], message: string) => void
  readonly dismissNotice: (id: number) => void
  readonly loadAppInfo: () => Promise<void>
  /** First run: add the bundled sample organisation as "Sample directory". */
  readonly addSample: () => Promise<void>
}

let nextNoticeId = 1

export function createUiSlice({ set, get, api }: SliceContext): UiSlice {
  return {
    route: { page: 'integrations', integrationId: null },
    notices: [],
    secretStore: 'the system keychain',
    secretStoreAvailable: true,
    host: null,
    demo: false,
    dataDir: null,
    createRequest: null,
    bannersFolded: false,
    setBannersFolded(folded) {
      set({ bannersFolded: folded })
    },
    requestCreateIntegration(returnTo) {
      set({ createRequest: { returnTo }, route: { page: 'integrations', integrationId: null } })
    },
    clearCreateRequest() {
      set({ createRequest: null })
    },
    navigate(route) {
      const next = { page: route.page, integrationId: route.integrationId ?? null }
      const current = get().route
      const moving = next.page !== current.page || next.integrationId !== current.integrationId
      if (get().leaveGuard && moving) set({ pendingRoute: next })
      else set({ route: next })
    },
    leaveGuard: null,
    setLeaveGuard(reason) {
      set({ leaveGuard: reason })
    },
    pendingRoute: null,
    resolvePendingRoute(leave) {
      const pending = get().pendingRoute
      if (leave && pending) set({ leaveGuard: null, pendingRoute: null, route: pending })
      else set({ pendingRoute: null })
    },
    notify(kind, message) {
      const id = nextNoticeId++
      // Keep the last 4: older ones are stale and push the page down.
      set((state) => ({ notices: [...state.notices.slice(-3), { id, kind, message }] }))
    },
    dismissNotice(id) {
      set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }))
    },
    async loadAppInfo() {
      const result = await api.invoke('app:info', {}).catch(() => null)
      if (result?.ok) set({ secretStore: result.value.secretStore, secretStoreAvailable: result.value.secretStoreAvailable, host: result.value.host, demo: result.value.demo, dataDir: result.value.dataDir })
    },
    async addSample() {
      const result = await api.invoke('app:add-sample', {})
      if (!result.ok) {
        get().notify('error', result.error.message)
        return
      }
      get().notify('success', `Added “${result.value.name}”. Choose Sync All to read it.`)
      await get().refresh()
    },
  }
}
