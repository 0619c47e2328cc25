import type { DesktopApi } from '../../shared/ipc/desktop-api.ts'
import { createBrowserTransport } from './browser-transport.ts'

declare global {
  interface Window {
    /** Present inside Electron: exposed by the preload through contextBridge. */
    readonly api?: DesktopApi
  }
}

/** The one module that reaches the core: the preload bridge inside Electron, HTTP otherwise. */
export const api: DesktopApi = window.api ?? createBrowserTransport()
