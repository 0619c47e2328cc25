import type { AccountSettings } from '../../shared/domain/account.ts'
import type { AuditEntry } from '../../shared/domain/audit.ts'
import type { ConnectionStep } from '../../shared/domain/connection-test.ts'
import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import type { IntegrationNameEntry, IntegrationView } from '../../shared/domain/integration.ts'
import type { JournalPage, JournalQuery } from '../../shared/domain/journal.ts'
import type { RunSummary, RunTrigger } from '../../shared/domain/run.ts'
import type { AccountStatus, Approval, DeletePreview, PlanPreview } from '../../shared/domain/sync-views.ts'
import type { IpcResponse } from '../../shared/ipc/contract.ts'
import type { IndexedSnapshotData } from '../model/indexed-snapshot.ts'
import type { SettingsStore } from '../settings/settings-store.ts'
import type { AccountGroupDetail, AccountUserDetail, DirectoryQueries, UserFilter } from '../store/directory-queries.ts'
import type { MigrationStore } from '../store/migration-store.ts'
import type { SyncEngine } from '../sync/sync-engine.ts'

/** "all", or one integration by id or unique name. */
export type CoreScope = 'all' | { integration: string }

/** Integrations: create, edit, enable, test, delete (with its preview). */
export interface CoreIntegrations {
  listIntegrations(): IntegrationView[]
  getIntegration(idOrName: string): IntegrationView
  integrationNames(): IntegrationNameEntry[]
  createIntegration(input: { name: string; description: string; config: IntegrationConfig; policy: Partial<IntegrationPolicy>; enabled: boolean; secret?: string | null | undefined }): Promise<IntegrationView>
  updateIntegration(input: { id: string; name?: string | undefined; description?: string | undefined; config?: IntegrationConfig | undefined; policy?: Partial<IntegrationPolicy> | undefined; secret?: string | null | undefined }): Promise<IntegrationView>
  setEnabled(idOrName: string, enabled: boolean): IntegrationView
  testConnection(idOrName: string, onStep?: (step: ConnectionStep) => void): Promise<ConnectionStep[]>
  testDraft(input: { id?: string | undefined; config: IntegrationConfig; secret?: string | null | undefined }): Promise<ConnectionStep[]>
  addSample(): Promise<IntegrationView>
  deletePreview(idOrName: string): DeletePreview
  deleteIntegration(idOrName: string, confirmName: string): Promise<DeletePreview>
}

/** Runs: sync, read without applying, preview; run history. */
export interface CoreSync {
  readonly engine: SyncEngine
  /** `full`: plan the whole account even when the dirty set bounds the change (`sync --full`). */
  runSync(scope: CoreScope, trigger: RunTrigger, options?: { full?: boolean }): Promise<RunSummary>
  readOnly(idOrName: string, trigger: RunTrigger): Promise<RunSummary>
  preview(scope: CoreScope, limit: number, options?: { fromSnapshots?: boolean; signal?: AbortSignal }): Promise<PlanPreview>
  runs(offset: number, limit: number): RunSummary[]
  run(id: string): RunSummary
}

/** Held actions and their approvals. */
export interface CoreHeld {
  listHeld(filter: { integrationId?: string | undefined; kind?: string | undefined; reason?: string | undefined }, offset: number, limit: number): IpcResponse<'held:list'>
  approve(request: { actionIds: string[] } | { integrationId?: string | undefined; kind?: string | undefined }): { approved: number; refused: Array<{ actionId: string; reason: string }> }
  approvals(offset: number, limit: number): Approval[]
}

/** What happened: the change journal and the audit log. */
export interface CoreHistory {
  journal(query: JournalQuery): JournalPage
  history(subject: string, page: { offset: number; limit: number; newestFirst: boolean }): { subject: { type: 'user' | 'group'; key: string }; page: JournalPage }
  auditLog(filter: { event?: string | undefined; subject?: string | undefined }, offset: number, limit: number): { entries: AuditEntry[]; total: number }
}

/** The account directory as last synced, offline. */
export interface CoreDirectory {
  readonly directory: DirectoryQueries
  user(address: string): AccountUserDetail
  group(nameOrKey: string, members: boolean): AccountGroupDetail
  /** The filtered user list as CSV, a chunk at a time after a primary address ('' = from the start, with the header). */
  exportUsers(filter: UserFilter, after: string, limit: number): { csv: string; next: string | null }
  asOf(): string | null
  /** An integration's current snapshot, loaded (the migration's coverage report compares two). */
  currentSnapshot(integrationId: string): IndexedSnapshotData | null
}

/** The account: status, settings, the store's own health. */
export interface CoreAccount {
  readonly settings: SettingsStore
  readonly dataDir: string
  readonly secretStoreDescription: string
  readonly secretStoreAvailable: boolean
  /** The guided migrations' own table, for the migration service built on the core. */
  readonly migrationStore: MigrationStore
  status(): AccountStatus
  account(): AccountSettings
  setAccount(changes: Partial<AccountSettings>): AccountSettings
  checkStore(): { ok: boolean; verdict: string }
  /** Brings every user the last runs queued into the directory's search index now; how many were queued. */
  completeSearchIndex(): { indexed: number }
}

/**
 * The application core: every operation the console, the browser host and the CLI offer, on one
 * data directory, grouped by use case. No database handle leaves it: SQL stays in main/store.
 */
export interface Core extends CoreIntegrations, CoreSync, CoreHeld, CoreHistory, CoreDirectory, CoreAccount {}
