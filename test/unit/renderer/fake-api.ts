import type { IntegrationView } from '../../../shared/domain/integration.ts'
import type { RunSummary } from '../../../shared/domain/run.ts'
import type { AccountStatus, DeletePreview } from '../../../shared/domain/sync-views.ts'
import { DEFAULT_POLICY } from '../../../shared/domain/integration-policy.ts'
import type { IpcChannel, IpcEvent } from '../../../shared/ipc/channels.ts'
import type { IpcEventPayload, IpcRequest, IpcResponse } from '../../../shared/ipc/contract.ts'
import type { DesktopApi } from '../../../shared/ipc/desktop-api.ts'
import type { IpcResult } from '../../../shared/ipc/result.ts'

type Handler<C extends IpcChannel> = (request: IpcRequest<C>) => IpcResult<IpcResponse<C>> | Promise<IpcResult<IpcResponse<C>>>

/**
 * A DesktopApi the renderer tests inject: it answers from an in-memory account (a few channels
 * behave like the core: create, enable/disable, delete with a typed name), records every call, and
 * can push events. Channels with no handler answer `internal`, so an unexpected call shows.
 */
export function createFakeApi() {
  const calls: { channel: IpcChannel; request: unknown }[] = []
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>()
  const integrations: IntegrationView[] = []
  const runs: RunSummary[] = []
  const handlers: Partial<{ [C in IpcChannel]: Handler<C> }> = {}

  function status(): AccountStatus {
    const blockers = integrations
      .filter((integration) => integration.status === 'disabled' || integration.status === 'error')
      .map((integration) => ({ integrationId: integration.id, name: integration.name, status: integration.status, since: integration.statusSince, reason: integration.statusReason }))
    return {
      blockers,
      heldByKind: blockers.length > 0 ? { 'remove-member': 3 } : {},
      heldByReason: { blocked: blockers.length > 0 ? 3 : 0, threshold: 0 },
      thresholdHolds: [],
      running: null,
      lastRun: runs[0] ?? null,
      nextScheduledRun: null,
      internalDomainsConfigured: false,
      counts: { users: 200, groups: 20, integrations: integrations.length },
    }
  }

  const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value })
  const builtIn: Partial<{ [C in IpcChannel]: Handler<C> }> = {
    'app:info': () => ok({ version: '0.1.0', dataDir: '/tmp/x', secretStore: 'the test keychain', secretStoreAvailable: true, host: 'browser' as const, demo: false }),
    'app:add-sample': () => {
      const view = makeIntegration({ name: 'Sample directory', description: 'A sample organisation' })
      integrations.push(view)
      return ok(view)
    },
    'status:get': () => ok(status()),
    'integrations:list': () => ok(integrations.map((integration) => ({ ...integration }))),
    'integrations:create': (request) => {
      const view = makeIntegration({ name: request.name, description: request.description ?? '', hasSecret: Boolean(request.secret) })
      integrations.push(view)
      return ok(view)
    },
    'integrations:set-enabled': ({ id, enabled }) => {
      const integration = integrations.find((item) => item.id === id)
      if (!integration) return { ok: false, error: { code: 'not-found', message: `No integration “${id}”.` } }
      Object.assign(integration, { enabled, status: enabled ? 'ok' : 'disabled', statusSince: '2026-11-27T10:00:00.000Z', statusReason: enabled ? null : 'Disabled by an administrator' })
      return ok({ ...integration })
    },
    'integrations:delete-preview': ({ id }) => ok(deletePreview(id)),
    'integrations:delete': ({ id, confirmName }) => {
      const index = integrations.findIndex((item) => item.id === id)
      const integration = integrations[index]
      if (!integration) return { ok: false, error: { code: 'not-found', message: `No integration “${id}”.` } }
      if (integration.name !== confirmName) return { ok: false, error: { code: 'invalid-request', message: 'The name typed does not match the integration.' } }
      integrations.splice(index, 1)
      return ok({ deleted: true as const, preview: deletePreview(id) })
    },
    'integrations:test-draft': () => ok([{ step: 'file', label: 'Read the export file', verdict: 'pass', message: 'The file can be read.', durationMs: 3 }]),
    'runs:list': () => ok(runs),
    'held:list': () => ok({ actions: [], total: 0, approvable: 0 }),
    'integrations:names': () => ok(integrations.map((integration) => ({ id: integration.id, name: integration.name, deleted: false }))),
    'approvals:list': () => ok([]),
    'migration:list': () => ok([]),
  }

  function deletePreview(id: string): DeletePreview {
    return {
      integrationId: id,
      integrationName: integrations.find((item) => item.id === id)?.name ?? id,
      usersDemoted: ['ann@example.com', 'bob@example.com'],
      usersDeleted: [],
      membershipsRemoved: [{ group: 'Sales', member: 'ann@example.com' }],
      groupsDeleted: ['Sales'],
      membershipsOfDeletedGroups: [{ group: 'Sales', members: 4 }],
      usersStillBacked: [],
      liftsBlock: true,
      remainingBlockers: [],
      holdNote: null,
    }
  }

  const api: DesktopApi = {
    async invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
      calls.push({ channel, request })
      await Promise.resolve()
      const handler: Handler<C> | undefined = handlers[channel] ?? builtIn[channel]
      if (!handler) return { ok: false, error: { code: 'internal', message: `fake api: no handler for ${channel}` } }
      return handler(request)
    },
    on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
  }

  return {
    api,
    calls,
    integrations,
    runs,
    /** Replace one channel's answer. */
    handle<C extends IpcChannel>(channel: C, handler: Handler<C>): void {
      ;(handlers as Record<string, unknown>)[channel] = handler
    },
    emit<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void {
      for (const listener of listeners.get(event) ?? []) listener(payload)
    },
    callsTo(channel: IpcChannel) {
      return calls.filter((call) => call.channel === channel)
    },
  }
}

let nextId = 1
export function makeIntegration(overrides: Partial<IntegrationView> = {}): IntegrationView {
  const id = overrides.id ?? `int-${nextId++}`
  return {
    id,
    name: 'Sample directory',
    description: '',
    enabled: true,
    config: { type: 'ldif-file', settings: { path: '/srv/org.ldif', format: 'auto' } },
    policy: DEFAULT_POLICY,
    hasSecret: false,
    status: 'never-synced',
    statusReason: null,
    statusSince: '2026-11-27T08:00:00.000Z',
    lastSyncAt: null,
    lastOutcome: null,
    nextSyncAt: null,
    snapshot: null,
    createdAt: '2026-11-27T08:00:00.000Z',
    stagedBehind: null,
    ...overrides,
  }
}
