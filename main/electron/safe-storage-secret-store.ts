import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage } from 'electron'
import type { SecretStore } from '../secrets/secret-store.ts'
import { SecretStoreUnavailableError } from '../secrets/secret-store.ts'

/**
 * Secrets inside Electron: encrypted with safeStorage's asynchronous API (the synchronous one is
 * deprecated) and kept in their own file, apart from settings and the database. On Linux the
 * `basic_text` backend encrypts with a fixed key, which is clear text in all but name: it counts
 * as unavailable, and the admin is told to install and unlock a keyring.
 */
export async function createSafeStorageSecretStore(dataDir: string): Promise<SecretStore> {
  const path = join(dataDir, 'secrets.safestorage.json')
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
  const available = backend !== 'basic_text' && (await safeStorage.isAsyncEncryptionAvailable())
  const load = (): Record<string, string> => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {})
  const save = (entries: Record<string, string>): void => {
    writeFileSync(`${path}.tmp`, JSON.stringify(entries, null, 2), { mode: 0o600 })
    renameSync(`${path}.tmp`, path)
  }
  const requireAvailable = (): void => {
    if (!available) throw new SecretStoreUnavailableError('The system keychain is not available to this app, so secrets cannot be stored safely. On Linux, install and unlock a keyring (GNOME Keyring or KWallet).')
  }
  return {
    description: available ? `system keychain (Electron safeStorage, ${backend})` : 'none: the system keychain is not available',
    available,
    async get(ref) {
      const entry = load()[ref]
      if (entry === undefined) return null
      requireAvailable()
      return (await safeStorage.decryptStringAsync(Buffer.from(entry, 'base64'))).result
    },
    async set(ref, value) {
      requireAvailable()
      const encrypted = await safeStorage.encryptStringAsync(value)
      save({ ...load(), [ref]: encrypted.toString('base64') })
    },
    delete(ref) {
      const entries = load()
      delete entries[ref]
      save(entries)
      return Promise.resolve()
    },
  }
}
