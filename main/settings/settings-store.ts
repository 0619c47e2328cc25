import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AccountSettingsSchema, DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from '../../shared/domain/account.ts'

/** The key-value file behind settings: settings.json (jsonFileBackend) headless, electron-store inside Electron. */
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

/**
 * settings.json in the data directory, read and written as electron-store (inside Electron) and the
 * conf package (headless, before) do: one JSON object, tab-indented, replaced atomically, read
 * afresh at every get so the app and a dirsync command beside it see each other's changes. Not conf
 * itself: it loads ajv and semver (~130 modules, 50-100 ms of every command's start-up) for schema
 * and migration features these settings do not use (they are validated by AccountSettingsSchema).
 * A file that is not JSON is refused, as conf refuses it.
 */
export function createJsonFileBackend(dataDir: string): KeyValueBackend {
  const file = join(dataDir, 'settings.json')
  function read(): Record<string, unknown> {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return {}
      throw error
    }
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  }
  return {
    get: (key) => read()[key],
    set(key, value) {
      // Written beside it and renamed over it: a reader sees the old file or the new one, never half.
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify({ ...read(), [key]: value }, undefined, '\t'), { flush: true })
      renameSync(tmp, file)
    },
  }
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
