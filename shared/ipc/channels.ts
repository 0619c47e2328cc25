/**
 * Channel and event names only — no zod here, so the sandboxed preload can bundle this file and
 * nothing else. The schemas for each name live in contract.ts.
 */
export const IPC_CHANNELS = [
  'app:info',
  'app:add-sample',
  'status:get',
  'integrations:list',
  'integrations:get',
  'integrations:names',
  'integrations:create',
  'integrations:update',
  'integrations:set-enabled',
  'integrations:test',
  'integrations:test-draft',
  'integrations:delete-preview',
  'integrations:delete',
  'sync:run',
  'sync:preview',
  'held:list',
  'held:approve',
  'approvals:list',
  'runs:list',
  'runs:get',
  'journal:query',
  'directory:users',
  'directory:groups',
  'directory:group-members',
  'directory:user',
  'directory:group',
  'directory:export-users',
  'account:get',
  'account:set',
  'audit:list',
  'migration:list',
  'migration:start',
  'migration:read-new',
  'migration:disable-old',
  'migration:coverage',
  'migration:coverage-csv',
  'migration:preview',
  'migration:cutover',
] as const
export type IpcChannel = (typeof IPC_CHANNELS)[number]

export const IPC_EVENTS = ['sync:progress', 'sync:finished', 'connection-test:step', 'state:changed'] as const
export type IpcEvent = (typeof IPC_EVENTS)[number]

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (IPC_CHANNELS as readonly string[]).includes(value)
}

export function isIpcEvent(value: unknown): value is IpcEvent {
  return typeof value === 'string' && (IPC_EVENTS as readonly string[]).includes(value)
}
