import { randomUUID } from 'node:crypto'
import type { CutoverResult, MigrationStep, MigrationView } from '../../shared/domain/migration.ts'
import type { DeletePreview } from '../../shared/domain/sync-views.ts'
import type { CoverageReport } from '../../shared/domain/migration.ts'
import { CoreError } from '../core/core-errors.ts'
import type { Core } from '../core/dirsync-core.ts'
import type { MigrationRecord } from '../store/migration-store.ts'
import { buildCoverageReport } from './coverage-report.ts'

interface MigrationState {
  oldIntegrationName: string
  newIntegrationName: string
  oldDisabledForWindow: boolean
  newReadAt: string | null
  coverage: CoverageReport | null
  preview: DeletePreview | null
  result: CutoverResult | null
}

/**
 * A guided move from one directory to another, saved at every step so leaving the wizard (or
 * restarting the app) comes back to the same place: pick → read the new one without applying →
 * coverage → cut-over preview → cut-over (delete old, run, compare with the preview).
 *
 * From `start` until the cut-over the new integration is staged (the integration store derives it
 * from the open migration): every sync reads it, none applies it, so a Sync All or the schedule
 * mid-migration changes nothing from the new directory before its coverage was reviewed.
 */
export function createMigrationService(core: Core, now: () => Date = () => new Date()) {
  const store = core.migrationStore

  const toView = (record: MigrationRecord): MigrationView => {
    const state = JSON.parse(record.state) as MigrationState
    return { id: record.id, oldIntegrationId: record.oldIntegrationId, newIntegrationId: record.newIntegrationId, step: record.step, ...state, createdAt: record.createdAt, updatedAt: record.updatedAt }
  }
  const load = (id: string): MigrationView => {
    const row = store.find(id)
    if (!row) throw new CoreError('not-found', `No migration has the id "${id}". \`dirsync migrate list\` shows them.`)
    return toView(row)
  }
  const save = (view: MigrationView, step: MigrationStep, changes: Partial<MigrationState>): MigrationView => {
    const state: MigrationState = {
      oldIntegrationName: view.oldIntegrationName,
      newIntegrationName: view.newIntegrationName,
      oldDisabledForWindow: view.oldDisabledForWindow,
      newReadAt: view.newReadAt,
      coverage: view.coverage,
      preview: view.preview,
      result: view.result,
      ...changes,
    }
    store.update(view.id, step, JSON.stringify(state), now().toISOString())
    return load(view.id)
  }
  const snapshotOf = (integrationId: string, what: string) => {
    const snapshot = core.currentSnapshot(integrationId)
    if (!snapshot) throw new CoreError('conflict', `${what} has no snapshot yet: read it first.`)
    return snapshot
  }

  return {
    list(): MigrationView[] {
      return store.list().map(toView)
    },

    get: load,

    start(oldIdOrName: string, newIdOrName: string): MigrationView {
      const old = core.getIntegration(oldIdOrName)
      const next = core.getIntegration(newIdOrName)
      if (old.id === next.id) throw new CoreError('invalid-request', 'The old and the new integration must be different.')
      const open = openFor(old.id)
      if (open) return open
      // Staging withdraws an integration's contribution: one that already backs users would see
      // them demoted or deleted at the next sync. A migration target has to be new to the account.
      const backed = core.directory.usersBackedBy(next.id).length
      if (backed > 0) {
        throw new CoreError(
          'conflict',
          `${next.name} already backs ${backed.toLocaleString('en')} ${backed === 1 ? 'user' : 'users'} of the account, so it cannot be staged as the new directory (staging would withdraw them). Create a new integration for the new directory and migrate to that one.`,
        )
      }
      const id = randomUUID()
      const at = now().toISOString()
      const state: MigrationState = { oldIntegrationName: old.name, newIntegrationName: next.name, oldDisabledForWindow: false, newReadAt: null, coverage: null, preview: null, result: null }
      store.insert({ id, oldIntegrationId: old.id, newIntegrationId: next.id, step: 'read-new', state: JSON.stringify(state), createdAt: at })
      return load(id)
    },

    /** Reads the new integration into its snapshot; nothing is planned or applied. */
    async readNew(id: string): Promise<MigrationView> {
      const view = load(id)
      const run = await core.readOnly(view.newIntegrationId, 'migration')
      const read = run.reads[0]
      if (!read || read.outcome !== 'read') throw new CoreError('connector', `Reading ${view.newIntegrationName} failed: ${read?.message ?? 'unknown reason'}`)
      return save(view, 'coverage', { newReadAt: run.finishedAt })
    },

    /** Pauses destructive actions account-wide for the window by disabling the old integration. */
    disableOld(id: string): MigrationView {
      const view = load(id)
      core.setEnabled(view.oldIntegrationId, false)
      return save(view, view.step, { oldDisabledForWindow: true })
    },

    coverage(id: string): MigrationView {
      const view = load(id)
      const report = buildCoverageReport(snapshotOf(view.oldIntegrationId, view.oldIntegrationName), snapshotOf(view.newIntegrationId, view.newIntegrationName))
      return save(view, view.step === 'coverage' || view.step === 'read-new' ? 'cutover-preview' : view.step, { coverage: report })
    },

    /** Exactly what deleting the old integration would do at the next sync, thresholds applied. */
    cutoverPreview(id: string): MigrationView {
      const view = load(id)
      const preview = core.deletePreview(view.oldIntegrationId)
      return save(view, view.step === 'done' ? 'done' : 'cutover', { preview })
    },

    /** Sync the new one, delete the old one (typed confirmation), run, and compare with the preview. */
    async cutover(id: string, confirmName: string): Promise<MigrationView> {
      const view = load(id)
      if (!view.preview) throw new CoreError('conflict', 'Look at the cut-over preview first (`dirsync migrate preview`).')
      if (confirmName.trim() !== view.oldIntegrationName) throw new CoreError('invalid-request', `To cut over, type the old integration's name exactly: "${view.oldIntegrationName}".`)
      const before = new Set(core.directory.userAddresses('live'))
      // Deleting the old integration releases the staged new one: the same run applies both (the
      // preview was planned exactly so, see `planWithout`).
      const preview = await core.deleteIntegration(view.oldIntegrationId, confirmName)
      const run = await core.runSync('all', 'migration')
      const demoted = core.directory.userAddresses('demoted').filter((a) => before.has(a))
      const deleted = core.directory.userAddresses('deleted').filter((a) => before.has(a))
      const expectedDemoted = new Set(view.preview.usersDemoted)
      const expectedDeleted = new Set(view.preview.usersDeleted)
      const differences: string[] = []
      for (const a of demoted) if (!expectedDemoted.has(a)) differences.push(`${a} was demoted but the preview did not say so`)
      for (const a of expectedDemoted) if (!demoted.includes(a)) differences.push(`${a} was to be demoted but was not (held or covered)`)
      for (const a of deleted) if (!expectedDeleted.has(a)) differences.push(`${a} was deleted but the preview did not say so`)
      for (const a of expectedDeleted) if (!deleted.includes(a)) differences.push(`${a} was to be deleted but was not`)
      const removed = run.applied['remove-member'] ?? 0
      if (removed !== view.preview.membershipsRemoved.length) differences.push(`${removed} memberships were removed; the preview said ${view.preview.membershipsRemoved.length}`)
      const heldNow = Object.values(run.held).reduce((a, b) => a + b, 0)
      if (heldNow > 0) differences.push(`${heldNow} action(s) were held at the cut-over run (see Held actions): ${Object.entries(run.held).map(([k, n]) => `${k} ${n}`).join(', ')}`)
      const result: CutoverResult = {
        runIds: [run.id],
        preview,
        actual: { usersDemoted: demoted.sort(), usersDeleted: deleted.sort(), membershipsRemoved: removed, groupsDeleted: [] },
        differences,
      }
      return save(view, 'done', { result })
    },
  }

  function openFor(oldId: string): MigrationView | null {
    const row = store.openFor(oldId)
    return row ? toView(row) : null
  }
}
export type MigrationService = ReturnType<typeof createMigrationService>
