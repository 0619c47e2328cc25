import type { IpcChannel } from '../../shared/ipc/channels.ts'
import type { IpcRequest, IpcResponse } from '../../shared/ipc/contract.ts'
import type { DesktopApi } from '../../shared/ipc/desktop-api.ts'
import type { IpcResult } from '../../shared/ipc/result.ts'

/**
 * Invoke one channel and never throw: a transport that rejects (a bug, a closed bridge) becomes an
 * `internal` error in plain words, so every caller handles exactly one shape.
 */
export async function call<C extends IpcChannel>(api: DesktopApi, channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
  try {
    return await api.invoke(channel, request)
  } catch {
    return { ok: false, error: { code: 'internal', message: 'The console could not reach the sync service.' } }
  }
}
