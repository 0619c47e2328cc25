/**
 * Where credentials live, apart from settings and the database (which only hold a reference).
 * Inside Electron: safeStorage (the system keychain). Headless: an AES-256-GCM file whose key is
 * derived from DIRSYNC_SECRET_KEY. `description` says which is in use, in words.
 */
export interface SecretStore {
  readonly description: string
  /** Whether secrets can be written now (headless without a key: no). */
  readonly available: boolean
  get(ref: string): Promise<string | null>
  set(ref: string, value: string): Promise<void>
  delete(ref: string): Promise<void>
}

export class SecretStoreUnavailableError extends Error {}
