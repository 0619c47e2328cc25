import { IPC_EVENTS, type IpcChannel, type IpcEvent } from '../../shared/ipc/channels.ts'
import type { DesktopApi } from '../../shared/ipc/desktop-api.ts'
import type { IpcEventPayload, IpcRequest, IpcResponse } from '../../shared/ipc/contract.ts'
import type { IpcResult } from '../../shared/ipc/result.ts'

/**
 * The browser host carries the same contract over HTTP: POST /api/invoke/<channel> with the
 * request as JSON, answered with an IpcResult; push events arrive as server-sent events on
 * /api/events. The session cookie (set when the tokenised URL was opened) and the page token the
 * host wrote into the page authenticate together; the custom headers make every call a
 * non-simple request, so another origin cannot forge one.
 */
export function createBrowserTransport(base = ''): DesktopApi {
  const pageToken = document.querySelector('meta[name="dirsync-page-token"]')?.getAttribute('content') ?? ''
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>()
  let source: EventSource | null = null

  function connect(): void {
    if (source) return
    source = new EventSource(`${base}/api/events?page=${encodeURIComponent(pageToken)}`, { withCredentials: true })
    for (const name of IPC_EVENTS) {
      source.addEventListener(name, (event: MessageEvent<string>) => {
        const payload: unknown = JSON.parse(event.data)
        for (const listener of listeners.get(name) ?? []) listener(payload)
      })
    }
  }

  return {
    async invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
      try {
        const response = await fetch(`${base}/api/invoke/${channel}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'x-dirsync-request': '1', 'x-dirsync-page': pageToken },
          body: JSON.stringify(request),
        })
        if (response.status === 401) {
          return { ok: false, error: { code: 'unauthorized', message: 'This console session has expired. Open the address printed by `npm run serve` again.' } }
        }
        return (await response.json()) as IpcResult<IpcResponse<C>>
      } catch {
        return { ok: false, error: { code: 'internal', message: 'The console lost its connection to the sync service. Is it still running?' } }
      }
    },
    on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
      connect()
      const set = listeners.get(event) ?? new Set()
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      listeners.set(event, set)
      return () => set.delete(wrapped)
    },
  }
}
