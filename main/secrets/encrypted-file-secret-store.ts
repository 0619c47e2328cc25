import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SecretStoreUnavailableError, type SecretStore } from './secret-store.ts'

interface ScryptParameters {
  readonly N: number
  readonly r: number
  readonly p: number
}

interface SecretFile {
  readonly version: 2
  readonly kdf: { readonly name: 'scrypt' } & ScryptParameters
  /** scrypt salt, base64. */
  readonly salt: string
  /** ref → iv.tag.ciphertext, base64 each; the ref is the AES-GCM associated data. */
  readonly entries: Record<string, string>
}

/** The first format: scrypt at Node's defaults, entries not bound to their reference. Read once, then rewritten. */
interface LegacySecretFile {
  readonly version: 1
  readonly salt: string
  readonly entries: Record<string, string>
}

export const SECRET_KEY_ENV = 'DIRSYNC_SECRET_KEY'
/** Shorter passphrases fall to a dictionary even at 0.35 s a guess. */
export const MIN_PASSPHRASE_LENGTH = 12
/**
 * scrypt cost: N = 2^17, r = 8 (128 MiB, ~0.35 s a guess on the 2-core CI machine; Node's default
 * N = 2^14 took 43 ms). Paid once per process: the key is kept while the store lives.
 */
export const SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 }
const LEGACY_SCRYPT: ScryptParameters = { N: 2 ** 14, r: 8, p: 1 }

function deriveKey(passphrase: string, salt: string, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { ...parameters, maxmem: 256 * parameters.N * parameters.r + 32 * 1024 * 1024 }
  return new Promise((resolve, reject) => scrypt(passphrase, Buffer.from(salt, 'base64'), 32, options, (error, key) => (error ? reject(error) : resolve(key))))
}

function encrypt(key: Buffer, ref: string, value: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(ref, 'utf8'))
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.')
}

/** `ref` is the associated data (null for legacy entries); a wrong key or a moved entry fails authentication. */
function decrypt(key: Buffer, ref: string | null, entry: string): string {
  const [iv, tag, data] = entry.split('.').map((part) => Buffer.from(part, 'base64'))
  const decipher = createDecipheriv('aes-256-gcm', key, iv ?? Buffer.alloc(12))
  if (ref !== null) decipher.setAAD(Buffer.from(ref, 'utf8'))
  decipher.setAuthTag(tag ?? Buffer.alloc(16))
  try {
    return Buffer.concat([decipher.update(data ?? Buffer.alloc(0)), decipher.final()]).toString('utf8')
  } catch {
    throw new SecretStoreUnavailableError(`A stored secret cannot be decrypted: ${SECRET_KEY_ENV} is not the passphrase it was stored with (or the file was altered).`)
  }
}

/** The headless secret file in a data directory. */
const secretFile = (dataDir: string): string => join(dataDir, 'secrets.enc.json')

/** A key derivation begun by deriveKeyAhead: for this file, salt and passphrase only. */
let ahead: { readonly path: string; readonly salt: string; readonly passphrase: string; readonly key: Promise<Buffer> } | null = null

/**
 * Starts deriving the key of the data directory's secret file now, on libuv's thread pool, so the
 * deliberately slow scrypt (~0.35 s) runs while the command is still loading its modules and
 * opening the store instead of after (bin/dirsync.js, for the commands that read a directory). The
 * store made later for the same file, salt and passphrase takes this key; any other derives its
 * own. Nothing when no secret is stored or the passphrase is unusable (the store says why, when asked).
 */
export function deriveKeyAhead(dataDir: string, passphrase: string | undefined): void {
  if (passphrase === undefined || passphraseProblem(passphrase) !== null) return
  const path = secretFile(dataDir)
  let file: SecretFile | LegacySecretFile | null
  try {
    file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SecretFile | LegacySecretFile) : null
  } catch {
    return
  }
  if (file?.version !== 2 || Object.keys(file.entries).length === 0) return
  const key = deriveKey(passphrase, file.salt, SCRYPT_PARAMETERS)
  // A failure surfaces where the key is awaited, not as an unhandled rejection.
  key.catch(() => undefined)
  ahead = { path, salt: file.salt, passphrase, key }
}

