import type { IpcChannel, IpcEvent } from './channels.ts'
import type { IpcEventPayload, IpcRequest, IpcResponse } from './contract.ts'
import type { IpcResult } from './result.ts'

/**
 * The one surface the renderer sees, whatever carries it: the preload bridge inside Electron,
 * HTTP + server-sent events in the browser host. One argument per call (VS Code's rule).
 */
export interface DesktopApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void
}
