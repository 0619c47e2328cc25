import { ipcMain, type WebContents } from 'electron'
import { IPC_CHANNELS } from '../../shared/ipc/channels.ts'
import { fail } from '../../shared/ipc/result.ts'
import { dispatch } from '../ipc/dispatch.ts'
import type { Handlers } from '../ipc/handlers.ts'
import { isTrustedSender } from './trusted-sender.ts'

/**
 * The only place `ipcMain.handle` appears. This is the equivalent of the browser host's
 * POST /api/invoke: sender checked, request parsed from `unknown`, errors returned as data.
 */
export function registerIpc(handlers: Handlers, trusted: ReadonlySet<WebContents>, onUnexpected: (error: unknown) => void): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, raw: unknown) => {
      if (!isTrustedSender(event, trusted)) return fail('forbidden', 'Request refused: it did not come from the console window.')
      return dispatch(handlers, channel, raw, onUnexpected)
    })
  }
}
