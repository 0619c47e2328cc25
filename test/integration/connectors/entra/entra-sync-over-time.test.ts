import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../../shared/domain/run.ts'
import { isDestructiveKind, type ActionKind } from '../../../../shared/domain/sync-action.ts'
import { CliSession, groupByName, userByAddress } from '../../cli/cli-harness.ts'
import { DAY_MS } from '../../../emulators/emulator-clock.ts'
import { EntraEmulator } from '../../../emulators/entra-emulator.ts'
import { generateOrgModel } from '../../../emulators/org-model.ts'
import { createTestPki, type TestPki } from '../../../emulators/test-pki.ts'

// Issue 17: an Entra integration through the whole engine (the real `dirsync` command, its store and
// planner) while the service's time and consistency move under it. 300 users, 8 groups: small, as
// what is under test is how runs follow each other, not size.

const USERS = 300
const GROUPS = 8
const TENANT_ID = '3c9e1f2a-7b4d-4e6f-8a1c-5d2e9f0b7a64'
const APP = { clientId: '2c3d4e5f-6666-4777-8888-9999aaaabbbb', clientSecret: 'over-time~entra~client-secret' }

let pki: TestPki

beforeAll(() => {
  pki = createTestPki()
})

const model = () => generateOrgModel({ users: USERS, groups: GROUPS })

async function entraSession(label: string): Promise<{ emulator: EntraEmulator; cli: CliSession; id: string }> {
  const emulator = await new EntraEmulator({
    tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
    tenantId: TENANT_ID,
    tenantDomain: 'tailspin.onmicrosoft.com',
    model: model(),
    apps: [{ ...APP, roles: ['User.Read.All', 'Group.Read.All'] }],
  }).start()
  const cli = await CliSession.create(label)
  const secret = cli.secretEnv('ENTRA_CLIENT_SECRET', APP.clientSecret)
  const id = await cli.addIntegration('entra', `Tailspin ${label}`, { tenantId: TENANT_ID, clientId: APP.clientId, authorityHost: emulator.url, graphEndpoint: emulator.url, caCertificatePem: pki.caCertPem }, secret)
  return { emulator, cli, id }
}

/** One emulator and one CLI data directory for the tests of a describe block, started before them and closed after. */
function useEntraSession(label: string): { readonly emulator: EntraEmulator; readonly cli: CliSession } {
  let started: { emulator: EntraEmulator; cli: CliSession } | null = null
  beforeAll(async () => {
    started = await entraSession(label)
  })
  afterAll(async () => {
    await started?.emulator.close()
    await started?.cli.dispose()
  })
  return {
    get emulator() {
      if (!started) throw new Error('the session starts in beforeAll')
      return started.emulator
    },
    get cli() {
      if (!started) throw new Error('the session starts in beforeAll')
      return started.cli
    },
  }
}

describe('an Entra integration over time (engine + Graph emulator)', () => {
  const session = useEntraSession('idle-week')

  it('left untouched for 8 days, syncs on with a full read and no error (the 7-day delta link expired)', async () => {
    const { emulator, cli } = session
    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    expect(first.reads[0]).toMatchObject({ outcome: 'read', users: USERS, groups: GROUPS })

    emulator.clock.advance(8 * DAY_MS)
    const second = await cli.syncAll()
    expect(second.errors).toEqual([])
    expect(second.outcome).toBe('success')
    expect(second.reads[0]).toMatchObject({ outcome: 'read', users: USERS, groups: GROUPS })
    expect(second.reads[0]!.mode).toMatch(/^full: .*HTTP 400 syncStateNotFound.*7 days/)
    // Nothing changed in the tenant: a full read that matches the snapshot changes nothing.
    expect(second.applied).toEqual({})
    expect(second.held).toEqual({})

    const third = await cli.syncAll()
    expect(third.outcome).toBe('success')
    expect(third.reads[0]!.mode).toMatch(/^incremental:/)
  })

  it('does not offer a refused delta link again after a run that failed once Graph had refused it', async () => {
    const { emulator, cli } = session
    const before = await cli.syncAll()
    expect(before.reads[0]!.mode).toMatch(/^incremental:/)
    const refusedBefore = emulator.stats.rejectedDeltaLinks
    emulator.expireDeltaTokens(400, 'syncStateNotFound')
    emulator.dropConnectionMidPage(1)
    const failed = await cli.run('sync', '--all', '--json')
    const failedRun = JSON.parse(failed.stdout) as RunSummary
    expect(failedRun.reads[0]!.outcome).toBe('failed')
    expect(emulator.stats.rejectedDeltaLinks - refusedBefore).toBe(1)

    const next = await cli.syncAll()
    expect(next.outcome).toBe('success')
    expect(next.reads[0]!.mode).toMatch(/^full: first read: no delta link stored/i)
    // The refused link was not sent again.
    expect(emulator.stats.rejectedDeltaLinks - refusedBefore).toBe(1)
  })
})

