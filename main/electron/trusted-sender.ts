import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { APP_ORIGIN } from './app-protocol.ts'

/**
 * Electron's checklist: validate the sender of every IPC message. Only the main window's own
 * top frame, showing our own bundled page, may call the contract.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, trusted: ReadonlySet<WebContents>): boolean {
  const frame = event.senderFrame
  if (!frame || !trusted.has(event.sender) || frame.parent !== null) return false
  try {
    const url = new URL(frame.url)
    // Node's URL gives a custom scheme the origin "null": compare scheme and host instead.
    return `${url.protocol}//${url.host}` === APP_ORIGIN || (process.env['ELECTRON_RENDERER_URL'] !== undefined && url.origin === new URL(process.env['ELECTRON_RENDERER_URL']).origin)
  } catch {
    return false
  }
}
