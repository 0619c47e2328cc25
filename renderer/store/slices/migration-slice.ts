import type { MigrationView } from '../../../shared/domain/migration.ts'
import type { IpcResponse } from '../../../shared/ipc/contract.ts'
import type { IpcResult } from '../../../shared/ipc/result.ts'
import { call } from '../call.ts'
import { NOT_LOADED, type Loadable, type SliceContext } from '../types.ts'

/** The wizard's five steps, as the admin sees them (the core's steps say what comes next). */
export type WizardStep = 'pick' | 'read' | 'coverage' | 'preview' | 'cutover'

/** What the wizard is doing right now; one at a time (buttons are disabled meanwhile). */
export type MigrationWork = 'start' | 'read-new' | 'disable-old' | 'coverage' | 'preview' | 'cutover' | 'export'

export interface MigrationSlice {
  /** Every migration the core keeps, newest first (open and finished). */
  readonly migrations: readonly MigrationView[]
  readonly migrationsState: Loadable
  /**
   * The migration the wizard shows: the open one (found again after leaving the wizard or a
   * reload), or one that has just finished until the admin closes its result. Null: step 1.
   */
  readonly activeMigrationId: string | null
  /** Old and new picked in step 1 before the migration exists; kept while the admin creates the new one. */
  readonly migrationDraft: { readonly oldId: string | null; readonly newId: string | null }
  readonly migrationWork: MigrationWork | null
  /** Plain-language message of the last failed step, cleared by the next attempt. */
  readonly migrationError: string | null
  /**
   * Migrations whose cut-over step (5) the admin has opened after the preview (4). Both are the
   * core's `cutover` step; remembered for the session (and a reload) so the wizard returns there.
   */
  readonly cutoverOpened: ReadonlySet<string>
  readonly loadMigrations: () => Promise<void>
  readonly setMigrationDraft: (draft: Partial<MigrationSlice['migrationDraft']>) => void
  readonly startMigration: () => Promise<void>
  readonly readNewForMigration: () => Promise<void>
  readonly disableOldForMigration: () => Promise<void>
  readonly computeCoverage: () => Promise<void>
  readonly computeCutoverPreview: () => Promise<void>
  readonly openCutover: (open: boolean) => void
  readonly cutOver: (confirmName: string) => Promise<boolean>
  readonly exportCoverageCsv: () => Promise<IpcResult<IpcResponse<'migration:coverage-csv'>>>
  /** Close a finished migration's result: the wizard goes back to step 1. */
  readonly closeMigration: () => void
  /** Show a migration (a finished one's result, from the list under step 1). */
  readonly showMigration: (id: string) => void
}

/** sessionStorage key of `cutoverOpened`; session-scoped because it is a view choice, not state. */
const CUTOVER_OPENED_KEY = 'dirsync.migration.cutover-opened'

function readCutoverOpened(): ReadonlySet<string> {
  try {
    const raw = globalThis.sessionStorage?.getItem(CUTOVER_OPENED_KEY)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    return new Set(Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [])
  } catch {
    return new Set()
  }
}

function writeCutoverOpened(ids: ReadonlySet<string>): void {
  try {
    globalThis.sessionStorage?.setItem(CUTOVER_OPENED_KEY, JSON.stringify([...ids]))
  } catch {
    // Storage may be unavailable (privacy settings); the wizard then returns to step 4 instead of 5.
  }
}

/** The open migration: at most one per old integration; the newest first if there are several. */
export function openMigration(migrations: readonly MigrationView[]): MigrationView | null {
  return migrations.find((migration) => migration.step !== 'done') ?? null
}

/** Which of the five steps the wizard shows for a migration in the core's `step`. */
export function wizardStepOf(migration: MigrationView | null, cutoverOpened: ReadonlySet<string>): WizardStep {
  if (!migration) return 'pick'
  switch (migration.step) {
    case 'pick':
      return 'pick'
    case 'read-new':
      return 'read'
    case 'coverage':
    case 'cutover-preview':
      return 'coverage'
    case 'cutover':
      return cutoverOpened.has(migration.id) ? 'cutover' : 'preview'
    case 'done':
      return 'cutover'
  }
}

