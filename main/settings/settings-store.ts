import Conf from 'conf'
import { AccountSettingsSchema, DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from '../../shared/domain/account.ts'

/** The key-value file behind settings: `conf` headless, electron-store (same API) inside Electron. */
export interface KeyValueBackend {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

export interface SettingsStore {
  account(): AccountSettings
  setAccount(changes: Partial<AccountSettings>): AccountSettings
  /** Last time the schedule fired (ISO); used to catch up a run missed while the app was closed. */
  lastScheduledRun(): string | null
  setLastScheduledRun(at: string): void
  /** The `updates` section (opt-in auto-update from an organisation's own feed); raw, validated by main/updates. */
  updates(): { enabled?: boolean; feedUrl?: string | null; checkIntervalHours?: number }
}

export function createConfBackend(dataDir: string): KeyValueBackend {
  return new Conf<Record<string, unknown>>({ projectName: 'directory-sync-console', cwd: dataDir, configName: 'settings' })
}

/** Settings validated with the same zod schema everywhere; a hand-edited bad file falls back to defaults for what is wrong. */
export function createSettingsStore(backend: KeyValueBackend): SettingsStore {
  return {
    account() {
      const parsed = AccountSettingsSchema.safeParse(backend.get('account') ?? {})
      return parsed.success ? parsed.data : DEFAULT_ACCOUNT_SETTINGS
    },
    setAccount(changes) {
      const next = AccountSettingsSchema.parse({ ...this.account(), ...changes })
      backend.set('account', next)
      return next
    },
    lastScheduledRun() {
      const value = backend.get('lastScheduledRun')
      return typeof value === 'string' ? value : null
    },
    setLastScheduledRun(at) {
      backend.set('lastScheduledRun', at)
    },
    updates() {
      const value = backend.get('updates')
      if (typeof value !== 'object' || value === null) return {}
      const raw = value as Record<string, unknown>
      return {
        ...(typeof raw['enabled'] === 'boolean' ? { enabled: raw['enabled'] } : {}),
        ...(typeof raw['feedUrl'] === 'string' ? { feedUrl: raw['feedUrl'] } : {}),
        ...(typeof raw['checkIntervalHours'] === 'number' ? { checkIntervalHours: raw['checkIntervalHours'] } : {}),
      }
    },
  }
}
