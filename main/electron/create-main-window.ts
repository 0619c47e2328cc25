import { join } from 'node:path'
import { BrowserWindow, session, shell } from 'electron'

/** https URLs the console may open in the system browser (documentation links); nothing else. */
const EXTERNAL_ALLOW_LIST = [/^https:\/\/learn\.microsoft\.com\//, /^https:\/\/support\.google\.com\//, /^https:\/\/github\.com\//]

export function isAllowedExternalUrl(url: string): boolean {
  return EXTERNAL_ALLOW_LIST.some((pattern) => pattern.test(url))
}

/**
 * The console window: context isolation, sandbox, no Node integration, no remote content,
 * navigation and new windows denied, permission requests denied.
 */
export function createMainWindow(rendererUrl: string | undefined): BrowserWindow {
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
    },
  })
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.on('will-redirect', (event) => event.preventDefault())
  window.webContents.on('will-attach-webview', (event) => event.preventDefault())
  window.once('ready-to-show', () => window.show())
  if (rendererUrl) void window.loadURL(rendererUrl)
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'))
  return window
}
