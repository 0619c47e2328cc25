import { execFile, execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IntegrationConfig } from '../../../shared/domain/integration-config.ts'
import { syntheticOrg, writeLdifSync } from '../../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir } from '../../helpers/test-core.ts'
import { startSambaAd, stopSambaAd, type SAMBA_SEED, type SambaAdDetails } from '../../servers/ldap-test-servers.ts'
import { killHarness } from '../kill-harness.ts'
import { countFaultsSurvived } from '../count-faults.ts'

/**
 * A real Samba AD DC SIGKILLed in the middle of a paged read, through the real core and the real
 * Active Directory connector (ldapts over LDAPS). A PRIVATE small DC on a 127.0.0.x of its own
 * (the suite's shared Samba is left alone; Samba's LDAP ports are fixed, so it needs its own
 * address): the integration goes to `error`, its last good snapshot stays, the other directory's
 * destructive actions are held account-wide, and nothing of the run is applied. Samba is then
 * started again on the same data and the next sync applies what was held.
 */
// 300 users read in pages of 50 (7+ pages): small enough to provision and seed in ≈ 10 s.
const SEED = { users: 300, groups: 4, usersWithPassword: 0 } as const
const PAGE_SIZE = 50
const run = promisify(execFile)
const tmp = makeTempDir('dirsync-samba-killed')
const samba = { dir: join(tmp.path, 'samba'), details: null as SambaAdDetails | null }

async function freeLoopback(): Promise<string> {
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo'])
  const taken = new Set([...stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!))
  // 127.0.1.x: away from the suite's shared Samba (127.0.0.40–239).
  for (;;) {
    const ip = `127.0.1.${10 + Math.floor(Math.random() * 200)}`
    if (!taken.has(ip)) return ip
  }
}

/** Samba's root process and its workers share one session (start-samba-ad.sh uses setsid). */
async function sessionPids(sid: number): Promise<number[]> {
  return pidsOfSession((await run('ps', ['-e', '-o', 'pid=,sid='])).stdout, sid)
}

/** Synchronous: the kill happens inside the core's progress callback, between two pages. */
function sessionPidsSync(sid: number): number[] {
  return pidsOfSession(execFileSync('ps', ['-e', '-o', 'pid=,sid='], { encoding: 'utf8' }), sid)
}

