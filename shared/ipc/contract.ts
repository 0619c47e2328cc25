import { z } from 'zod'
import { AccountGroupSchema, AccountSettingsSchema, AccountUserSchema } from '../domain/account.ts'
import { AuditEntrySchema } from '../domain/audit.ts'
import { AccountGroupDetailSchema, AccountUserDetailSchema, UserFilterSchema } from '../domain/directory-detail.ts'
import { ConnectionStepSchema } from '../domain/connection-test.ts'
import { IntegrationConfigSchema } from '../domain/integration-config.ts'
import { IntegrationPolicySchema } from '../domain/integration-policy.ts'
import { IntegrationDescriptionSchema, IntegrationNameEntrySchema, IntegrationNameSchema, IntegrationViewSchema } from '../domain/integration.ts'
import { RunSummarySchema, SyncProgressSchema } from '../domain/run.ts'
import { ActionKindSchema, HeldActionSchema, HoldReasonSchema } from '../domain/sync-action.ts'
import { AccountStatusSchema, ApprovalSchema, DeletePreviewSchema, PlanPreviewSchema } from '../domain/sync-views.ts'
import { JournalPageSchema, JournalQuerySchema } from '../domain/journal.ts'
import { MigrationViewSchema } from '../domain/migration.ts'
import type { IpcChannel, IpcEvent } from './channels.ts'

const id = z.string().min(1, 'an integration id or name is required')
const empty = z.object({}).strict()
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) }
/** "all" or one integration (id or unique name). */
const SyncScopeSchema = z.union([z.literal('all'), z.object({ integration: id })])

/** Secrets go in, never come out: `secret` is write-only; `null` clears it. */
const secretInput = z.string().min(1).max(65536).nullable().optional()

export const AppInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  /** Where secrets are kept, in words ("Electron safeStorage (system keychain)", "encrypted file …"). */
  secretStore: z.string(),
  /** False when nothing with a secret can be saved; `secretStore` then says exactly how to enable it. */
  secretStoreAvailable: z.boolean(),
  host: z.enum(['electron', 'browser']),
  demo: z.boolean(),
})

