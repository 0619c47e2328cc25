import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import type { Core } from '../../main/core/dirsync-core.ts'
import { EntraEmulator } from '../emulators/entra-emulator.ts'
import { GoogleEmulator } from '../emulators/google-emulator.ts'
import { generateOrgModel } from '../emulators/org-model.ts'
import { createServiceAccountKey, createTestPki } from '../emulators/test-pki.ts'
import { syntheticOrg, writeLdifSync } from '../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir } from '../helpers/test-core.ts'
import { killHarness } from './kill-harness.ts'
import { countFaultsSurvived } from './count-faults.ts'

/**
 * A directory server that dies in the middle of a read — the Graph and Google emulators (wire-level
 * HTTPS servers) closed, connections cut, after the first page — through the real core and the
 * real connectors. Each time: the integration goes to `error` with a plain reason, its last good
 * snapshot stays, the other integration's destructive action is held account-wide, and nothing of
 * the run is applied (the account directory is byte-for-byte the same).
 */
const tmp = makeTempDir('dirsync-killed-mid-read')
const pki = createTestPki()
const USERS = 3000
const model = generateOrgModel({ users: USERS, groups: 6, disabledEvery: 0 })
const figures: string[] = []

async function scenario(name: string, config: IntegrationConfig, secret: string, kill: () => Promise<void>, beforeSecondRun: (core: Core, id: string) => Promise<void> = () => Promise.resolve()): Promise<void> {
  const h = killHarness(join(tmp.path, name))
  const ldif = join(tmp.path, `${name}.ldif`)
  writeLdifSync(ldif, syntheticOrg(50, 5, 'other.example'))
  await h.core.createIntegration({ name: 'Other directory', description: '', config: { type: 'ldif-file', settings: { path: ldif, format: 'ldif' } }, policy: {}, enabled: true })
  const target = await h.core.createIntegration({ name, description: '', config, policy: {}, enabled: true, secret })
  const first = await h.core.runSync('all', 'manual')
  expect(first.outcome, first.errors.join(' ')).toBe('success')
  const goodSnapshot = h.core.getIntegration(target.id).snapshot
  expect(goodSnapshot?.users).toBe(USERS)
  const before = dumpAccount(h.db)

  // The other directory loses a user (a destructive demotion), and the server dies mid-read.
  writeLdifSync(ldif, syntheticOrg(50, 5, 'other.example', new Set([7])))
  await beforeSecondRun(h.core, target.id)
  h.onFirstObjects(target.id, kill)
  const started = performance.now()
  const run = await h.core.runSync('all', 'manual')
  const seconds = ((performance.now() - started) / 1000).toFixed(1)

  const after = h.core.getIntegration(target.id)
  expect(after.status).toBe('error')
  expect(after.statusReason).toMatch(/\S/)
  expect(after.statusReason).not.toMatch(/at \w+ \(|node:internal|Error: /)
  expect(after.snapshot).toEqual(goodSnapshot)
  expect(run.outcome).toBe('partial')
  // u00007 leaves the other directory: its demotion (and its group membership's removal) are held, blocked by the failed integration.
  expect(run.held).toMatchObject({ 'demote-address': 1 })
  const held = h.core.listHeld({}, 0, 10).actions
  expect(held.find((a) => a.kind === 'demote-address')).toMatchObject({ target: 'u00007@other.example' })
  for (const action of held) expect(action).toMatchObject({ reason: 'blocked', blockingIntegrationIds: [target.id] })
  expect(dumpAccount(h.db)).toEqual(before)
  expect(h.db.pragma('integrity_check', { simple: true })).toBe('ok')
  figures.push(`${name}: killed mid-read, integration error in ${seconds} s ("${after.statusReason?.slice(0, 90)}")`)
  h.db.close()
}

afterAll(() => {
  console.info(`directory killed mid-read:\n  ${figures.join('\n  ')}`)
  tmp.remove()
})

describe('a directory server that dies in the middle of a read', () => {
  countFaultsSurvived('cloud emulator closed mid-read')
  it('Microsoft Graph (Entra emulator) closed after the first page', async () => {
    const app = { clientId: '0a1b2c3d-1111-4222-8333-444455556666', clientSecret: 'emulator-only~secret', roles: ['User.Read.All', 'Group.Read.All'] }
    const emulator = await new EntraEmulator({ tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem }, tenantId: '5f1c2a9e-0d3b-4c7e-9a51-2b8e6f4d7c10', tenantDomain: 'contoso.onmicrosoft.com', model, apps: [app] }).start()
    try {
      const config = { type: 'entra', settings: { tenantId: 'contoso.onmicrosoft.com', clientId: app.clientId, authorityHost: emulator.url, graphEndpoint: emulator.url, caCertificatePem: pki.caCertPem, pageSize: 100 } } as IntegrationConfig
      // The second read would be a delta read (a couple of requests, done before any page is stored);
      // a changed member setting makes it a full read of 30 pages, which the server dies in.
      const full = async (core: Core, id: string): Promise<void> => void (await core.updateIntegration({ id, config: { type: 'entra', settings: { ...config.settings, transitiveMembers: false } } as IntegrationConfig }))
      await scenario('Entra', config, app.clientSecret, () => emulator.close(), full)
    } finally {
      await emulator.close().catch(() => undefined)
    }
  }, 120_000)

  it('Google Directory API (Google emulator) closed after the first page', async () => {
    const { key, publicKeyPem } = createServiceAccountKey('dirsync-reader')
    const scopes = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly']
    const emulator = await new GoogleEmulator({ tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem }, model, customerId: 'C03az79cb', serviceAccounts: [{ clientEmail: key.client_email, publicKeyPem, delegatedScopes: scopes }] }).start()
    try {
      const config = { type: 'google', settings: { adminEmail: `admin@${model.domain}`, rootUrl: `${emulator.url}/`, tokenUrl: `${emulator.url}/token`, caCertificatePem: pki.caCertPem, pageSize: 100 } } as IntegrationConfig
      await scenario('Google', config, JSON.stringify(key), () => emulator.close())
    } finally {
      await emulator.close().catch(() => undefined)
    }
  }, 120_000)
})
