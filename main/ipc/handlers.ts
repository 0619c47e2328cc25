import type { IpcChannel } from '../../shared/ipc/channels.ts'
import type { IpcParsedRequest, IpcResponse } from '../../shared/ipc/contract.ts'
import type { Core } from '../core/dirsync-core.ts'
import { CoreError } from '../core/core-errors.ts'
import { coverageToCsv } from '../migration/coverage-report.ts'
import { createMigrationService } from '../migration/migration-service.ts'

export type Handlers = { [C in IpcChannel]: (request: IpcParsedRequest<C>) => Promise<IpcResponse<C>> | IpcResponse<C> }

export interface HostInfo {
  readonly version: string
  readonly dataDir: string
  readonly host: 'electron' | 'browser'
  readonly demo: boolean
}

/** One function per channel, each a thin call into the core (Actual's per-feature handler maps). */
export function createHandlers(core: Core, info: HostInfo): Handlers {
  const migrations = createMigrationService(core)
  return {
    'app:info': () => ({ ...info, secretStore: core.secretStoreDescription, secretStoreAvailable: core.secretStoreAvailable }),
    'app:add-sample': () => core.addSample(),
    'status:get': () => core.status(),
    'integrations:list': () => core.listIntegrations(),
    'integrations:get': ({ id }) => core.getIntegration(id),
    'integrations:names': () => core.integrationNames(),
    'integrations:create': (request) => core.createIntegration(request),
    'integrations:update': (request) => core.updateIntegration(request),
    'integrations:set-enabled': ({ id, enabled }) => core.setEnabled(id, enabled),
    'integrations:test': ({ id }) => core.testConnection(id),
    'integrations:test-draft': (request) => core.testDraft(request),
    'integrations:delete-preview': ({ id }) => core.deletePreview(id),
    'integrations:delete': async ({ id, confirmName }) => ({ deleted: true as const, preview: await core.deleteIntegration(id, confirmName) }),
    'sync:run': ({ scope }) => core.runSync(scope, 'manual'),
    'sync:preview': ({ scope, limit, fromSnapshots }) => core.preview(scope, limit, { fromSnapshots }),
    'held:list': ({ integrationId, kind, reason, offset, limit }) => core.listHeld({ integrationId, kind, reason }, offset, limit),
    'held:approve': (request) => core.approve(request),
    'approvals:list': ({ offset, limit }) => core.approvals(offset, limit),
    'runs:list': ({ offset, limit }) => core.runs(offset, limit),
    'runs:get': ({ id }) => core.run(id),
    'journal:query': (query) => core.journal(query),
    'directory:users': ({ query, source, addressType, offset, limit }) => ({ ...core.directory.searchUsers({ query, source, addressType }, offset, limit), asOf: core.asOf() }),
    'directory:groups': ({ query, source, offset, limit }) => ({ ...core.directory.groups(query, offset, limit, source), asOf: core.asOf() }),
    'directory:group-members': ({ key, offset, limit }) => core.directory.members(key, offset, limit),
    'directory:user': ({ address }) => core.user(address),
    'directory:group': ({ key }) => core.group(key, false),
    'directory:export-users': ({ query, source, addressType, after, limit }) => core.exportUsers({ query, source, addressType }, after, limit),
    'account:get': () => core.account(),
    'account:set': (request) => core.setAccount(request),
    'migration:list': () => migrations.list(),
    'migration:start': ({ oldIntegration, newIntegration }) => migrations.start(oldIntegration, newIntegration),
    'migration:read-new': ({ id }) => migrations.readNew(id),
    'migration:disable-old': ({ id }) => migrations.disableOld(id),
    'migration:coverage': ({ id }) => migrations.coverage(id),
    'migration:coverage-csv': ({ id }) => {
      const view = migrations.get(id)
      if (!view.coverage) throw new CoreError('conflict', 'Build the coverage report first.')
      return { fileName: `coverage-${view.oldIntegrationName}-to-${view.newIntegrationName}.csv`.replace(/[^\w.-]+/g, '-'), csv: coverageToCsv(view.coverage) }
    },
    'migration:preview': ({ id }) => migrations.cutoverPreview(id),
    'migration:cutover': ({ id, confirmName }) => migrations.cutover(id, confirmName),
    'audit:list': ({ event, subject, offset, limit }) => core.auditLog({ event, subject }, offset, limit),
  }
}