export const ipcContract = {
  'app:info': { request: empty, response: AppInfoSchema },
  /** First run: add the bundled sample organisation as "Sample directory". */
  'app:add-sample': { request: empty, response: IntegrationViewSchema },
  'status:get': { request: empty, response: AccountStatusSchema },
  'integrations:list': { request: empty, response: z.array(IntegrationViewSchema) },
  'integrations:get': { request: z.object({ id }), response: IntegrationViewSchema },
  /** Every integration an id may name, deleted ones included, so nothing shows as a raw id. */
  'integrations:names': { request: empty, response: z.array(IntegrationNameEntrySchema) },
  'integrations:create': {
    request: z.object({
      name: IntegrationNameSchema,
      description: IntegrationDescriptionSchema.default(''),
      config: IntegrationConfigSchema,
      policy: IntegrationPolicySchema.partial().default({}),
      enabled: z.boolean().default(true),
      secret: secretInput,
    }),
    response: IntegrationViewSchema,
  },
  'integrations:update': {
    request: z.object({
      id,
      name: IntegrationNameSchema.optional(),
      description: IntegrationDescriptionSchema.optional(),
      config: IntegrationConfigSchema.optional(),
      policy: IntegrationPolicySchema.partial().optional(),
      secret: secretInput,
    }),
    response: IntegrationViewSchema,
  },
  'integrations:set-enabled': { request: z.object({ id, enabled: z.boolean() }), response: IntegrationViewSchema },
  'integrations:test': { request: z.object({ id }), response: z.array(ConnectionStepSchema) },
  /** The ladder on a form's settings before they are saved; `id` when editing (its stored secret is used unless replaced). Steps are pushed with integrationId = id or "draft". */
  'integrations:test-draft': { request: z.object({ id: id.optional(), config: IntegrationConfigSchema, secret: secretInput }), response: z.array(ConnectionStepSchema) },
  'integrations:delete-preview': { request: z.object({ id }), response: DeletePreviewSchema },
  'integrations:delete': {
    request: z.object({ id, confirmName: z.string() }),
    response: z.object({ deleted: z.literal(true), preview: DeletePreviewSchema }),
  },
  'sync:run': { request: z.object({ scope: SyncScopeSchema }), response: RunSummarySchema },
  // Reads every enabled integration in scope read-only (progress as sync:progress) unless fromSnapshots.
  'sync:preview': { request: z.object({ scope: SyncScopeSchema, limit: z.number().int().min(0).max(10000).default(200), fromSnapshots: z.boolean().default(false) }), response: PlanPreviewSchema },
  'held:list': {
    request: z.object({ integrationId: z.string().optional(), kind: ActionKindSchema.optional(), reason: HoldReasonSchema.optional(), ...page }),
    response: z.object({
      actions: z.array(HeldActionSchema.extend({ integrationNames: z.array(z.string()) })),
      total: z.number(),
      /** Of `total`, how many "approve all matching" would approve (threshold holds not yet approved). */
      approvable: z.number(),
    }),
  },
  'held:approve': {
    request: z.union([
      z.object({ actionIds: z.array(z.string()).min(1) }),
      /** Every threshold hold matching: of one integration (live or deleted, by id or name) and/or of one kind. */
      z.object({ integrationId: z.string().optional(), kind: ActionKindSchema.optional() }),
    ]),
    response: z.object({ approved: z.number(), refused: z.array(z.object({ actionId: z.string(), reason: z.string() })) }),
  },
  'approvals:list': { request: z.object({ ...page }), response: z.array(ApprovalSchema) },
  'runs:list': { request: z.object({ ...page }), response: z.array(RunSummarySchema) },
  'runs:get': { request: z.object({ id: z.string() }), response: RunSummarySchema },
  /**
   * The change journal (shared/domain/journal.ts): applied, held, approved and released actions
   * per object, filtered by run, user, group, integration, kind and event, in time order, paged.
   * A run's changes: { runId }; a user's history: { user: primaryAddress }; a group's: { group: key }.
   */
  'journal:query': { request: JournalQuerySchema, response: JournalPageSchema },
  /** The user list: a page, its total (with `capped`, a lower bound shown as "10,000+"), as of the last sync. */
  'directory:users': {
    request: UserFilterSchema.extend(page),
    response: z.object({ rows: z.array(AccountUserSchema), total: z.number(), capped: z.boolean(), asOf: z.string().nullable() }),
  },
  'directory:groups': {
    request: z.object({ query: z.string().max(200).default(''), source: z.string().max(100).nullable().default(null), ...page }),
    response: z.object({ rows: z.array(AccountGroupSchema), total: z.number(), asOf: z.string().nullable() }),
  },
  'directory:group-members': {
    request: z.object({ key: z.string(), ...page }),
    response: z.object({ rows: z.array(z.object({ address: z.string(), displayName: z.string(), sources: z.array(z.string()) })), total: z.number() }),
  },
  /** One user's page, by any of its addresses. */
  'directory:user': { request: z.object({ address: z.string().min(1).max(320) }), response: AccountUserDetailSchema },
  /** One group's page, by key (two groups may share a name; the key tells them apart). */
  'directory:group': { request: z.object({ key: z.string().min(1).max(1000) }), response: AccountGroupDetailSchema },
  /** The filtered user list as CSV, streamed a chunk at a time: `after` is the last primary address of the previous chunk ('' first). */
  'directory:export-users': {
    request: UserFilterSchema.extend({ after: z.string().max(320).default(''), limit: z.number().int().min(1).max(5000).default(5000) }),
    response: z.object({ csv: z.string(), next: z.string().nullable() }),
  },
  'account:get': { request: empty, response: AccountSettingsSchema },
  'account:set': { request: AccountSettingsSchema.partial(), response: AccountSettingsSchema },
  /** The append-only audit log, newest first; `event` and `subject` filter (subject: substring). */
  'audit:list': {
    request: z.object({ event: z.string().max(100).optional(), subject: z.string().max(200).optional(), ...page }),
    response: z.object({ entries: z.array(AuditEntrySchema), total: z.number() }),
  },
  'migration:list': { request: empty, response: z.array(MigrationViewSchema) },
  'migration:start': { request: z.object({ oldIntegration: id, newIntegration: id }), response: MigrationViewSchema },
  'migration:read-new': { request: z.object({ id: z.string() }), response: MigrationViewSchema },
  'migration:disable-old': { request: z.object({ id: z.string() }), response: MigrationViewSchema },
  'migration:coverage': { request: z.object({ id: z.string() }), response: MigrationViewSchema },
  'migration:coverage-csv': { request: z.object({ id: z.string() }), response: z.object({ fileName: z.string(), csv: z.string() }) },
  'migration:preview': { request: z.object({ id: z.string() }), response: MigrationViewSchema },
  'migration:cutover': { request: z.object({ id: z.string(), confirmName: z.string() }), response: MigrationViewSchema },
} satisfies Record<IpcChannel, { request: z.ZodType; response: z.ZodType }>

export const ipcEvents = {
  'sync:progress': SyncProgressSchema,
  'sync:finished': RunSummarySchema,
  'connection-test:step': z.object({ integrationId: z.string(), step: ConnectionStepSchema }),
  'state:changed': z.object({ reason: z.string() }),
} satisfies Record<IpcEvent, z.ZodType>

export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['request']>
export type IpcResponse<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['response']>
export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof ipcEvents)[E]>
