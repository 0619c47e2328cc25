import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SecretStoreUnavailableError, type SecretStore } from './secret-store.ts'

interface SecretFile {
  readonly version: 1
  /** scrypt salt, base64. */
  readonly salt: string
  /** ref → iv.tag.ciphertext, base64 each. */
  readonly entries: Record<string, string>
}

export const SECRET_KEY_ENV = 'DIRSYNC_SECRET_KEY'

/**
 * Headless secret store: `secrets.enc.json` in the data directory, each value AES-256-GCM
 * encrypted with a key derived (scrypt) from the passphrase in DIRSYNC_SECRET_KEY. Without the
 * passphrase nothing can be read or written — the store never falls back to clear text.
 */
export function createEncryptedFileSecretStore(dataDir: string, passphrase: string | undefined): SecretStore {
  const path = join(dataDir, 'secrets.enc.json')
  const available = passphrase !== undefined && passphrase.length > 0
  let key: Buffer | null = null

  function load(): SecretFile {
    if (!existsSync(path)) return { version: 1, salt: randomBytes(16).toString('base64'), entries: {} }
    return JSON.parse(readFileSync(path, 'utf8')) as SecretFile
  }
  function keyFor(file: SecretFile): Buffer {
    if (!available) {
      throw new SecretStoreUnavailableError(`Secrets cannot be stored or read: set ${SECRET_KEY_ENV} to a passphrase (headless mode encrypts secrets with it), or use the desktop app, which uses the system keychain.`)
    }
    key ??= scryptSync(passphrase, Buffer.from(file.salt, 'base64'), 32)
    return key
  }
  function save(file: SecretFile): void {
    const tmp = `${path}.tmp`
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 })
    renameSync(tmp, path)
  }

  return {
    description: available ? `encrypted file (${path}), key from ${SECRET_KEY_ENV}` : `none: set ${SECRET_KEY_ENV} to store secrets headless`,
    available,
    // async: every failure, even one found before the first await, arrives as a rejection.
    async get(ref) {
      await Promise.resolve()
      const file = load()
      const entry = file.entries[ref]
      if (entry === undefined) return null
      const [iv, tag, data] = entry.split('.').map((part) => Buffer.from(part, 'base64'))
      const decipher = createDecipheriv('aes-256-gcm', keyFor(file), iv ?? Buffer.alloc(12))
      decipher.setAuthTag(tag ?? Buffer.alloc(16))
      try {
        return Buffer.concat([decipher.update(data ?? Buffer.alloc(0)), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretStoreUnavailableError(`A stored secret cannot be decrypted: ${SECRET_KEY_ENV} is not the passphrase it was stored with.`)
      }
    },
    async set(ref, value) {
      await Promise.resolve()
      const file = load()
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', keyFor(file), iv)
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
      save({ ...file, entries: { ...file.entries, [ref]: [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.') } })
    },
    async delete(ref) {
      await Promise.resolve()
      const file = load()
      if (!(ref in file.entries)) return
      const entries = { ...file.entries }
      delete entries[ref]
      save({ ...file, entries })
    },
  }
}
