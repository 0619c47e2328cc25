import { join } from 'node:path'
import { BrowserWindow, dialog, session } from 'electron'
import { APP_PAGE_URL } from './app-protocol.ts'

export interface MainWindowOptions {
  /** The electron-vite dev server, in development only; packaged: none, the page comes from app://. */
  readonly devServerUrl: string | undefined
  /** DevTools can be opened (Default: false; on only when the app is not packaged). */
  readonly devTools: boolean
}

/**
 * The console window: context isolation, sandbox, no Node integration, no remote content, the
 * page from app:// (app-protocol.ts), permission requests denied. Navigation and new windows are
 * denied app-wide (web-contents-guard.ts).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  const window = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: 'Directory Sync Console',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  })
  window.once('ready-to-show', () => window.show())
  // The page cancels its unload while it holds unsaved changes (Settings); Electron then closes
  // nothing and asks nobody, so ask here: "Leave" lets the close (or reload) go on.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Stay', 'Discard changes and leave'],
      defaultId: 0,
      cancelId: 0,
      title: 'Unsaved changes',
      message: 'Leave without saving?',
      detail: 'The account settings have changes that are not saved. Leaving now discards them.',
    })
    if (choice === 1) event.preventDefault()
  })
  void window.loadURL(options.devServerUrl ?? APP_PAGE_URL)
  return window
}
