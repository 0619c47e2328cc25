import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { app, BrowserWindow, dialog, type WebContents } from 'electron'
import Store from 'electron-store'
import type { IpcEvent } from '../shared/ipc/channels.ts'
import type { IpcEventPayload } from '../shared/ipc/contract.ts'
import { resolveDataDir } from './core/data-dir.ts'
import { createFileLogger } from './core/logger.ts'
import { openCore } from './core/open-core.ts'
import { startScheduler } from './core/scheduler.ts'
import { setGroupReadWorkerUrl } from './connectors/ldap/parallel-group-read.ts'
import { registerAppScheme, serveRenderer } from './electron/app-protocol.ts'
import { createMainWindow } from './electron/create-main-window.ts'
import { registerIpc } from './electron/register-ipc.ts'
import { createSafeStorageSecretStore } from './electron/safe-storage-secret-store.ts'
import { guardAllWebContents } from './electron/web-contents-guard.ts'
import { createHandlers } from './ipc/handlers.ts'
import { resolveUpdatePolicy, startAutoUpdate } from './updates/auto-update.ts'
import { readUpdateTrustFacts } from './updates/read-update-trust-facts.ts'
import { decideUpdateTrust } from './updates/update-trust.ts'

/** Lifecycle only: ready → data dir → core → IPC → window → scheduler. Everything else is plain Node. */
const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { demo: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } }, strict: false })
// Electron's own userData folder is the platform default (the CLI and browser host use the same one).
const dataDir = resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined, process.env, () => app.getPath('userData'))
app.setPath('userData', dataDir)

if (!app.requestSingleInstanceLock()) app.quit()
// Before ready: the renderer's own scheme, and the guard every web contents gets as it is created.
registerAppScheme()
guardAllWebContents(app)
// The bundle has the LDAP group reader's worker as an entry of its own beside this one (electron.vite.config.ts).
setGroupReadWorkerUrl(new URL('./group-read-worker.js', import.meta.url))

void app.whenReady().then(async () => {
  const logger = createFileLogger(dataDir, false)
  const trusted = new Set<WebContents>()
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void => {
    for (const contents of trusted) if (!contents.isDestroyed()) contents.send(event, payload)
  }
  try {
    const core = await openCore({
      dataDir,
      demo: values['demo'] === true,
      secrets: await createSafeStorageSecretStore(dataDir),
      settingsBackend: new Store({ cwd: dataDir, name: 'settings' }),
      emit,
      // Packaged: an extraResource; in development the bundle runs from out/main, so point at the source folder.
      demoFileDir: app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'main', 'demo'),
    })
    serveRenderer(join(import.meta.dirname, '../renderer'))
    registerIpc(createHandlers(core, { version: app.getVersion(), dataDir, host: 'electron', demo: values['demo'] === true }), trusted, (error) => logger.error('request failed', error))
    const open = (): void => {
      const window = createMainWindow({ devServerUrl: app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'], devTools: !app.isPackaged })
      trusted.add(window.webContents)
      window.on('closed', () => trusted.delete(window.webContents))
    }
    open()
    app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open())
    app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
    const scheduler = startScheduler({ settings: core.settings, now: () => new Date(), runScheduled: async (trigger) => void (await core.runSync('all', trigger)) })
    app.on('before-quit', () => scheduler.stop())
    // Off unless the organisation turned it on (settings "updates") and DIRSYNC_DISABLE_UPDATES is unset.
    const updates = resolveUpdatePolicy(core.settings.updates(), process.env)
    logger.info(`auto-update: ${updates.message}`)
    if (app.isPackaged && updates.enabled) void startAutoUpdate(updates, { trust: decideUpdateTrust(readUpdateTrustFacts(process.resourcesPath, app.getPath('exe'))), log: (line) => logger.info(`auto-update: ${line}`) })
  } catch (error) {
    logger.error('start failed', error)
    dialog.showErrorBox('Directory Sync Console could not start', error instanceof Error ? error.message : String(error))
    app.quit()
  }
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
