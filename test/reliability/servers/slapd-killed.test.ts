import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IntegrationConfig } from '../../../shared/domain/integration-config.ts'
import { createCore, type Core } from '../../../main/core/dirsync-core.ts'
import { createEncryptedFileSecretStore } from '../../../main/secrets/encrypted-file-secret-store.ts'
import { createSettingsStore } from '../../../main/settings/settings-store.ts'
import { openDatabase, type Db } from '../../../main/store/open-database.ts'
import { syntheticOrg, writeLdifSync } from '../../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir, memoryBackend } from '../../helpers/test-core.ts'
import { startSlapd, stopSlapd, type SlapdDetails } from '../../servers/ldap-test-servers.ts'

/**
 * A real slapd SIGKILLed in the middle of a paged read, through the real core and the real LDAP
 * connector (ldapts). A private instance on its own port (the suite's shared slapd is left alone):
 * the integration goes to `error`, its last good snapshot stays, the other directory's destructive
 * actions are held account-wide, and nothing of the run is applied. After slapd is restarted, the
 * next sync reads again and applies what was held.
 */
const USERS = 3000
const run = promisify(execFile)
const tmp = makeTempDir('dirsync-slapd-killed')
let slapd: SlapdDetails

beforeAll(async () => {
  slapd = await startSlapd(join(tmp.path, 'slapd'), { users: USERS, groups: 12 })
}, 300_000)

afterAll(async () => {
  await stopSlapd(slapd.dir).catch(() => undefined)
  tmp.remove()
})

describe('slapd killed mid-read', () => {
  let db: Db
  let core: Core
  let killAtFirstObjects: string | null = null
  let killedAt = 0

  it('integration error, snapshot unchanged, destructive actions held account-wide, nothing applied; after a restart the next sync catches up', async () => {
    const dir = join(tmp.path, 'data')
    db = openDatabase(dir)
    core = createCore({
      db,
      dataDir: dir,
      secrets: createEncryptedFileSecretStore(dir, 'test-passphrase'),
      settings: createSettingsStore(memoryBackend()),
      actor: 'test-admin',
      emit: (event, payload) => {
        const p = payload as { integrationId?: string | null; phase?: string; objectsRead?: number }
        if (event === 'sync:progress' && killAtFirstObjects !== null && p.integrationId === killAtFirstObjects && p.phase === 'reading' && (p.objectsRead ?? 0) > 0) {
          killAtFirstObjects = null
          killedAt = p.objectsRead ?? 0
          process.kill(slapd.pid, 'SIGKILL')
        }
      },
    })
    const ldif = join(tmp.path, 'other.ldif')
    writeLdifSync(ldif, syntheticOrg(50, 5, 'other.example'))
    await core.createIntegration({ name: 'Other directory', description: '', config: { type: 'ldif-file', settings: { path: ldif, format: 'ldif' } }, policy: {}, enabled: true })
    const config = { type: 'ldap', settings: { host: slapd.host, port: slapd.port, encryption: 'none', bindDn: slapd.readerDn, baseDn: slapd.baseDn, pageSize: 200, timeoutSeconds: 10 } } as IntegrationConfig
    const ldap = await core.createIntegration({ name: 'OpenLDAP', description: '', config, policy: {}, enabled: true, secret: slapd.readerPassword })
    const first = await core.runSync('all', 'manual')
    expect(first.outcome, first.errors.join(' ')).toBe('success')
    const goodSnapshot = core.getIntegration(ldap.id).snapshot
    expect(goodSnapshot?.users).toBeGreaterThanOrEqual(USERS)
    const before = dumpAccount(db)

    writeLdifSync(ldif, syntheticOrg(50, 5, 'other.example', new Set([7])))
    killAtFirstObjects = ldap.id
    const started = performance.now()
    const killed = await core.runSync('all', 'manual')
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    expect(killedAt).toBeGreaterThan(0)
    const after = core.getIntegration(ldap.id)
    expect(after.status).toBe('error')
    expect(after.statusReason).toMatch(/\S/)
    expect(after.snapshot).toEqual(goodSnapshot)
    expect(killed.outcome).toBe('partial')
    expect(killed.held).toMatchObject({ 'demote-address': 1 })
    for (const action of core.listHeld({}, 0, 10).actions) expect(action).toMatchObject({ reason: 'blocked', blockingIntegrationIds: [ldap.id] })
    expect(dumpAccount(db)).toEqual(before)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')

    // slapd back (same data, same port): the next sync reads fully and applies what was held.
    const restarted = await run(join(import.meta.dirname, '..', '..', 'servers', 'start-slapd.sh'), [slapd.dir, String(slapd.port)])
    slapd = { ...slapd, pid: Number(restarted.stdout.trim().split('\n').pop()) }
    const recovered = await core.runSync('all', 'manual')
    expect(recovered.outcome, recovered.errors.join(' ')).toBe('success')
    expect(recovered.applied['demote-address']).toBe(1)
    expect(core.getIntegration(ldap.id).status).toBe('ok')
    console.info(`slapd SIGKILLed after ${killedAt} objects of a ${goodSnapshot?.users}-user paged read: integration error in ${seconds} s ("${after.statusReason?.slice(0, 100)}"); recovered after restart`)
    db.close()
  }, 180_000)
})
