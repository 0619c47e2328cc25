import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EntraEmulator } from '../../emulators/entra-emulator.ts'
import { GoogleEmulator } from '../../emulators/google-emulator.ts'
import { generateOrgModel, type OrgModel } from '../../emulators/org-model.ts'
import { createServiceAccountKey, createTestPki, type TestPki } from '../../emulators/test-pki.ts'
import { CliSession, groupByName, userByAddress } from './cli-harness.ts'

// Issue 5 end to end: Microsoft Entra ID and Google Workspace integrations created, tested, synced
// and inspected through the real `dirsync` command against the wire-protocol emulators (the real
// @azure/msal-node and Google clients run in the CLI child), then one change in the directory and a
// second sync: incremental for Entra (delta link), full with a local diff for Google (no change feed).
// 1,200 users and 52 groups: group 50 nests groups 48 and 49 (the org model's rule); every 97th user
// is disabled/suspended.

const USERS = 1_200
const GROUPS = 52
const NESTING_GROUP = 50

let pki: TestPki
let model: OrgModel

beforeAll(() => {
  pki = createTestPki()
  model = generateOrgModel({ users: USERS, groups: GROUPS })
})

function addressRows(user: { addresses: ReadonlyArray<{ address: string; type: string; primary: boolean }> }): Array<[string, string, boolean]> {
  return user.addresses.map((a) => [a.address, a.type, a.primary])
}

describe('dirsync with a Microsoft Entra ID integration (Graph emulator)', () => {
  const tenantId = '7d2c6a1e-4b3f-4e8a-9c5d-1a2b3c4d5e6f'
  const app = { clientId: '1b2c3d4e-5555-4666-8777-888899990000', clientSecret: 'cli-e2e~entra~client-secret' }
  let emulator: EntraEmulator
  let cli: CliSession

  beforeAll(async () => {
    emulator = await new EntraEmulator({
      tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
      tenantId,
      tenantDomain: 'fabrikam.onmicrosoft.com',
      model,
      apps: [{ ...app, roles: ['User.Read.All', 'Group.Read.All'] }],
    }).start()
    cli = await CliSession.create('entra')
  })

  afterAll(async () => {
    await emulator?.close()
    await cli?.dispose()
  })

  it('is created, tested (a wrong secret fails with the reason), synced, inspected, and re-read through the delta link after a change', async () => {
    const secret = cli.secretEnv('ENTRA_CLIENT_SECRET', app.clientSecret)
    const id = await cli.addIntegration('entra', 'Fabrikam Entra', { tenantId, clientId: app.clientId, authorityHost: emulator.url, graphEndpoint: emulator.url, caCertificatePem: pki.caCertPem, pageSize: 300 }, secret)

    const steps = await cli.json<Array<{ step: string; verdict: string }>>('integrations', 'test', id)
    expect(steps.length).toBeGreaterThanOrEqual(3)
    expect(steps.filter((s) => s.verdict === 'fail')).toEqual([])
    await cli.ok('integrations', 'edit', id, '--secret-env', cli.secretEnv('ENTRA_WRONG_SECRET', 'not-the-client-secret'))
    const failed = await cli.run('integrations', 'test', id)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/client secret was rejected/)
    expect(failed.stderr).not.toContain('not-the-client-secret')
    await cli.ok('integrations', 'edit', id, '--secret-env', secret)

    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    expect(first.reads[0]).toMatchObject({ outcome: 'read', users: USERS, groups: GROUPS })
    expect(first.reads[0]!.mode).toMatch(/^full: first read/i)

    const users = await cli.users()
    expect(users.total).toBe(USERS)
    const seeded = model.users[9]!
    const user = userByAddress(users, seeded.primaryAddress)
    expect(addressRows(user)).toEqual([[seeded.primaryAddress, 'directory', true], ...[...seeded.aliases].sort().map((a) => [a, 'directory', false])])
    expect(userByAddress(users, seeded.aliases[0]!).primaryAddress).toBe(seeded.primaryAddress)
    const disabled = model.users.filter((u) => !u.enabled).map((u) => u.primaryAddress).sort()
    expect(disabled.length).toBeGreaterThan(0)
    expect(users.rows.filter((u) => u.status === 'disabled').map((u) => u.primaryAddress).sort()).toEqual(disabled)

    const groups = await cli.groups()
    expect(groups.total).toBe(GROUPS)
    const nesting = model.groups[NESTING_GROUP - 1]!
    expect(nesting.memberGroups.length).toBeGreaterThan(0)
    const addressOf = new Map(model.users.map((u) => [emulator.userId(u.n), u.primaryAddress]))
    const transitive = emulator.transitiveUsers(emulator.groupId(nesting.n)).map((uid) => addressOf.get(uid)!).sort()
    expect(await cli.memberAddresses(groupByName(groups, nesting.name).key)).toEqual(transitive)

    emulator.directory.updateUser(emulator.userId(seeded.n), { displayName: 'Renamed In Entra' })
    const second = await cli.syncAll()
    expect(second.outcome).toBe('success')
    expect(second.reads[0]!.mode).toMatch(/^incremental:/)
    expect(second.reads[0]).toMatchObject({ users: USERS, groups: GROUPS })
    expect(second.applied).toEqual({ 'update-user': 1 })
    expect(userByAddress(await cli.users(), seeded.primaryAddress).displayName).toBe('Renamed In Entra')
    cli.expectNoSecretInArgv(app.clientSecret)
  })
})

