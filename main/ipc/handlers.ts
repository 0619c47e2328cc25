import type { IpcChannel } from '../../shared/ipc/channels.ts'
import type { IpcParsedRequest, IpcResponse } from '../../shared/ipc/contract.ts'
import type { Core } from '../core/dirsync-core.ts'

export type Handlers = { [C in IpcChannel]: (request: IpcParsedRequest<C>) => Promise<IpcResponse<C>> | IpcResponse<C> }

export interface HostInfo {
  readonly version: string
  readonly dataDir: string
  readonly host: 'electron' | 'browser'
  readonly demo: boolean
}

/** One function per channel, each a thin call into the core (Actual's per-feature handler maps). */
export function createHandlers(core: Core, info: HostInfo): Handlers {
  return {
    'app:info': () => ({ ...info, secretStore: core.secretStoreDescription }),
    'status:get': () => core.status(),
    'integrations:list': () => core.listIntegrations(),
    'integrations:get': ({ id }) => core.getIntegration(id),
    'integrations:create': (request) => core.createIntegration(request),
    'integrations:update': (request) => core.updateIntegration(request),
    'integrations:set-enabled': ({ id, enabled }) => core.setEnabled(id, enabled),
    'integrations:test': ({ id }) => core.testConnection(id),
    'integrations:delete-preview': ({ id }) => core.deletePreview(id),
    'integrations:delete': async ({ id, confirmName }) => ({ deleted: true as const, preview: await core.deleteIntegration(id, confirmName) }),
    'sync:run': ({ scope }) => core.runSync(scope, 'manual'),
    'sync:preview': ({ scope, limit }) => core.preview(scope, limit),
    'held:list': ({ integrationId, kind, reason, offset, limit }) => core.listHeld({ integrationId, kind, reason }, offset, limit),
    'held:approve': (request) => core.approve(request),
    'approvals:list': ({ offset, limit }) => core.approvals(offset, limit),
    'runs:list': ({ offset, limit }) => core.runs(offset, limit),
    'runs:get': ({ id }) => core.run(id),
    'directory:users': ({ query, offset, limit }) => ({ ...core.directory.users(query, offset, limit), asOf: core.asOf() }),
    'directory:groups': ({ query, offset, limit }) => ({ ...core.directory.groups(query, offset, limit), asOf: core.asOf() }),
    'directory:group-members': ({ key, offset, limit }) => core.directory.members(key, offset, limit),
    'account:get': () => core.account(),
    'account:set': (request) => core.setAccount(request),
    'audit:list': ({ event, subject, offset, limit }) => core.auditLog({ event, subject }, offset, limit),
  }
}
