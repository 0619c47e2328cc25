import { createCipheriv, randomBytes, scryptSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEncryptedFileSecretStore, deriveKeyAhead, SCRYPT_PARAMETERS } from '../../../../main/secrets/encrypted-file-secret-store.ts'

const PASSPHRASE = 'correct horse battery staple'

/** A file as the first version wrote it: scrypt at Node's defaults (N = 2^14), no associated data. */
function writeLegacyFile(dir: string, passphrase: string, entries: Record<string, string>): void {
  const salt = randomBytes(16)
  const key = scryptSync(passphrase, salt, 32)
  const encrypted = Object.fromEntries(
    Object.entries(entries).map(([ref, value]) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
      return [ref, [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.')]
    }),
  )
  writeFileSync(join(dir, 'secrets.enc.json'), JSON.stringify({ version: 1, salt: salt.toString('base64'), entries: encrypted }))
}

describe('the headless secret store', () => {
  let dir: string
  const file = (): { version: number; kdf?: { N: number }; salt: string; entries: Record<string, string> } => JSON.parse(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')) as never
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-secrets-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips a secret without writing it in clear text', async () => {
    const store = createEncryptedFileSecretStore(dir, PASSPHRASE)
    await store.set('ref', 'hunter2-very-secret')
    expect(await store.get('ref')).toBe('hunter2-very-secret')
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('hunter2')
  })

  it('derives its key with scrypt at N = 2^17 or more, and says so in the file', async () => {
    expect(SCRYPT_PARAMETERS.N).toBeGreaterThanOrEqual(2 ** 17)
    await createEncryptedFileSecretStore(dir, PASSPHRASE).set('ref', 'value')
    expect(file()).toMatchObject({ version: 2, kdf: { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } })
  })

  it('opens its secrets with a key derived ahead (while a command loads), and never with one derived from another passphrase', async () => {
    await createEncryptedFileSecretStore(dir, PASSPHRASE).set('ref', 'bind-password')
    deriveKeyAhead(dir, PASSPHRASE)
    expect(await createEncryptedFileSecretStore(dir, PASSPHRASE).get('ref')).toBe('bind-password')
    deriveKeyAhead(dir, 'another long passphrase')
    expect(await createEncryptedFileSecretStore(dir, PASSPHRASE).get('ref')).toBe('bind-password')
    deriveKeyAhead(dir, PASSPHRASE)
    await expect(createEncryptedFileSecretStore(dir, 'another long passphrase').get('ref')).rejects.toThrow(/not the passphrase it was stored with/)
  })

  it('derives nothing ahead without a stored secret or a usable passphrase', () => {
    expect(() => deriveKeyAhead(dir, PASSPHRASE)).not.toThrow()
    writeFileSync(join(dir, 'secrets.enc.json'), 'not json')
    expect(() => deriveKeyAhead(dir, PASSPHRASE)).not.toThrow()
    expect(() => deriveKeyAhead(dir, 'short')).not.toThrow()
    expect(() => deriveKeyAhead(dir, undefined)).not.toThrow()
  })

  it('refuses to decrypt with another passphrase, in plain words', async () => {
    await createEncryptedFileSecretStore(dir, PASSPHRASE).set('ref', 'value')
    await expect(createEncryptedFileSecretStore(dir, 'a wrong passphrase').get('ref')).rejects.toThrow(/not the passphrase it was stored with/)
  })

  it('binds each entry to its reference: an entry copied under another reference does not decrypt', async () => {
    const store = createEncryptedFileSecretStore(dir, PASSPHRASE)
    await store.set('integration-secret:ad', 'the AD bind password')
    await store.set('integration-secret:google', 'the Google key')
    const current = file()
    writeFileSync(join(dir, 'secrets.enc.json'), JSON.stringify({ ...current, entries: { ...current.entries, 'integration-secret:google': current.entries['integration-secret:ad'] } }))
    await expect(createEncryptedFileSecretStore(dir, PASSPHRASE).get('integration-secret:google')).rejects.toThrow(/cannot be decrypted/)
  })

  it('is unavailable without DIRSYNC_SECRET_KEY and says how to fix it', async () => {
    const store = createEncryptedFileSecretStore(dir, undefined)
    expect(store.available).toBe(false)
    await expect(store.set('ref', 'value')).rejects.toThrow(/DIRSYNC_SECRET_KEY/)
  })

  it('refuses a passphrase shorter than 12 characters with the reason', async () => {
    const store = createEncryptedFileSecretStore(dir, 'short-pass1')
    expect(store.available).toBe(false)
    expect(store.description).toMatch(/too short \(11 characters\).*at least 12/)
    await expect(store.set('ref', 'value')).rejects.toThrow(/DIRSYNC_SECRET_KEY is too short \(11 characters\): use a passphrase of at least 12 characters/)
    expect(createEncryptedFileSecretStore(dir, 'twelve chars').available).toBe(true)
  })

  it('re-encrypts a file written the old way on first unlock, keeping every secret', async () => {
    writeLegacyFile(dir, PASSPHRASE, { 'integration-secret:a': 'old password A', 'integration-secret:b': 'old key B' })
    const oldSalt = file().salt
    const store = createEncryptedFileSecretStore(dir, PASSPHRASE)
    expect(await store.get('integration-secret:a')).toBe('old password A')
    expect(file()).toMatchObject({ version: 2, kdf: { N: 2 ** 17 } })
    expect(file().salt).not.toBe(oldSalt)
    expect(await createEncryptedFileSecretStore(dir, PASSPHRASE).get('integration-secret:b')).toBe('old key B')
  })

  it('forgets a deleted secret', async () => {
    const store = createEncryptedFileSecretStore(dir, PASSPHRASE)
    await store.set('ref', 'value')
    await store.delete('ref')
    expect(await store.get('ref')).toBeNull()
  })
})
