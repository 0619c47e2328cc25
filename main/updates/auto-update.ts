import type { AppUpdater } from 'electron-updater'
import type { UpdateTrust } from './update-trust.ts'

/**
 * Optional auto-update from a feed the organisation hosts itself (electron-updater's `generic`
 * provider: a folder served over HTTPS holding the installers and the latest*.yml files that
 * `npm run dist` writes next to them). Off by default: many directory teams work in locked-down
 * networks and roll out desktop tools through their own software distribution.
 *
 * Who decides, strongest first:
 *   1. DIRSYNC_DISABLE_UPDATES=1 in the environment (set machine-wide by GPO/MDM/profile) turns
 *      updates off whatever the settings say.
 *   2. The `enabled` setting (default false).
 *   3. A valid `feedUrl` (https, or http only on this machine for testing); without one, off.
 */

/** The update part of the app's settings. Every field is optional; missing means the default. */
export interface UpdateSettings {
  /** Opt-in switch. Default: false. */
  readonly enabled?: boolean
  /** Base URL of the organisation's generic update feed, e.g. https://software.example.org/dirsync/. Default: none. */
  readonly feedUrl?: string | null
  /** Hours between checks while the app runs; clamped to 1…168. Default: 6. */
  readonly checkIntervalHours?: number
}

export type UpdatesOffReason = 'environment' | 'setting' | 'no-feed' | 'invalid-feed'

export type UpdatePolicy =
  | { readonly enabled: false; readonly reason: UpdatesOffReason; readonly message: string }
  | { readonly enabled: true; readonly feedUrl: string; readonly checkIntervalMs: number; readonly message: string }

export const DISABLE_UPDATES_ENV = 'DIRSYNC_DISABLE_UPDATES'
export const DEFAULT_CHECK_INTERVAL_HOURS = 6
const HOUR_MS = 3_600_000

/**
 * True when the variable is set to anything but an explicit "no" (0/false/no/off/empty): an admin
 * who sets it at all means to turn updates off, so an unexpected value errs on the side of off.
 */
function disabledByEnvironment(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[DISABLE_UPDATES_ENV]?.trim().toLowerCase()
  return value !== undefined && !['', '0', 'false', 'no', 'off'].includes(value)
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** The feed URL as electron-updater should get it, or why it cannot be used (the message never repeats the URL). */
function checkFeedUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, message: 'The update feed address is not a valid URL.' }
  }
  if (url.username !== '' || url.password !== '') {
    // Settings are a plain file and update errors get logged: credentials must not live in the URL.
    return { ok: false, message: 'The update feed address must not contain a user name or password.' }
  }
  if (url.protocol === 'https:') return { ok: true, url: url.href }
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return { ok: true, url: url.href }
  return { ok: false, message: 'The update feed must use https:// (plain http is accepted only for a feed on this computer).' }
}

/** Pure: decides from settings and environment whether and where to look for updates. */
export function resolveUpdatePolicy(settings: UpdateSettings | undefined, env: Readonly<Record<string, string | undefined>>): UpdatePolicy {
  if (disabledByEnvironment(env)) {
    return { enabled: false, reason: 'environment', message: `Automatic updates are turned off by the ${DISABLE_UPDATES_ENV} environment variable.` }
  }
  if (settings?.enabled !== true) {
    return { enabled: false, reason: 'setting', message: 'Automatic updates are off (the default). Your organisation can turn them on with its own update feed.' }
  }
  const feed = settings.feedUrl?.trim() ?? ''
  if (feed === '') {
    return { enabled: false, reason: 'no-feed', message: 'Automatic updates are on but no update feed address is set, so no update is looked for.' }
  }
  const checked = checkFeedUrl(feed)
  if (!checked.ok) return { enabled: false, reason: 'invalid-feed', message: `Automatic updates are off: ${checked.message}` }
  const hours = Math.min(168, Math.max(1, Number.isFinite(settings.checkIntervalHours) ? (settings.checkIntervalHours as number) : DEFAULT_CHECK_INTERVAL_HOURS))
  return {
    enabled: true,
    feedUrl: checked.url,
    checkIntervalMs: hours * HOUR_MS,
    message: `Automatic updates are on: checking ${new URL(checked.url).host} every ${String(hours)} h.`,
  }
}

/** The part of electron-updater's AppUpdater this module drives. */
export type Updater = Pick<AppUpdater, 'setFeedURL' | 'checkForUpdates' | 'on' | 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'allowPrerelease'>

export interface AutoUpdateOptions {
  /** Whether this installation's updates can be verified (update-trust.ts); refused: nothing is loaded. */
  readonly trust: UpdateTrust
  /** Loads the updater. Default: electron-updater's platform updater, imported only now. */
  readonly loadUpdater?: () => Promise<Updater>
  /** Where progress and failures are reported. Default: console. */
  readonly log?: (line: string) => void
}

export interface AutoUpdateHandle {
  /** Stops the periodic checks (a download in progress finishes). */
  stop(): void
}

async function loadElectronUpdater(): Promise<Updater> {
  // electron-updater is CommonJS and defines `autoUpdater` through a getter that Node's ESM
  // named-export detection does not see, so go through the default export when needed.
  const mod = await import('electron-updater')
  return (mod as { autoUpdater?: AppUpdater }).autoUpdater ?? mod.default.autoUpdater
}

/**
 * Starts checking the organisation's feed when the policy allows it; otherwise logs why not and
 * never loads electron-updater at all (nothing of it runs in locked-down installs).
 * Update failures are logged, never thrown: a broken feed must not stop a directory sync.
 */
export async function startAutoUpdate(policy: UpdatePolicy, options: AutoUpdateOptions): Promise<AutoUpdateHandle | null> {
  const log = options.log ?? ((line: string) => console.log(`[updates] ${line}`))
  log(policy.message)
  if (!policy.enabled) return null
  if (!options.trust.trusted) {
    log(options.trust.reason)
    return null
  }
  log(options.trust.message)

  const updater = await (options.loadUpdater ?? loadElectronUpdater)()
  updater.autoDownload = true
  // The update installs when the user quits, never in the middle of a run.
  updater.autoInstallOnAppQuit = true
  updater.allowDowngrade = false
  updater.allowPrerelease = false
  updater.setFeedURL({ provider: 'generic', url: policy.feedUrl })
  updater.on('error', (error: Error) => log(`Update check failed: ${error.message}`))
  updater.on('update-downloaded', (info) => log(`Version ${info.version} is downloaded and will be installed when the app quits.`))

  const check = (): void => {
    updater.checkForUpdates().catch((error: unknown) => log(`Update check failed: ${error instanceof Error ? error.message : String(error)}`))
  }
  check()
  const timer = setInterval(check, policy.checkIntervalMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