describe('an Entra integration’s group aliases (engine + Graph emulator)', () => {
  const session = useEntraSession('aliases')

  it('keeps a group’s aliases on the account’s group: found by alias, recognised as the group’s address, and an alias added or dropped in Entra follows at the next sync', async () => {
    const { emulator, cli } = session
    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    const team = model().groups[6]!
    const alias = `${team.name}@mail.example.com`
    const row = groupByName(await cli.groups(), team.name)
    expect(row.aliases).toEqual([alias])
    expect((await cli.json<{ key: string }>('group', alias)).key).toBe(row.key)
    expect((await cli.groups(alias)).rows.map((g) => g.key)).toEqual([row.key])
    const asUser = await cli.run('user', alias)
    expect(asUser.code).toBe(1)
    expect(asUser.stderr).toContain(`is an address of the group ${team.name}`)

    emulator.directory.updateGroup(emulator.groupId(team.n), { proxyAddresses: [`SMTP:${team.address}`, 'smtp:orders@example.com'] })
    const second = await cli.syncAll()
    expect(second.outcome).toBe('success')
    expect(second.reads[0]!.mode).toMatch(/^incremental:/)
    expect(second.applied).toEqual({ 'add-group-alias': 1, 'remove-group-alias': 1 })
    expect(groupByName(await cli.groups(), team.name).aliases).toEqual(['orders@example.com'])
    // The group's history, found by its new alias, says which aliases came and went.
    const history = await cli.json<{ subject: { key: string }; entries: Array<{ kind: string; before: unknown; after: unknown }> }>('history', 'orders@example.com', '--all')
    expect(history.subject.key).toBe(row.key)
    expect(history.entries.filter((e) => e.kind.endsWith('group-alias')).map((e) => [e.kind, e.before, e.after])).toEqual([
      ['add-group-alias', { aliases: [alias] }, { aliases: [alias, 'orders@example.com'].sort() }],
      ['remove-group-alias', { aliases: [alias, 'orders@example.com'].sort() }, { aliases: ['orders@example.com'] }],
    ])
  })
})

describe('an Entra integration while a Graph replica lags (engine + Graph emulator)', () => {
  const session = useEntraSession('lagging')

  function destructive(run: RunSummary): string[] {
    return [...Object.keys(run.applied), ...Object.keys(run.held)].filter((k) => isDestructiveKind(k as ActionKind))
  }

  it('never demotes, deletes or removes anything because a replica answered 404 or old data, and converges once it caught up', async () => {
    const { emulator, cli } = session
    // A hybrid user without mail (the UPN is the address), and a group to join.
    const hybrid = emulator.userId(5)
    emulator.directory.updateUser(hybrid, { mail: null, proxyAddresses: [] })
    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    const team = model().groups[6]!
    const joiner = emulator.userId(team.memberUsers.includes(7) ? 8 : 7)

    emulator.lagReplica('not-found')
    emulator.directory.updateUser(hybrid, { displayName: 'Renamed During Lag' })
    emulator.directory.addMember(emulator.groupId(team.n), joiner)
    const lagging = await cli.syncAll()
    expect(lagging.outcome).toBe('success')
    expect(lagging.reads[0]!.mode).toMatch(/^incremental:/)
    expect(destructive(lagging)).toEqual([])
    const user = userByAddress(await cli.users(), 'user000005@example.com')
    expect(user).toMatchObject({ status: 'active', displayName: 'Renamed During Lag' })
    expect(user.addresses.every((a) => a.type === 'directory')).toBe(true)

    emulator.catchUp()
    const caughtUp = await cli.syncAll()
    expect(caughtUp.outcome).toBe('success')
    expect(destructive(caughtUp)).toEqual([])
    const joinerAddress = emulator.users.get(joiner)!.mail!
    expect(await cli.memberAddresses(groupByName(await cli.groups(), team.name).key)).toContain(joinerAddress)
  })

  it('with a replica 30 emulated seconds behind every change, never demotes or removes anything while it lags, and takes the changes in the first run after those seconds', async () => {
    const { emulator, cli } = session
    const team = model().groups[7]!
    const teamKey = groupByName(await cli.groups(), team.name).key
    const leaver = emulator.userId(team.memberUsers[0]!)
    const leaverAddress = emulator.users.get(leaver)!.mail!
    const joiner = emulator.userId([...Array(USERS).keys()].map((i) => i + 1).find((n) => !team.memberUsers.includes(n))!)
    emulator.lagFor(30, 'not-found')
    try {
      emulator.directory.removeMember(emulator.groupId(team.n), leaver)
      emulator.directory.addMember(emulator.groupId(team.n), joiner)
      emulator.directory.updateUser(leaver, { displayName: 'Renamed While 30 s Behind' })
      const lagging = await cli.syncAll()
      expect(lagging.outcome).toBe('success')
      expect(destructive(lagging)).toEqual([])
      expect(await cli.memberAddresses(teamKey)).toContain(leaverAddress)
      expect(userByAddress(await cli.users(), leaverAddress)).toMatchObject({ status: 'active', displayName: 'Renamed While 30 s Behind' })

      emulator.clock.advance(31_000)
      const after = await cli.syncAll()
      expect(after.outcome).toBe('success')
      expect(destructive(after)).toEqual(['remove-member'])
      expect(after.applied['remove-member']).toBe(1)
      const members = await cli.memberAddresses(teamKey)
      expect(members).not.toContain(leaverAddress)
      expect(members).toContain(emulator.users.get(joiner)!.mail!)
    } finally {
      emulator.catchUp()
    }
  })
})