describe('dirsync with a Google Workspace integration (token + Directory API emulator)', () => {
  const customerId = 'C01cli2e2'
  const scopes = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly']
  let emulator: GoogleEmulator
  let cli: CliSession
  const account = createServiceAccountKey('dirsync-cli-e2e')

  beforeAll(async () => {
    emulator = await new GoogleEmulator({
      tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
      model,
      customerId,
      serviceAccounts: [{ clientEmail: account.key.client_email, publicKeyPem: account.publicKeyPem, delegatedScopes: scopes }],
    }).start()
    cli = await CliSession.create('google')
  })

  afterAll(async () => {
    await emulator?.close()
    await cli?.dispose()
  })

  it('is created with the service-account key in an environment variable, tested, synced, inspected, and fully re-read with exactly one change applied', async () => {
    const keyJson = JSON.stringify(account.key)
    const secret = cli.secretEnv('GOOGLE_SERVICE_ACCOUNT_KEY', keyJson)
    const id = await cli.addIntegration('google', 'Example Workspace', { adminEmail: `admin@${model.domain}`, customerId, rootUrl: `${emulator.url}/`, tokenUrl: `${emulator.url}/token`, caCertificatePem: pki.caCertPem }, secret)

    const steps = await cli.json<Array<{ step: string; verdict: string }>>('integrations', 'test', id)
    expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'pass'], ['sample-query', 'pass']])
    // Same service account, another private key: the emulator checks the JWT signature.
    const forged = JSON.stringify({ ...account.key, private_key: createServiceAccountKey('forged').key.private_key })
    await cli.ok('integrations', 'edit', id, '--secret-env', cli.secretEnv('GOOGLE_FORGED_KEY', forged))
    const failed = await cli.run('integrations', 'test', id)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/invalid JWT signature/)
    expect(failed.stderr + failed.stdout).not.toContain('PRIVATE KEY')
    await cli.ok('integrations', 'edit', id, '--secret-env', secret)

    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    expect(first.reads[0]).toMatchObject({ outcome: 'read', users: USERS, groups: GROUPS })
    expect(first.reads[0]!.mode).toMatch(/^full:/)

    const users = await cli.users()
    expect(users.total).toBe(USERS)
    const seeded = model.users[19]!
    const user = userByAddress(users, seeded.primaryAddress)
    // The emulator gives each user the model's first two aliases.
    expect(addressRows(user)).toEqual([[seeded.primaryAddress, 'directory', true], ...seeded.aliases.slice(0, 2).sort().map((a) => [a, 'directory', false])])
    const suspended = model.users.filter((u) => !u.enabled).map((u) => u.primaryAddress).sort()
    expect(users.rows.filter((u) => u.status === 'disabled').map((u) => u.primaryAddress).sort()).toEqual(suspended)

    const groups = await cli.groups()
    expect(groups.total).toBe(GROUPS)
    const nesting = model.groups[NESTING_GROUP - 1]!
    const addressOf = new Map(model.users.map((u) => [emulator.userId(u.n), u.primaryAddress]))
    const transitive = emulator.transitiveUsers(emulator.groupId(nesting.n)).map((uid) => addressOf.get(uid)!).sort()
    expect(await cli.memberAddresses(groupByName(groups, nesting.name).key)).toEqual(transitive)

    emulator.users.get(emulator.userId(seeded.n))!.name.fullName = 'Renamed In Google'
    const second = await cli.syncAll()
    expect(second.outcome).toBe('success')
    expect(second.reads[0]!.mode).toMatch(/^full: .*no change feed/)
    expect(second.applied).toEqual({ 'update-user': 1 })
    expect(userByAddress(await cli.users(), seeded.primaryAddress).displayName).toBe('Renamed In Google')
    cli.expectNoSecretInArgv(keyJson, account.key.private_key)
  })
})
