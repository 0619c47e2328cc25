import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { AccountSettings } from '../../shared/domain/account.ts'
import type { AuditEntry } from '../../shared/domain/audit.ts'
import { DRAFT_TEST_ID, type ConnectionStep } from '../../shared/domain/connection-test.ts'
import { changedEndpointSettings, changedSettings, endpointChangeReason } from '../../shared/domain/endpoint-settings.ts'
import { IntegrationConfigSchema, type IntegrationConfig } from '../../shared/domain/integration-config.ts'
import { DEFAULT_POLICY, IntegrationPolicySchema, type IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import { integrationLabel, type IntegrationNameEntry, type IntegrationView } from '../../shared/domain/integration.ts'
import type { RunSummary, RunTrigger } from '../../shared/domain/run.ts'
import type { JournalPage, JournalQuery } from '../../shared/domain/journal.ts'
import type { HeldAction } from '../../shared/domain/sync-action.ts'
import type { AccountStatus, DeletePreview, PlanPreview } from '../../shared/domain/sync-views.ts'
import type { IpcEvent } from '../../shared/ipc/channels.ts'
import type { IpcEventPayload } from '../../shared/ipc/contract.ts'
import { ConnectorError } from '../connectors/connector-error.ts'
import { createConnector } from '../connectors/connector-registry.ts'
import type { DirectoryConnector } from '../connectors/directory-connector.ts'
import type { SecretStore } from '../secrets/secret-store.ts'
import type { SettingsStore } from '../settings/settings-store.ts'
import { afterRunBackupDue, backupDatabaseOnline } from '../store/backup.ts'
import { createAuditStore } from '../store/audit-store.ts'
import { createHeldStore } from '../store/held-store.ts'
import { createIntegrationStore, IntegrationNotFoundError, type IntegrationRecord } from '../store/integration-store.ts'
import { quickCheck, type Db } from '../store/open-database.ts'
import { createChangeReader } from '../store/change-reader.ts'
import { createJournalStore, createJournalWriter } from '../store/journal-store.ts'
import { createRunStore } from '../store/run-store.ts'
import { SearchIndexBusyError } from '../store/user-search-index.ts'
import { createSnapshotStore } from '../store/snapshot-store.ts'
import { createMigrationStore } from '../store/migration-store.ts'
import type { IndexedSnapshotData } from '../model/indexed-snapshot.ts'
import { findBlockers } from '../sync/gate.ts'
import { attribution } from '../sync/journal-reasons.ts'
import { createSyncEngine, SyncBusyError, SyncRefusedError, type SyncScope } from '../sync/sync-engine.ts'
import { nextScheduledRun } from '../sync/schedule.ts'
import type { ApplyProbe } from '../sync/apply-probe.ts'
import type { Core } from './core-api.ts'
import { CoreError } from './core-errors.ts'

export type { Core } from './core-api.ts'
import { buildDeletePreview } from './delete-preview.ts'
import { type AccountGroupDetail, type AccountUserDetail, createDirectoryQueries, type UserFilter } from '../store/directory-queries.ts'
import { usersToCsv } from '../../shared/export/directory-csv.ts'
import { toIntegrationView } from './integration-view.ts'

export const SAMPLE_NAME = 'Sample directory'

export interface CoreOptions {
  readonly db: Db
  readonly dataDir: string
  readonly secrets: SecretStore
  readonly settings: SettingsStore
  readonly now?: () => Date
  /** Who acts, for the audit trail and approvals (the OS user by default). */
  readonly actor: string
  readonly emit?: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void
  /** The bundled sample organisation (LDIF), offered on first run. */
  readonly samplePath?: string
  /** Connector factory; tests may point it at a different build, production uses the registry. */
  readonly connectorFactory?: typeof createConnector
  /** Crash tests observe (and kill) the apply transaction through this; production passes none. */
  readonly probe?: ApplyProbe | undefined
  /**
   * Whether this process catches the users' search index up in the background (Default: true):
   * the long-lived app and browser host do; a short CLI command leaves it to them (or to
   * `dirsync index`) — see user-search-index.ts.
   */
  readonly indexSearchInBackground?: boolean
}

/**
 * The application core: every operation the console and the CLI offer, on one data directory.
 * Plain Node — the Electron shell, the browser host and the CLI are thin doors onto it.
 */
export function createCore(options: CoreOptions): Core {
  const { db, secrets, settings } = options
  const now = options.now ?? (() => new Date())
  const emit = options.emit ?? (() => undefined)
  const integrations = createIntegrationStore(db)
  const snapshots = createSnapshotStore(db)
  const runs = createRunStore(db)
  const held = createHeldStore(db)
  const journal = createJournalStore(db)
  const directory = createDirectoryQueries(db, { background: options.indexSearchInBackground !== false })
  // Users a sync in another process (the CLI) wrote wait in the search index's queue.
  directory.indexInBackground()
  const factory = options.connectorFactory ?? createConnector
  const audit = createAuditStore(db)
  const record = (event: string, subject: string, detail: unknown = {}): void => audit.append(now().toISOString(), options.actor, event, subject, detail)

  async function connect(integration: IntegrationRecord): Promise<DirectoryConnector> {
    const secret = integration.secretRef ? await secrets.get(integration.secretRef) : null
    return factory({ integrationId: integration.id, config: integration.config, secret })
  }

  const engine = createSyncEngine({
    db,
    integrations,
    snapshots,
    runs,
    held,
    settings,
    now,
    connect,
    onProgress: (progress) => emit('sync:progress', progress),
    probe: options.probe,
  })

  // A crash or kill mid-run leaves staged snapshots, an unfinished run and integrations stuck in
  // `syncing`: none of it was applied. Close them honestly; `error` keeps destructive actions
  // paused until a clean read.
  snapshots.discardAllStaged()
  runs.closeUnfinished(now().toISOString())
  for (const i of integrations.list().filter((x) => x.status === 'syncing')) {
    integrations.setStatus(i.id, 'error', 'The last sync was interrupted (the app closed or was killed) before it finished; sync again.', now().toISOString())
  }

  /** A live integration by id or name; with `deleted`, a deleted one answers too (held actions, history). */
  function resolve(idOrName: string, options: { deleted?: boolean } = {}): IntegrationRecord {
    try {
      return options.deleted ? integrations.resolveAny(idOrName) : integrations.resolve(idOrName)
    } catch (error) {
      if (error instanceof IntegrationNotFoundError) throw new CoreError('not-found', error.message)
      throw error
    }
  }

  function nextRun(): Date | null {
    const account = settings.account()
    return account.scheduleEnabled ? nextScheduledRun(account.schedule, now()) : null
  }

  function view(record: IntegrationRecord): IntegrationView {
    return toIntegrationView(record, snapshots.current(record.id), nextRun())
  }

  function changed(reason: string): void {
    emit('state:changed', { reason })
  }

  async function storeSecret(ref: string | null, secret: string | null | undefined): Promise<string | null> {
    if (secret === undefined) return ref
    if (secret === null) {
      if (ref) await secrets.delete(ref)
      return null
    }
    if (!secrets.available) throw new CoreError('forbidden', `The secret cannot be stored: no secret store is available (${secrets.description}).`)
    const next = ref ?? `integration-secret:${randomUUID()}`
    await secrets.set(next, secret)
    return next
  }

  /** An export file that is not there would put the integration in error at its first sync (and pause every destructive action). */
  function checkSource(config: IntegrationConfig): void {
    if (config.type === 'ldif-file' && !existsSync(config.settings.path)) {
      throw new CoreError('invalid-request', `The file ${config.settings.path} does not exist (on the computer that runs the sync).`)
    }
  }

  /** Runs the ladder, each step pushed as `connection-test:step`; a connector that cannot even start is one failed step, in words. */
  async function runLadder(key: string, open: () => Promise<DirectoryConnector>, onStep?: (step: ConnectionStep) => void): Promise<ConnectionStep[]> {
    const emitStep = (step: ConnectionStep): void => {
      onStep?.(step)
      emit('connection-test:step', { integrationId: key, step })
    }
    try {
      const connector = await open()
      return [...(await connector.testConnection(AbortSignal.timeout(120_000), emitStep))]
    } catch (error) {
      const message = error instanceof ConnectorError || error instanceof CoreError ? error.message : 'The connection test could not start.'
      const step: ConnectionStep = { step: 'bind', label: 'Start the connection test', verdict: 'fail', message, durationMs: 0 }
      emitStep(step)
      return [step]
    }
  }

  function checkName(name: string, exceptId?: string): void {
    if (integrations.nameTaken(name, exceptId)) throw new CoreError('conflict', `An integration is already called "${name}"; names are unique (case does not matter).`)
  }

  function toScope(scope: 'all' | { integration: string }): SyncScope {
    return scope === 'all' ? 'all' : { integrationId: resolve(scope.integration).id }
  }

  /** The integrations pausing destructive actions right now (disabled or in error). */
  function currentBlockers() {
    return findBlockers(integrations.list().map((i) => ({ ...i, deleted: false, snapshot: null })))
  }

  /** Integration id → how to name it, deleted ones as "Name (deleted)". */
  function nameMap(): Map<string, string> {
    return new Map(integrations.listAll().map((i) => [i.id, integrationLabel({ name: i.name, deleted: i.deletedAt !== null })]))
  }

  /** Each approval is journalled with the hold it lifts (who, when, why it was held). */
  function journalApprovals(approved: readonly HeldAction[], at: string): void {
    if (approved.length === 0) return
    const writer = createJournalWriter(db)
    const changes = createChangeReader(db)
    const names = nameMap()
    for (const action of approved) {
      writer.append({
        event: 'approved',
        at,
        runId: null,
        action,
        integrations: attribution(action.integrationIds, names),
        ...changes.of(action),
        reason: { hold: action.reason, text: action.reasonText, blocking: [], heldSince: action.heldSince, approvedBy: options.actor, approvedAt: at },
      })
    }
    writer.finish()
  }

  return {
    engine,
    settings,
    /** The guided migrations' own table, for the migration service built on the core. */
    migrationStore: createMigrationStore(db),

    /** An integration's current snapshot, loaded (the migration's coverage report compares two). */
    currentSnapshot(integrationId: string): IndexedSnapshotData | null {
      const info = snapshots.current(integrationId)
      return info ? snapshots.load(info.id) : null
    },
    dataDir: options.dataDir,
    secretStoreDescription: secrets.description,
    /** False in a browser host without DIRSYNC_SECRET_KEY: forms say so when they open, not at Create. */
    secretStoreAvailable: secrets.available,

    status(): AccountStatus {
      const live = integrations.list()
      const blockers = currentBlockers()
      const heldActions = held.all()
      const thresholdCounts = new Map<string, number>()
      for (const a of heldActions.filter((x) => x.reason === 'threshold')) for (const id of a.integrationIds) thresholdCounts.set(id, (thresholdCounts.get(id) ?? 0) + 1)
      const names = nameMap()
      const counts = directory.counts()
      return {
        blockers,
        heldByKind: held.countsByKind(),
        heldByReason: held.countsByReason(),
        thresholdHolds: [...thresholdCounts].map(([id, count]) => {
          const record = integrations.get(id)
          return { integrationId: id, name: names.get(id) ?? id, deleted: record?.deletedAt != null, count, limit: record?.policy.maxUnlinks ?? 'unlimited' }
        }),
        running: engine.running,
        lastRun: runs.latest(),
        nextScheduledRun: nextRun()?.toISOString() ?? null,
        internalDomainsConfigured: settings.account().internalDomains.length > 0,
        counts: { users: counts.users, groups: counts.groups, integrations: live.length },
      }
    },

    listIntegrations(): IntegrationView[] {
      return integrations.list().map(view)
    },

    getIntegration(idOrName: string): IntegrationView {
      return view(resolve(idOrName))
    },

    integrationNames(): IntegrationNameEntry[] {
      return integrations.listAll().map((i) => ({ id: i.id, name: i.name, deleted: i.deletedAt !== null }))
    },

    async createIntegration(input: { name: string; description: string; config: IntegrationConfig; policy: Partial<IntegrationPolicy>; enabled: boolean; secret?: string | null | undefined }): Promise<IntegrationView> {
      checkName(input.name)
      checkSource(input.config)
      const secretRef = await storeSecret(null, input.secret ?? undefined)
      const created = integrations.insert({ name: input.name, description: input.description, config: input.config, policy: IntegrationPolicySchema.parse({ ...DEFAULT_POLICY, ...input.policy }), enabled: input.enabled, secretRef }, now().toISOString())
      record('integration-created', created.id, { name: created.name, type: created.config.type })
      changed('integration-created')
      return view(created)
    },

    async updateIntegration(input: { id: string; name?: string | undefined; description?: string | undefined; config?: IntegrationConfig | undefined; policy?: Partial<IntegrationPolicy> | undefined; secret?: string | null | undefined }): Promise<IntegrationView> {
      const current = resolve(input.id)
      // Compare like with like: the stored configuration has its defaults filled in, so the new one
      // is parsed the same way (a caller that omits a defaulted setting has not changed it).
      if (input.config) input = { ...input, config: IntegrationConfigSchema.parse(input.config) }
      if (input.name !== undefined) checkName(input.name, current.id)
      if (input.config && input.config.type !== current.config.type) throw new CoreError('invalid-request', `The type of an integration cannot change (it is ${current.config.type}); create a new integration instead.`)
      if (input.config) checkSource(input.config)
      // A stored secret belongs to the endpoint it was entered for: re-pointing it needs the secret again.
      const endpointChanged = input.config ? changedEndpointSettings(current.config, input.config) : []
      if (endpointChanged.length > 0 && current.secretRef !== null && input.secret === undefined) throw new CoreError('invalid-request', endpointChangeReason(endpointChanged))
      const secretRef = await storeSecret(current.secretRef, input.secret)
      integrations.update(current.id, {
        name: input.name,
        description: input.description,
        config: input.config,
        policy: input.policy ? IntegrationPolicySchema.parse({ ...current.policy, ...input.policy }) : undefined,
        secretRef,
      })
      record('integration-updated', current.id, {
        fields: Object.keys(input).filter((k) => k !== 'id' && k !== 'secret' && input[k as keyof typeof input] !== undefined),
        settingsChanged: input.config ? changedSettings(current.config, input.config) : [],
        endpointChanged,
        secret: input.secret === undefined ? 'kept' : input.secret === null ? 'cleared' : 'replaced',
      })
      changed('integration-updated')
      return view(integrations.get(current.id) as IntegrationRecord)
    },

    setEnabled(idOrName: string, enabled: boolean): IntegrationView {
      const current = resolve(idOrName)
      if (current.enabled === enabled) return view(current)
      const at = now().toISOString()
      if (enabled) integrations.setEnabled(current.id, true, snapshots.current(current.id) ? 'ok' : 'never-synced', null, at)
      else integrations.setEnabled(current.id, false, 'disabled', `Disabled by ${options.actor}`, at)
      record(enabled ? 'integration-enabled' : 'integration-disabled', current.id, { name: current.name })
      changed(enabled ? 'integration-enabled' : 'integration-disabled')
      return view(integrations.get(current.id) as IntegrationRecord)
    },

    async testConnection(idOrName: string, onStep?: (step: ConnectionStep) => void): Promise<ConnectionStep[]> {
      const current = resolve(idOrName)
      return runLadder(current.id, () => connect(current), onStep)
    },

    /**
     * The same ladder on settings not saved yet (Create and Edit test before they save). `id`: an
     * existing integration, whose stored secret is used unless `secret` replaces (or null clears) it.
     */
    async testDraft(input: { id?: string | undefined; config: IntegrationConfig; secret?: string | null | undefined }): Promise<ConnectionStep[]> {
      const current = input.id ? resolve(input.id) : null
      const key = current?.id ?? DRAFT_TEST_ID
      return runLadder(key, async () => {
        checkSource(input.config)
        const stored = current?.secretRef ? await secrets.get(current.secretRef) : null
        const secret = input.secret === undefined ? stored : input.secret
        return factory({ integrationId: key, config: input.config, secret })
      })
    },

    /** First run: adds the bundled sample organisation as "Sample directory" (once). */
    async addSample(): Promise<IntegrationView> {
      if (!options.samplePath) throw new CoreError('not-found', 'This build has no bundled sample organisation.')
      const existing = integrations.list().find((i) => i.name === SAMPLE_NAME)
      if (existing) return view(existing)
      return this.createIntegration({
        name: SAMPLE_NAME,
        description: 'A sample organisation (about 200 users, 20 groups) to try the console with.',
        config: { type: 'ldif-file', settings: { path: options.samplePath, format: 'ldif' } },
        policy: {},
        enabled: true,
      })
    },

    deletePreview(idOrName: string): DeletePreview {
      return buildDeletePreview(directory, engine, resolve(idOrName), nameMap())
    },

    async deleteIntegration(idOrName: string, confirmName: string): Promise<DeletePreview> {
      const current = resolve(idOrName)
      if (confirmName.trim() !== current.name) throw new CoreError('invalid-request', `To delete it, type the integration's name exactly: "${current.name}".`)
      if (engine.running) throw new CoreError('busy', 'A sync is running; delete the integration when it has finished.')
      const preview = buildDeletePreview(directory, engine, current, nameMap())
      if (current.secretRef) await secrets.delete(current.secretRef)
      db.transaction(() => {
        integrations.markDeleted(current.id, now().toISOString())
        snapshots.dropAll(current.id)
        record('integration-deleted', current.id, { name: current.name, usersDemoted: preview.usersDemoted.length, usersDeleted: preview.usersDeleted.length })
      })()
      changed('integration-deleted')
      return preview
    },

    async runSync(scope: 'all' | { integration: string }, trigger: RunTrigger, runOptions: { full?: boolean } = {}): Promise<RunSummary> {
      try {
        const summary = await engine.run(toScope(scope), trigger, undefined, { full: runOptions.full === true })
        if (summary.outcome !== 'failed' && summary.outcome !== 'rejected' && afterRunBackupDue(options.dataDir, now(), Object.values(summary.applied).reduce((n, count) => n + count, 0))) {
          // The automatic backup that a damaged store is restored from (backup.ts; 5 kept, spaced
          // hours apart, only after runs that applied changes). The run is committed already: a
          // failed copy (disk full…) must not turn it into a failure.
          try {
            await backupDatabaseOnline(db, options.dataDir, 'after-run', now())
          } catch {
            // The next successful run tries again.
          }
        }
        emit('sync:finished', summary)
        changed('sync-finished')
        directory.indexInBackground()
        return summary
      } catch (error) {
        if (error instanceof SyncBusyError) throw new CoreError('busy', error.message)
        if (error instanceof SyncRefusedError) throw new CoreError('conflict', error.message)
        if (error instanceof Error && 'code' in error && (error.code === 'SQLITE_FULL' || error.code === 'SQLITE_IOERR_WRITE')) {
          throw new CoreError('internal', `The sync could not be saved: the disk holding the data directory (${options.dataDir}) is full or cannot be written. Nothing of this run was applied and nothing already stored was lost; free some space and sync again.`)
        }
        throw error
      }
    },

    /** Reads one integration into its snapshot without planning or applying anything. */
    async readOnly(idOrName: string, trigger: RunTrigger): Promise<RunSummary> {
      try {
        const summary = await engine.run({ integrationId: resolve(idOrName).id }, trigger, undefined, { readOnly: true })
        changed('read-only')
        return summary
      } catch (error) {
        if (error instanceof SyncBusyError) throw new CoreError('busy', error.message)
        if (error instanceof SyncRefusedError) throw new CoreError('conflict', error.message)
        throw error
      }
    },

    /**
     * What the next sync would do. By default every enabled integration in scope is read
     * read-only and the plan is made against that; `fromSnapshots` plans offline from the stored
     * snapshots (it does not see changes made in the directories since the last sync).
     */
    async preview(scope: 'all' | { integration: string }, limit: number, options: { fromSnapshots?: boolean; signal?: AbortSignal } = {}): Promise<PlanPreview> {
      if (options.fromSnapshots) return engine.preview(toScope(scope), limit)
      try {
        return await engine.previewByReading(toScope(scope), limit, options.signal)
      } catch (error) {
        if (error instanceof SyncRefusedError) throw new CoreError('conflict', error.message)
        throw error
      }
    },

    listHeld(filter: { integrationId?: string | undefined; kind?: string | undefined; reason?: string | undefined }, offset: number, limit: number) {
      const integrationId = filter.integrationId ? resolve(filter.integrationId, { deleted: true }).id : undefined
      const page = held.list({ ...filter, integrationId }, offset, limit)
      const names = nameMap()
      // Held actions are replaced only by the next run: a block lifted since (enabled, fixed,
      // deleted) is said now, not after the next sync.
      const blocking = new Set(currentBlockers().map((b) => b.integrationId))
      const reasonNow = (a: HeldAction): string =>
        a.reason === 'blocked' && !a.blockingIntegrationIds.some((id) => blocking.has(id))
          ? `No longer paused (${a.blockingIntegrationIds.map((id) => names.get(id) ?? id).join(', ')} no longer disabled or in error): it applies at the next sync, unless a deletion threshold holds it.`
          : a.reasonText
      return { ...page, actions: page.actions.map((a) => ({ ...a, reasonText: reasonNow(a), integrationNames: a.integrationIds.map((id) => names.get(id) ?? id) })) }
    },

    /** Only threshold holds can be approved; a disabled/errored block is resolved, not overridden. */
    approve(request: { actionIds: string[] } | { integrationId?: string | undefined; kind?: string | undefined }) {
      const all = held.all()
      const refused: Array<{ actionId: string; reason: string }> = []
      let chosen: HeldAction[]
      if ('actionIds' in request) {
        const byId = new Map(all.map((a) => [a.id, a]))
        chosen = []
        for (const id of request.actionIds) {
          const action = byId.get(id)
          if (!action) refused.push({ actionId: id, reason: 'This action is not held (any more): nothing to approve. Refresh the list.' })
          else chosen.push(action)
        }
      } else {
        const integrationId = request.integrationId ? resolve(request.integrationId, { deleted: true }).id : null
        chosen = all.filter((a) => (integrationId === null || a.integrationIds.includes(integrationId)) && (!request.kind || a.kind === request.kind))
      }
      const allowed = chosen.filter((a) => {
        if (a.reason === 'threshold') return true
        refused.push({ actionId: a.id, reason: `Cannot be approved: ${a.reasonText}` })
        return false
      })
      const at = now().toISOString()
      const approved = db.transaction(() => {
        const before = held.pendingApprovalIds()
        const count = held.approve(allowed, options.actor, at)
        journalApprovals(allowed.filter((a) => !before.has(a.id)), at)
        return count
      })()
      if (approved > 0) {
        record('actions-approved', 'held-actions', { count: approved, ids: allowed.slice(0, 1000).map((a) => a.id) })
        changed('actions-approved')
      }
      return { approved, refused }
    },

    approvals(offset: number, limit: number) {
      return held.approvals(offset, limit)
    },

    /** The change journal: filtered, paged, in time order (shared/domain/journal.ts). */
    journal(query: JournalQuery): JournalPage {
      // Deleted integrations too: their entries stay in the journal (and in run details).
      const integrationId = query.integrationId ? resolve(query.integrationId, { deleted: true }).id : undefined
      return journal.query({ ...query, integrationId })
    },

    /** One user's or group's history, named by any address, group name or key. */
    history(subject: string, page: { offset: number; limit: number; newestFirst: boolean }): { subject: { type: 'user' | 'group'; key: string }; page: JournalPage } {
      const found = journal.resolveSubject(subject)
      if (!found) throw new CoreError('not-found', `Nothing in the account directory or its change journal is called "${subject}". Give a user's address, or a group's name, address or key.`)
      const filter = found.type === 'user' ? { user: found.key } : { group: found.key }
      return { subject: found, page: journal.query({ ...filter, ...page }) }
    },

    runs(offset: number, limit: number) {
      return runs.list(offset, limit)
    },

    run(id: string): RunSummary {
      const found = runs.get(id)
      if (!found) throw new CoreError('not-found', `No run has the id "${id}". \`dirsync runs\` lists them.`)
      return found
    },

    directory,

    /** One user by any of its addresses: addresses with their types and the integrations behind each, the integrations backing it (by name), its groups. */
    user(address: string): AccountUserDetail {
      const found = directory.user(address)
      if (!found) {
        // Mail to a group's address or alias is recognised too: say whose it is.
        const group = directory.groupAt(address)
        if (group) throw new CoreError('not-found', `"${address}" is an address of the group ${group.name}, not of a user. \`dirsync group ${address}\` shows it.`)
        throw new CoreError('not-found', `No user of the account directory has the address "${address}". \`dirsync users --query …\` searches them.`)
      }
      const names = nameMap()
      const named = (ids: readonly string[]) => ids.map((id) => ({ id, name: names.get(id) ?? id }))
      const behind = directory.addressSources(found.user)
      return {
        ...found.user,
        sources: named(found.user.sources),
        addresses: found.user.addresses.map((a) => ({ ...a, sources: named(behind.get(a.address) ?? []) })),
        groups: found.groups.map((g) => ({ key: g.key, name: g.name, address: g.address, sources: named(g.sources) })),
      }
    },

    /** One group by key, address, alias or name, with its sources by name; with `members`, all its members (flattened, as synced) and what backs each membership. */
    group(nameOrKey: string, members: boolean): AccountGroupDetail {
      const found = directory.findGroups(nameOrKey)
      if (found.length === 0) throw new CoreError('not-found', `No group of the account directory has the key, address, alias or name "${nameOrKey}". \`dirsync groups --query …\` searches them.`)
      if (found.length > 1) throw new CoreError('conflict', `${found.length} groups are called "${nameOrKey}"; name one by its key: ${found.map((g) => g.key).join(', ')}.`)
      const group = found[0]!
      const names = nameMap()
      const named = (ids: readonly string[]) => ids.map((id) => ({ id, name: names.get(id) ?? id }))
      const detail: AccountGroupDetail = { ...group, sources: named(group.sources) }
      if (!members) return detail
      const rows = directory.members(group.key, 0, Math.max(group.memberCount, 1)).rows
      return { ...detail, members: rows.map((m) => ({ ...m, sources: named(m.sources) })) }
    },

    /** The next chunk of the filtered user list as CSV (with the header when `after` is ''), and where the next chunk starts (null at the end). */
    exportUsers(filter: UserFilter, after: string, limit: number): { csv: string; next: string | null } {
      const rows = directory.usersAfter(filter, after, limit)
      const names = nameMap()
      const csv = usersToCsv(rows, (id) => names.get(id) ?? id, after === '')
      return { csv, next: rows.length < limit ? null : (rows.at(-1)?.primaryAddress ?? null) }
    },

    /** When the directory was last changed by a sync: what "as of" means offline. */
    asOf(): string | null {
      return runs.list(0, 20).find((r) => r.finishedAt && r.outcome !== 'failed')?.finishedAt ?? null
    },

    account(): AccountSettings {
      return settings.account()
    },

    /** Brings every queued user into the search index now (`dirsync index`); how many were queued. */
    completeSearchIndex(): { indexed: number } {
      try {
        return { indexed: directory.catchUpSearchIndex() }
      } catch (error) {
        // Busy (a sync holds the store) or a failed write (disk full): searches still answer, by scanning.
        throw new CoreError(error instanceof SearchIndexBusyError ? 'busy' : 'internal', error instanceof Error ? error.message : String(error))
      }
    },

    /** The full integrity check on request (`dirsync check`): SQLite's quick_check over every page. */
    checkStore(): { ok: boolean; verdict: string } {
      const verdict = quickCheck(db)
      return { ok: verdict === 'ok', verdict }
    },

    /** The append-only audit log, newest first. */
    auditLog(filter: { event?: string | undefined; subject?: string | undefined }, offset: number, limit: number): { entries: AuditEntry[]; total: number } {
      return audit.list(filter, offset, limit)
    },

    setAccount(changes: Partial<AccountSettings>): AccountSettings {
      const next = settings.setAccount(changes)
      record('account-settings-changed', 'account', changes)
      changed('account-settings-changed')
      return next
    },
  }
}
