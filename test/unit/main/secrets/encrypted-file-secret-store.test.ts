import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEncryptedFileSecretStore } from '../../../../main/secrets/encrypted-file-secret-store.ts'

describe('the headless secret store', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-secrets-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips a secret without writing it in clear text', async () => {
    const store = createEncryptedFileSecretStore(dir, 'passphrase')
    await store.set('ref', 'hunter2-very-secret')
    expect(await store.get('ref')).toBe('hunter2-very-secret')
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('hunter2')
  })

  it('refuses to decrypt with another passphrase, in plain words', async () => {
    await createEncryptedFileSecretStore(dir, 'right').set('ref', 'value')
    await expect(createEncryptedFileSecretStore(dir, 'wrong').get('ref')).rejects.toThrow(/not the passphrase it was stored with/)
  })

  it('is unavailable without DIRSYNC_SECRET_KEY and says how to fix it', async () => {
    const store = createEncryptedFileSecretStore(dir, undefined)
    expect(store.available).toBe(false)
    await expect(store.set('ref', 'value')).rejects.toThrow(/DIRSYNC_SECRET_KEY/)
  })

  it('forgets a deleted secret', async () => {
    const store = createEncryptedFileSecretStore(dir, 'p')
    await store.set('ref', 'value')
    await store.delete('ref')
    expect(await store.get('ref')).toBeNull()
  })
})
