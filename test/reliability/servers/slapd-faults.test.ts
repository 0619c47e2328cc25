import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { PresenceFilter } from 'ldapts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LdapConfigSchema, type IntegrationConfig } from '../../../shared/domain/integration-config.ts'
import { createLdapConnector } from '../../../main/connectors/ldap/create-ldap-connector.ts'
import { escapeFilterValue, filterText, matchingAny } from '../../../main/connectors/ldap/ldap-filters.ts'
import { syntheticOrg, writeLdifSync } from '../../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir } from '../../helpers/test-core.ts'
import { startSlapd, stopSlapd, type SlapdDetails } from '../../servers/ldap-test-servers.ts'
import { killHarness } from '../kill-harness.ts'
import { countFaultsSurvived } from '../count-faults.ts'
import { recordFigures } from '../figures.ts'

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
  countFaultsSurvived('slapd SIGKILLed mid-read')
  let killedAt = 0

  it('integration error, snapshot unchanged, destructive actions held account-wide, nothing applied; after a restart the next sync catches up', async () => {
    const dir = join(tmp.path, 'data')
    const { db, core, onFirstObjects } = killHarness(dir)
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
    onFirstObjects(ldap.id, (objectsRead) => {
      killedAt = objectsRead
      process.kill(slapd.pid, 'SIGKILL')
    })
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
    // First wait until the killed process is gone, or start-slapd.sh finds it "already running".
    for (let i = 0; i < 100 && isAlive(slapd.pid); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    const restarted = await run(join(import.meta.dirname, '..', '..', 'servers', 'start-slapd.sh'), [slapd.dir, String(slapd.port)])
    slapd = { ...slapd, pid: Number(restarted.stdout.trim().split('\n').pop()) }
    const recovered = await core.runSync('all', 'manual')
    expect(recovered.outcome, recovered.errors.join(' ')).toBe('success')
    expect(recovered.applied['demote-address']).toBe(1)
    expect(core.getIntegration(ldap.id).status).toBe('ok')
    console.info(`slapd SIGKILLed after ${killedAt} objects of a ${goodSnapshot?.users}-user paged read: integration error in ${seconds} s ("${after.statusReason?.slice(0, 100)}"); recovered after restart`)
    known = core.directory.users('', 0, 3).rows.filter((u) => u.primaryAddress.endsWith('@example.com')).map((u) => u.primaryAddress)
    db.close()
  }, 180_000)
})

let known: string[] = []

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('LDAP special characters against the real slapd (no filter injection)', () => {
  const SPECIAL = ['*', '(', ')', '\\', '\0', '|', '&', '!', '=', '~', '<', '>', ',', '+', '"', '#', ';', ' ', 'é', '\u00a0', '\n']
  const value = fc.string({ unit: fc.oneof(fc.constantFrom(...SPECIAL), fc.constantFrom('a', 'u', '0', '1', '@', '.', 'example', 'com', 'mail', 'uid', 'objectClass')), maxLength: 24 })
  const connector = () =>
    createLdapConnector('ldap', LdapConfigSchema.parse({ host: slapd.host, port: slapd.port, encryption: 'none', bindDn: slapd.readerDn, baseDn: slapd.baseDn, timeoutSeconds: 10 }), slapd.readerPassword)

  it('a real address is found; the same address with wildcards or filter syntax around it is not', async () => {
    const address = known[0] ?? ''
    expect(address).toMatch(/@example\.com$/)
    const c = connector()
    expect((await c.lookupUser?.(address, AbortSignal.timeout(10_000)))?.primaryAddress).toBe(address)
    for (const crafted of ['*', `${address.slice(0, 3)}*`, `*${address.slice(3)}`, `${address})(mail=*`, `*)(|(mail=*`, `${address})(objectClass=*`, `\\2a`, `${address}\\00`]) {
      expect(await c.lookupUser?.(crafted, AbortSignal.timeout(10_000)), crafted).toBeNull()
    }
  })

  it('300 generated values built from every filter metacharacter: each matches only itself (never a wildcard, never an injected clause), and nothing throws', async () => {
    const c = connector()
    let tried = 0
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        fc.pre(!known.includes(v.toLowerCase()))
        tried++
        expect(await c.lookupUser?.(v, AbortSignal.timeout(10_000))).toBeNull()
        // The printed filter escapes every metacharacter: the value adds no parenthesis, so no clause.
        const printed = filterText(matchingAny(new PresenceFilter({ attribute: 'objectClass' }), [{ attribute: 'mail', value: v }]))
        expect([(printed.match(/\(/g) ?? []).length, (printed.match(/\)/g) ?? []).length]).toEqual([3, 3])
        expect(escapeFilterValue(v)).not.toMatch(/(?<!\\)[*()]/)
      }),
      { numRuns: 300 },
    )
    recordFigures('LDAP values with filter metacharacters (real slapd)', { validInputsAccepted: tried })
    console.info(`LDAP injection: ${tried} generated values with filter metacharacters looked up on the real slapd: 0 matched anything but themselves`)
  }, 120_000)
})