function pidsOfSession(stdout: string, sid: number): number[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, s]) => s === sid)
    .map(([pid]) => pid!)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  const started = performance.now()
  // startSambaAd's parameter is typed as the suite's literal seed; any size works.
  samba.details = await startSambaAd(samba.dir, await freeLoopback(), SEED as unknown as typeof SAMBA_SEED)
  console.info(`private Samba AD DC on ${samba.details.host}: provisioned and seeded with ${SEED.users} users in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}, 180_000)

afterAll(async () => {
  // By PID (run/samba.pid, workers by its session), even when the test failed; also drops the loopback alias.
  await stopSambaAd(samba.dir).catch(() => undefined)
  const pid = samba.details?.pid
  if (pid !== undefined) for (const p of await sessionPids(pid).catch(() => [])) process.kill(p, 'SIGKILL')
  tmp.remove()
}, 60_000)

describe('Samba AD killed mid-read', () => {
  countFaultsSurvived('Samba AD DC SIGKILLed mid-read')
  it('integration error, snapshot unchanged, destructive actions held account-wide, nothing applied; after a restart the next sync catches up', async () => {
    const ad = samba.details!
    const dir = join(tmp.path, 'data')
    const { db, core, onFirstObjects } = killHarness(dir)
    let killedAt = 0
    let killedPids = 0
    try {
      const ldif = join(tmp.path, 'other.ldif')
      writeLdifSync(ldif, syntheticOrg(50, 5, 'other.example'))
      await core.createIntegration({ name: 'Other directory', description: '', config: { type: 'ldif-file', settings: { path: ldif, format: 'ldif' } }, policy: {}, enabled: true })
      const config = {
        type: 'active-directory',
        settings: { host: ad.host, encryption: 'ldaps', caCertificatePem: ad.caPem, bindDn: ad.adminUpn, baseDn: ad.corpDn, pageSize: PAGE_SIZE, timeoutSeconds: 10 },
      } as IntegrationConfig
      const integration = await core.createIntegration({ name: 'Samba AD', description: '', config, policy: {}, enabled: true, secret: ad.adminPassword })
      const first = await core.runSync('all', 'manual')
      expect(first.outcome, first.errors.join(' ')).toBe('success')
      const goodSnapshot = core.getIntegration(integration.id).snapshot
      expect(goodSnapshot?.users).toBeGreaterThanOrEqual(SEED.users)
      const before = dumpAccount(db)

      // The second read would be incremental (uSNChanged: no objects, nothing to die in); the
      // preset's own user filter spelt out changes the scope fingerprint, so it is a full paged read.
      await core.updateIntegration({ id: integration.id, config: { type: 'active-directory', settings: { ...config.settings, userFilter: '(&(objectCategory=person)(objectClass=user))' } } as IntegrationConfig })

      // The other directory loses u00007 (a destructive demotion) while Samba dies mid-read.
      writeLdifSync(ldif, syntheticOrg(50, 5, 'other.example', new Set([7])))
      onFirstObjects(integration.id, (objectsRead) => {
        killedAt = objectsRead
        // The root process first (what an OOM kill or a crash does), then its workers: one of them serves our connection.
        const workers = sessionPidsSync(ad.pid).filter((pid) => pid !== ad.pid)
        process.kill(ad.pid, 'SIGKILL')
        for (const pid of workers) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
        killedPids = 1 + workers.length
      })
      const started = performance.now()
      const killed = await core.runSync('all', 'manual')
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      expect(killedAt).toBeGreaterThan(0)
      expect(killedAt).toBeLessThan(goodSnapshot!.users)
      const after = core.getIntegration(integration.id)
      expect(after.status).toBe('error')
      expect(after.statusReason).toMatch(/\S/)
      expect(after.statusReason).not.toMatch(/at \w+ \(|node:internal|Error: /)
      expect(after.snapshot).toEqual(goodSnapshot)
      expect(killed.outcome).toBe('partial')
      expect(killed.held).toMatchObject({ 'demote-address': 1 })
      const held = core.listHeld({}, 0, 10).actions
      expect(held.find((a) => a.kind === 'demote-address')).toMatchObject({ target: 'u00007@other.example' })
      for (const action of held) expect(action).toMatchObject({ reason: 'blocked', blockingIntegrationIds: [integration.id] })
      expect(dumpAccount(db)).toEqual(before)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')

      // Samba back on the same data and address: the next sync reads fully and applies what was held.
      for (let i = 0; i < 100 && isAlive(ad.pid); i++) await new Promise((resolve) => setTimeout(resolve, 50))
      await run(join(import.meta.dirname, '..', '..', 'servers', 'start-samba-ad.sh'), [ad.dir, ad.host])
      samba.details = { ...ad, pid: Number((await readFile(join(ad.dir, 'run/samba.pid'), 'utf8')).trim()) }
      const recovered = await core.runSync('all', 'manual')
      expect(recovered.outcome, recovered.errors.join(' ')).toBe('success')
      expect(recovered.applied['demote-address']).toBe(1)
      expect(core.getIntegration(integration.id).status).toBe('ok')
      expect(core.getIntegration(integration.id).snapshot?.users).toBe(goodSnapshot?.users)
      console.info(
        `Samba AD SIGKILLed (${killedPids} processes) after ${killedAt} objects of a ${goodSnapshot?.users}-user paged read: integration error in ${seconds} s ("${after.statusReason?.slice(0, 100)}"); recovered after restart`,
      )
    } finally {
      db.close()
    }
  }, 180_000)
})
