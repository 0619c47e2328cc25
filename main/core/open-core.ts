import { userInfo } from 'node:os'
import type { IpcEvent } from '../../shared/ipc/channels.ts'
import type { IpcEventPayload } from '../../shared/ipc/contract.ts'
import { sampleOrgPath } from '../demo/sample-org-path.ts'
import { createEncryptedFileSecretStore, SECRET_KEY_ENV } from '../secrets/encrypted-file-secret-store.ts'
import type { SecretStore } from '../secrets/secret-store.ts'
import { createJsonFileBackend, createSettingsStore, type KeyValueBackend } from '../settings/settings-store.ts'
import { openDatabase, QUICK_CHECK_MAX_BYTES } from '../store/open-database.ts'
import type { ApplyProbe } from '../sync/apply-probe.ts'
import { createCore, type Core } from './dirsync-core.ts'
import { acquireInstanceLock } from './instance-lock.ts'
import { makeDataDirPrivate } from './private-data-dir.ts'

export { SAMPLE_NAME as SAMPLE_INTEGRATION_NAME } from './dirsync-core.ts'

export interface OpenCoreOptions {
  readonly dataDir: string
  readonly demo?: boolean
  /** Electron passes safeStorage and electron-store; headless gets the encrypted file and settings.json. */
  readonly secrets?: SecretStore
  readonly settingsBackend?: KeyValueBackend
  readonly emit?: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void
  readonly now?: () => Date
  readonly demoFileDir?: string
  /**
   * The single-instance lock on the data directory (instance-lock.ts). Default: taken, in the
   * name of the desktop app inside Electron and of the browser host otherwise; a second one is
   * refused with InstanceLockedError. `false` for short commands that may run beside them (the CLI).
   */
  readonly instanceLock?: false | string
  /** Crash tests observe (and kill) the apply transaction through this; production passes none. */
  readonly probe?: ApplyProbe
}

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'administrator'
  }
}

/** Opens the data directory and builds the core; with `demo`, adds the sample directory if the account has no integration yet. */
export async function openCore(options: OpenCoreOptions): Promise<Core> {
  makeDataDirPrivate(options.dataDir)
  const lock = options.instanceLock === false ? null : acquireInstanceLock(options.dataDir, options.instanceLock ?? (process.versions['electron'] ? 'the desktop app' : 'the browser host'))
  try {
    return await openLocked(options)
  } catch (error) {
    // Refused to open (a damaged store, a newer schema…): leave the data directory free for the recovery.
    lock?.release()
    throw error
  }
}

async function openLocked(options: OpenCoreOptions): Promise<Core> {
  // A short command (the CLI) runs beside the long-lived app or browser host and leaves them the
  // work it need not wait for: it checks the store in proportion to its size (they check it all)
  // and does not catch the search index up (they do, in the background).
  const shortCommand = options.instanceLock === false
  const db = openDatabase(options.dataDir, shortCommand ? { upToBytes: QUICK_CHECK_MAX_BYTES } : 'full')
  const core = createCore({
    db,
    dataDir: options.dataDir,
    secrets: options.secrets ?? createEncryptedFileSecretStore(options.dataDir, process.env[SECRET_KEY_ENV]),
    settings: createSettingsStore(options.settingsBackend ?? createJsonFileBackend(options.dataDir)),
    actor: currentUser(),
    samplePath: sampleOrgPath(options.demoFileDir),
    ...(options.emit ? { emit: options.emit } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.probe ? { probe: options.probe } : {}),
    indexSearchInBackground: !shortCommand,
  })
  if (options.demo && core.listIntegrations().length === 0) await core.addSample()
  return core
}
