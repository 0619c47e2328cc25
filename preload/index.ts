import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isIpcChannel, isIpcEvent } from '../shared/ipc/channels.ts'

/**
 * Exactly the contract, nothing generic: invoke only known channels, listen only to known
 * events, and the Electron event object never reaches the page. Validation of payloads happens
 * in the main process (this file stays tiny and zod-free so the sandbox can load it).
 */
const api = {
  invoke: (channel: unknown, request: unknown): Promise<unknown> =>
    isIpcChannel(channel) ? ipcRenderer.invoke(channel, request) : Promise.resolve({ ok: false, error: { code: 'invalid-request', message: 'Unknown request.' } }),
  on: (event: unknown, listener: (payload: unknown) => void): (() => void) => {
    if (!isIpcEvent(event)) return () => undefined
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => {
      ipcRenderer.removeListener(event, wrapped)
    }
  },
}

contextBridge.exposeInMainWorld('api', api)
