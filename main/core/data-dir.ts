import { homedir, platform } from 'node:os'
import { join, resolve } from 'node:path'

export const DATA_DIR_ENV = 'DIRSYNC_DATA_DIR'
const APP_FOLDER = 'Directory Sync Console'

/**
 * The platform's app-data folder, the same one Electron's `userData` uses, so the desktop app,
 * the browser host and the CLI share one account store by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const os = platform()
  if (os === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER)
  if (os === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER)
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), APP_FOLDER)
}

/** `--data-dir` wins, then DIRSYNC_DATA_DIR, then the platform default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, fallback: () => string = () => defaultDataDir(env)): string {
  if (flag) return resolve(flag)
  const fromEnv = env[DATA_DIR_ENV]
  if (fromEnv) return resolve(fromEnv)
  return fallback()
}