export function createMigrationSlice({ set, get, api }: SliceContext): MigrationSlice {
  const active = (): MigrationView | null => get().migrations.find((migration) => migration.id === get().activeMigrationId) ?? null

  /** Put the core's answer in the list (the core owns the truth), or keep its error in plain words. */
  async function step(work: MigrationWork, invoke: (migration: MigrationView) => Promise<IpcResult<MigrationView>>): Promise<boolean> {
    const migration = active()
    if (!migration || get().migrationWork) return false
    set({ migrationWork: work, migrationError: null })
    const result = await invoke(migration)
    set({ migrationWork: null })
    if (!result.ok) {
      set({ migrationError: result.error.message })
      return false
    }
    receive(result.value)
    return true
  }

  function receive(view: MigrationView): void {
    set((state) => {
      const others = state.migrations.filter((migration) => migration.id !== view.id)
      return { migrations: [view, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), activeMigrationId: view.id }
    })
  }

  return {
    migrations: [],
    migrationsState: NOT_LOADED,
    activeMigrationId: null,
    migrationDraft: { oldId: null, newId: null },
    migrationWork: null,
    migrationError: null,
    cutoverOpened: readCutoverOpened(),
    async loadMigrations() {
      set((state) => ({ migrationsState: { ...state.migrationsState, loading: !state.migrationsState.loaded } }))
      const result = await call(api, 'migration:list', {})
      if (!result.ok) {
        set((state) => ({ migrationsState: { ...state.migrationsState, loading: false, error: result.error.message } }))
        return
      }
      set((state) => {
        // Keep showing the migration the wizard shows (even once done); else open the open one.
        const kept = result.value.some((migration) => migration.id === state.activeMigrationId) ? state.activeMigrationId : null
        return {
          migrations: result.value,
          migrationsState: { loaded: true, loading: false, error: null },
          activeMigrationId: kept ?? openMigration(result.value)?.id ?? null,
        }
      })
    },
    setMigrationDraft(draft) {
      set((state) => ({ migrationDraft: { ...state.migrationDraft, ...draft } }))
    },
    async startMigration() {
      const { oldId, newId } = get().migrationDraft
      if (!oldId || !newId || get().migrationWork) return
      set({ migrationWork: 'start', migrationError: null })
      const result = await call(api, 'migration:start', { oldIntegration: oldId, newIntegration: newId })
      set({ migrationWork: null })
      if (!result.ok) {
        set({ migrationError: result.error.message })
        return
      }
      receive(result.value)
      set({ migrationDraft: { oldId: null, newId: null } })
    },
    async readNewForMigration() {
      const read = await step('read-new', (migration) => call(api, 'migration:read-new', { id: migration.id }))
      // The read has ended either way: no live progress may linger (it would keep Sync All disabled).
      if (!get().syncRequested) set({ progress: null })
      if (read) {
        // The new directory was read; the coverage report follows at once (it only compares snapshots).
        await get().computeCoverage()
      }
    },
    async disableOldForMigration() {
      if (await step('disable-old', (migration) => call(api, 'migration:disable-old', { id: migration.id }))) {
        get().notify('info', 'The old integration is disabled: destructive actions are paused for all integrations until the cut-over deletes it.')
        await get().refresh()
      }
    },
    async computeCoverage() {
      await step('coverage', (migration) => call(api, 'migration:coverage', { id: migration.id }))
    },
    async computeCutoverPreview() {
      await step('preview', (migration) => call(api, 'migration:preview', { id: migration.id }))
    },
    openCutover(open) {
      const id = get().activeMigrationId
      if (!id) return
      const next = new Set(get().cutoverOpened)
      if (open) next.add(id)
      else next.delete(id)
      writeCutoverOpened(next)
      set({ cutoverOpened: next })
    },
    async cutOver(confirmName) {
      const done = await step('cutover', (migration) => call(api, 'migration:cutover', { id: migration.id, confirmName }))
      if (!get().syncRequested) set({ progress: null })
      if (done) {
        const view = active()
        const differences = view?.result?.differences.length ?? 0
        get().notify(differences === 0 ? 'success' : 'error', differences === 0 ? 'Cut-over finished: the result is identical to the preview.' : `Cut-over finished with ${differences} difference(s) from the preview.`)
      }
      await Promise.all([get().refresh(), get().loadRuns()])
      return done
    },
    async exportCoverageCsv() {
      const migration = active()
      if (!migration) return { ok: false, error: { code: 'not-found', message: 'No migration is open.' } }
      set({ migrationWork: 'export', migrationError: null })
      const result = await call(api, 'migration:coverage-csv', { id: migration.id })
      set({ migrationWork: null, migrationError: result.ok ? null : result.error.message })
      return result
    },
    closeMigration() {
      const id = get().activeMigrationId
      if (id && get().cutoverOpened.has(id)) {
        const next = new Set(get().cutoverOpened)
        next.delete(id)
        writeCutoverOpened(next)
        set({ cutoverOpened: next })
      }
      set({ activeMigrationId: null, migrationError: null })
    },
    showMigration(id) {
      set({ activeMigrationId: id, migrationError: null })
    },
  }
}