function passphraseProblem(passphrase: string | undefined): string | null {
  if (passphrase === undefined || passphrase.length === 0) {
    return `Secrets cannot be stored or read: set ${SECRET_KEY_ENV} to a passphrase (headless mode encrypts secrets with it), or use the desktop app, which uses the system keychain.`
  }
  const length = [...passphrase].length
  if (length < MIN_PASSPHRASE_LENGTH) return `${SECRET_KEY_ENV} is too short (${length} characters): use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`
  return null
}

/**
 * Headless secret store: `secrets.enc.json` in the data directory, each value AES-256-GCM
 * encrypted (its reference as associated data, so an entry cannot be moved to another reference)
 * with a key derived by scrypt from the passphrase in DIRSYNC_SECRET_KEY. Without a good
 * passphrase nothing can be read or written — the store never falls back to clear text. A file in
 * the first format is re-encrypted in the current one on first unlock.
 */
export function createEncryptedFileSecretStore(dataDir: string, passphrase: string | undefined): SecretStore {
  const path = secretFile(dataDir)
  const problem = passphraseProblem(passphrase)
  let unlocked: { readonly salt: string; readonly key: Buffer } | null = null

  function read(): SecretFile | LegacySecretFile | null {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SecretFile | LegacySecretFile) : null
  }

  function save(file: SecretFile | LegacySecretFile): void {
    const tmp = `${path}.tmp`
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 })
    renameSync(tmp, path)
  }

  async function keyFor(pass: string, salt: string): Promise<Buffer> {
    if (unlocked?.salt !== salt) {
      const early = ahead?.path === path && ahead.salt === salt && ahead.passphrase === pass ? ahead.key : null
      if (early) ahead = null
      unlocked = { salt, key: await (early ?? deriveKey(pass, salt, SCRYPT_PARAMETERS)) }
    }
    return unlocked.key
  }

  /** The current file and its key; a legacy file is re-encrypted (new salt, current cost, bound entries) first. */
  async function unlock(): Promise<{ file: SecretFile; key: Buffer }> {
    if (problem !== null || passphrase === undefined) throw new SecretStoreUnavailableError(problem ?? 'no passphrase')
    const raw = read()
    if (raw === null) {
      const file: SecretFile = { version: 2, kdf: { name: 'scrypt', ...SCRYPT_PARAMETERS }, salt: randomBytes(16).toString('base64'), entries: {} }
      return { file, key: await keyFor(passphrase, file.salt) }
    }
    if (raw.version === 2) return { file: raw, key: await keyFor(passphrase, raw.salt) }
    const legacyKey = await deriveKey(passphrase, raw.salt, LEGACY_SCRYPT)
    const clear = Object.entries(raw.entries).map(([ref, entry]) => [ref, decrypt(legacyKey, null, entry)] as const)
    const salt = randomBytes(16).toString('base64')
    const key = await keyFor(passphrase, salt)
    const file: SecretFile = { version: 2, kdf: { name: 'scrypt', ...SCRYPT_PARAMETERS }, salt, entries: Object.fromEntries(clear.map(([ref, value]) => [ref, encrypt(key, ref, value)])) }
    save(file)
    return { file, key }
  }

  return {
    description: problem === null ? `encrypted file (${path}), key from ${SECRET_KEY_ENV}` : `none: ${problem}`,
    available: problem === null,
    async get(ref) {
      await Promise.resolve()
      if (read()?.entries[ref] === undefined) return null
      const { file, key } = await unlock()
      const entry = file.entries[ref]
      return entry === undefined ? null : decrypt(key, ref, entry)
    },
    async set(ref, value) {
      const { file, key } = await unlock()
      save({ ...file, entries: { ...file.entries, [ref]: encrypt(key, ref, value) } })
    },
    async delete(ref) {
      await Promise.resolve()
      const raw = read()
      if (raw === null || !(ref in raw.entries)) return
      const entries = { ...raw.entries }
      delete entries[ref]
      save({ ...raw, entries })
    },
  }
}
