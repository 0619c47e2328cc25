import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../../main/connectors/connector-error.ts'
import { createEntraConnector, type EntraTuning } from '../../../../main/connectors/entra/create-entra-connector.ts'
import { EntraConfigSchema, type EntraConfig } from '../../../../shared/domain/integration-config.ts'
import { collectRead } from '../../../emulators/collect-read.ts'
import { DAY_MS } from '../../../emulators/emulator-clock.ts'
import type { GraphUser } from '../../../emulators/entra-directory.ts'
import { EntraEmulator } from '../../../emulators/entra-emulator.ts'
import { generateOrgModel, type OrgModel } from '../../../emulators/org-model.ts'
import { createAppCertificate, createTestPki, type AppCertificate, type TestPki } from '../../../emulators/test-pki.ts'

// 5,200 users (every 500th a guest, so all-staff keeps 5,190 member users) and 52 groups: group 50
// nests groups 49 and 48, as in the LDAP generator.
const USERS = 5200
const GROUPS = 52
const TENANT_ID = '5f1c2a9e-0d3b-4c7e-9a51-2b8e6f4d7c10'
const TENANT_DOMAIN = 'contoso.onmicrosoft.com'
const READER = { clientId: '0a1b2c3d-1111-4222-8333-444455556666', clientSecret: 'emulator-only~secret~value-1' }
const CERT_APP_ID = '0a1b2c3d-2222-4222-8333-444455556666'
const USERS_ONLY_ID = '0a1b2c3d-3333-4222-8333-444455556666'
const LEAST_PRIVILEGE = { clientId: '0a1b2c3d-4444-4222-8333-444455556666', clientSecret: 'emulator-only~least-privilege' }

let pki: TestPki
let model: OrgModel
let emulator: EntraEmulator
let appCert: AppCertificate

beforeAll(async () => {
  pki = createTestPki()
  appCert = createAppCertificate()
  model = generateOrgModel({ users: USERS, groups: GROUPS, guestEvery: 500 })
  emulator = await new EntraEmulator({
    tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
    tenantId: TENANT_ID,
    tenantDomain: TENANT_DOMAIN,
    model,
    apps: [
      { ...READER, roles: ['User.Read.All', 'Group.Read.All'] },
      { clientId: CERT_APP_ID, certificatePem: appCert.certPem, roles: ['Directory.Read.All'] },
      { clientId: USERS_ONLY_ID, clientSecret: 'emulator-only~users-only', roles: ['User.Read.All'] },
      { ...LEAST_PRIVILEGE, roles: ['User.Read.All', 'GroupMember.Read.All'] },
    ],
  }).start()
})

afterAll(async () => {
  await emulator?.close()
})

function settings(overrides: Partial<EntraConfig> = {}): EntraConfig {
  return EntraConfigSchema.parse({
    tenantId: TENANT_DOMAIN,
    clientId: READER.clientId,
    authorityHost: emulator.url,
    graphEndpoint: emulator.url,
    caCertificatePem: pki.caCertPem,
    pageSize: 500,
    ...overrides,
  })
}

const FAST: Partial<EntraTuning> = { retry: { maxRetries: 6, maxRetryAfterSeconds: 120, backoffBaseMs: 10 } }

function connector(overrides: Partial<EntraConfig> = {}, secret: string | null = READER.clientSecret, tuning: Partial<EntraTuning> = FAST) {
  return createEntraConnector(settings(overrides), secret, tuning)
}

function expectedMembers(groupId: string): string[] {
  return emulator.transitiveUsers(groupId).filter((id) => emulator.users.get(id)?.userType !== 'Guest').sort()
}

/** A member user (not a guest) who is not in the group yet. */
function nonMember(groupId: string): string {
  return [...emulator.users.keys()].find((u) => !emulator.groups.get(groupId)?.members.has(u) && emulator.users.get(u)?.userType === 'Member') as string
}

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

describe('createEntraConnector against the Entra/Graph emulator', () => {
  describe('#read() full', () => {
    it('reads every member user exactly as seeded, across many pages, and ends with a delta cursor', async () => {
      const before = emulator.stats.graphRequests
      const read = await collectRead(connector())
      const members = model.users.filter((u) => !u.guest)
      expect(read.users).toHaveLength(members.length)
      const byId = new Map(read.users.map((u) => [u.externalId, u]))
      for (const u of members) {
        expect(byId.get(emulator.userId(u.n))).toEqual({
          externalId: emulator.userId(u.n),
          primaryAddress: u.primaryAddress,
          aliases: [...u.aliases].sort(),
          displayName: u.displayName,
          enabled: u.enabled,
          attributes: { userPrincipalName: `${u.uid}@${model.domain}`, userType: 'Member' },
        })
      }
      expect(read.summary.mode).toBe('full')
      expect(read.summary.modeReason).toMatch(/first read/i)
      expect(read.summary.cursor).toContain('deltatoken')
      expect(read.deletedUserIds).toEqual([])
      // 5,200 users at 500 a page: 11 pages of users/delta.
      const deltaPages = emulator.stats.paths.slice(before).filter((p) => p === '/v1.0/users/delta').length
      expect(deltaPages).toBe(11)
    })

    it('reads every group with its complete, transitive member list (all-staff has more than 5,000 members) from the groups delta alone', async () => {
      const before = emulator.stats.paths.length
      const read = await collectRead(connector())
      // members@delta of the full groups/delta round is the whole membership: no group is paged again.
      expect(emulator.stats.paths.slice(before).filter((p) => /\/(members|transitiveMembers)$/.test(p))).toEqual([])
      expect(read.groups).toHaveLength(GROUPS)
      for (const g of read.groups) {
        const seeded = model.groups.find((m) => emulator.groupId(m.n) === g.externalId)
        expect(seeded).toBeDefined()
        expect(g.name).toBe(seeded?.name)
        expect([...g.memberIds].sort()).toEqual(expectedMembers(g.externalId))
      }
      const allStaff = read.groups.find((g) => g.name === 'all-staff')
      expect(allStaff?.memberIds.length).toBe(5190)
      // The group's smtp: proxy addresses are its aliases (the SMTP: one is its address).
      expect(allStaff).toMatchObject({ address: `all-staff@${model.domain}`, aliases: [`all-staff@mail.${model.domain}`] })
      // group 50 nests 49 and 48: its transitive list holds their users too.
      const nester = read.groups.find((g) => g.externalId === emulator.groupId(50))
      const child = read.groups.find((g) => g.externalId === emulator.groupId(49))
      expect(child?.memberIds.every((id) => nester?.memberIds.includes(id))).toBe(true)
    })

    it('takes the SMTP: proxy address as the primary when mail is empty (hybrid), before the UPN', async () => {
      const id = emulator.userId(60)
      const saved = { ...(emulator.users.get(id) as GraphUser) }
      emulator.directory.updateUser(id, { mail: null, userPrincipalName: `u60@${TENANT_DOMAIN}`, proxyAddresses: ['smtp:old.name@example.com', 'SMTP:real.primary@example.com'] })
      try {
        const read = await collectRead(connector())
        expect(read.users.find((u) => u.externalId === id)).toMatchObject({ primaryAddress: 'real.primary@example.com', aliases: ['old.name@example.com'] })
      } finally {
        emulator.directory.updateUser(id, { mail: saved.mail, userPrincipalName: saved.userPrincipalName, proxyAddresses: saved.proxyAddresses })
      }
    })

    it('reads direct members only when transitive members are turned off', async () => {
      const read = await collectRead(connector({ transitiveMembers: false }))
      const nester = read.groups.find((g) => g.externalId === emulator.groupId(50))
      const direct = model.groups[49]?.memberUsers.map((n) => emulator.userId(n)).filter((id) => emulator.users.get(id)?.userType !== 'Guest')
      expect([...(nester?.memberIds ?? [])].sort()).toEqual([...(direct ?? [])].sort())
    })

    it('signs in with a certificate (client assertion verified by the emulator) and reads', async () => {
      const c = createEntraConnector(settings({ clientId: CERT_APP_ID, authMethod: 'certificate', certificateThumbprint: appCert.thumbprintSha256 }), `${appCert.keyPem}\n${appCert.certPem}`)
      const steps = await c.testConnection(new AbortController().signal, () => {})
      expect(steps[0]?.message).toMatch(/Signed in/)
      expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'pass'], ['sample-query', 'pass']])
    })

    it('rejects a certificate that is not registered on the app with a plain message', async () => {
      const stranger = createAppCertificate('not-registered')
      const c = createEntraConnector(settings({ clientId: CERT_APP_ID, authMethod: 'certificate' }), `${stranger.certPem}\n${stranger.keyPem}`)
      const error = await rejection(collectRead(c))
      expect(error.code).toBe('credentials')
      expect(error.message).toMatch(/certificate was rejected/i)
    })
  })

  describe('#read() incremental (delta)', () => {
    it('picks up exactly the changed, added and deleted users and the changed groups with their full member lists', async () => {
      const c = connector()
      const first = await collectRead(c)
      const changed = emulator.userId(10)
      const removed = emulator.userId(20)
      emulator.directory.updateUser(changed, { displayName: 'Renamed Person', accountEnabled: false })
      const added = emulator.directory.addUser({
        userPrincipalName: 'new.hire@example.com', mail: 'New.Hire@example.com', proxyAddresses: ['SMTP:new.hire@example.com', 'smtp:nh@example.com'],
        displayName: 'New Hire', accountEnabled: true, userType: 'Member', jobTitle: 'Engineer', department: 'IT',
      })
      const containedRemoved = [...emulator.groups.values()].filter((g) => g.members.has(removed)).map((g) => g.id)
      emulator.directory.deleteUser(removed)
      const g10 = emulator.groupId(10)
      const g49 = emulator.groupId(49)
      emulator.directory.addMember(g10, added)
      const leaver = [...(emulator.groups.get(g49)?.members ?? [])].find((id) => emulator.users.has(id) && id !== added) as string
      emulator.directory.removeMember(g49, leaver)

      const second = await collectRead(c, { cursor: first.summary.cursor })
      expect(second.summary.mode).toBe('incremental')
      expect(second.users.map((u) => u.externalId).sort()).toEqual([changed, added].sort())
      expect(second.users.find((u) => u.externalId === changed)).toMatchObject({ displayName: 'Renamed Person', enabled: false })
      expect(second.users.find((u) => u.externalId === added)).toMatchObject({ primaryAddress: 'new.hire@example.com', aliases: ['nh@example.com'] })
      expect(second.deletedUserIds).toEqual([removed])
      expect(second.deletedGroupIds).toEqual([])
      // Groups that changed directly, plus group 50, which nests group 49 (transitive lists).
      const expectedGroups = new Set([...containedRemoved, g10, g49, emulator.groupId(50)])
      expect(new Set(second.groups.map((g) => g.externalId))).toEqual(expectedGroups)
      for (const g of second.groups) expect([...g.memberIds].sort()).toEqual(expectedMembers(g.externalId))
      expect(second.groups.find((g) => g.externalId === g10)?.memberIds).toContain(added)
      expect(second.groups.find((g) => g.externalId === g49)?.memberIds).not.toContain(leaver)

      const third = await collectRead(c, { cursor: second.summary.cursor })
      expect(third.summary.mode).toBe('incremental')
      expect(third.batches).toBe(0)
    })

    it('starts over with a full read, reported as such, when the delta link is older than 7 days (400 syncStateNotFound)', async () => {
      const c = connector()
      const first = await collectRead(c)
      emulator.clock.advance(8 * DAY_MS)
      const second = await collectRead(c, { cursor: first.summary.cursor })
      expect(second.summary.mode).toBe('full')
      expect(second.summary.modeReason).toMatch(/syncStateNotFound/)
      expect(second.summary.modeReason).toMatch(/7 days/)
      expect(second.summary.cursorRejected).toBe(true)
      expect(second.users.length).toBe(first.users.length)
      const third = await collectRead(c, { cursor: second.summary.cursor })
      expect(third.summary.mode).toBe('incremental')
    })

    it('starts over with a full read when Graph rejects the delta link with 400 syncStateInvalid', async () => {
      const c = connector()
      const first = await collectRead(c)
      emulator.expireDeltaTokens(400, 'syncStateInvalid')
      const second = await collectRead(c, { cursor: first.summary.cursor })
      expect(second.summary).toMatchObject({ mode: 'full', cursorRejected: true })
      expect(second.summary.modeReason).toContain('HTTP 400 syncStateInvalid')
      expect(second.users.length).toBe(first.users.length)
    })

    it('marks a read that fails after Graph rejected the delta link, so the engine forgets that link', async () => {
      const c = connector()
      const first = await collectRead(c)
      emulator.expireDeltaTokens(400, 'syncStateNotFound')
      emulator.dropConnectionMidPage(1)
      try {
        const error = await rejection(collectRead(c, { cursor: first.summary.cursor }))
        expect(error.code).toBe('incomplete-read')
        expect(error.cursorRejected).toBe(true)
      } finally {
        emulator.clearFaults()
      }
    })

    it('falls back to a full read, reported as such, when the delta token has expired (410 Gone)', async () => {
      const c = connector()
      const first = await collectRead(c)
      emulator.expireDeltaTokens()
      const second = await collectRead(c, { cursor: first.summary.cursor })
      expect(second.summary.mode).toBe('full')
      expect(second.summary.modeReason).toMatch(/HTTP 410 resyncRequired/)
      expect(second.users.length).toBe(first.users.length)
      const third = await collectRead(c, { cursor: second.summary.cursor })
      expect(third.summary.mode).toBe('incremental')
    })
  })

  describe('#read() guests and external identities', () => {
    /** Turns two seeded users into an external member (B2B, userType Member) and an internal guest for one test. */
    async function withIdentities(test: (external: string, internalGuest: string) => Promise<void>): Promise<void> {
      const external = emulator.userId(40)
      const internalGuest = emulator.userId(41)
      const saved = [external, internalGuest].map((id) => ({ ...(emulator.users.get(id) as GraphUser) }))
      emulator.directory.updateUser(external, { userType: 'Member', userPrincipalName: `pat_fabrikam.com#EXT#@${TENANT_DOMAIN}`, mail: 'pat@fabrikam.com', proxyAddresses: ['SMTP:pat@fabrikam.com'], externalUserState: 'Accepted' })
      emulator.directory.updateUser(internalGuest, { userType: 'Guest' })
      try {
        await test(external, internalGuest)
      } finally {
        for (const { id, ...user } of saved) emulator.directory.updateUser(id, user)
      }
    }

    it('by default leaves out external identities (#EXT# or externalUserState, even with userType Member) and keeps internal guests, in users and in member lists', async () => {
      await withIdentities(async (external, internalGuest) => {
        const read = await collectRead(connector())
        const ids = new Set(read.users.map((u) => u.externalId))
        expect(ids.has(external)).toBe(false)
        expect(ids.has(internalGuest)).toBe(true)
        const allStaff = read.groups.find((g) => g.name === 'all-staff')
        expect(allStaff?.memberIds).not.toContain(external)
        expect(allStaff?.memberIds).toContain(internalGuest)
      })
    })

    it('imports external identities with includeGuests, and leaves internal guests out with includeInternalGuests off', async () => {
      await withIdentities(async (external, internalGuest) => {
        const withExternal = await collectRead(connector({ includeGuests: true }))
        expect(withExternal.users.find((u) => u.externalId === external)).toMatchObject({ primaryAddress: 'pat@fabrikam.com', attributes: { externalUserState: 'Accepted', userType: 'Member' } })
        const noInternalGuests = await collectRead(connector({ includeInternalGuests: false }))
        expect(noInternalGuests.users.map((u) => u.externalId)).not.toContain(internalGuest)
      })
    })
  })

  describe('#read() shared and room mailboxes', () => {
    it('imports a shared and a room mailbox (account disabled, no licence, a mailbox address) as users that receive mail, and keeps a disabled licensed user disabled', async () => {
      const mailbox = (name: string) => ({ userPrincipalName: `${name}@${model.domain}`, mail: `${name}@${model.domain}`, proxyAddresses: [`SMTP:${name}@${model.domain}`], displayName: name, accountEnabled: false, userType: 'Member' as const, jobTitle: '', department: '', assignedLicenses: [] })
      const shared = emulator.directory.addUser(mailbox('reception'))
      const room = emulator.directory.addUser(mailbox('room-4b'))
      try {
        const read = await collectRead(connector())
        const user = (id: string) => read.users.find((u) => u.externalId === id)
        expect(user(shared)).toMatchObject({ primaryAddress: `reception@${model.domain}`, enabled: true, attributes: { mailbox: 'shared or resource' } })
        expect(user(room)).toMatchObject({ primaryAddress: `room-4b@${model.domain}`, enabled: true })
        const leaver = model.users.find((u) => !u.enabled && !u.guest)!
        expect(user(emulator.userId(leaver.n))).toMatchObject({ enabled: false })
      } finally {
        emulator.directory.deleteUser(shared)
        emulator.directory.deleteUser(room)
      }
    })
  })

  describe('#read() while a replica lags (eventual consistency)', () => {
    it('takes a changed user from the delta itself: a user without mail renamed while reads by id answer 404 is updated, not deleted', async () => {
      const c = connector()
      const id = emulator.userId(30)
      emulator.directory.updateUser(id, { mail: null, proxyAddresses: [] })
      const first = await collectRead(c)
      emulator.lagReplica('not-found')
      try {
        emulator.directory.updateUser(id, { displayName: 'Renamed While Lagging' })
        const second = await collectRead(c, { cursor: first.summary.cursor })
        expect(second.summary.mode).toBe('incremental')
        expect(second.deletedUserIds).toEqual([])
        expect(second.users.find((u) => u.externalId === id)).toMatchObject({ displayName: 'Renamed While Lagging', primaryAddress: `user000030@${model.domain}` })
      } finally {
        emulator.catchUp()
      }
    })

    it.each([
      ['answers 404 for the group the delta just reported', 'not-found', true, 13],
      ['answers an old member list without the member the delta added', 'stale', false, 14],
    ] as const)('never takes it as the truth when a replica %s: no deletion, and the group is read again on the next run', async (_, lag, transitiveMembers, n) => {
      const c = connector({ transitiveMembers })
      const first = await collectRead(c)
      const group = emulator.groupId(n)
      const joiner = nonMember(group)
      emulator.lagReplica(lag)
      let second
      try {
        emulator.directory.addMember(group, joiner)
        second = await collectRead(c, { cursor: first.summary.cursor })
        expect(second.deletedGroupIds).toEqual([])
        expect(second.groups.map((g) => g.externalId)).not.toContain(group)
        expect(second.summary.warnings.join(' ')).toMatch(/replication lag.*next run/)
      } finally {
        emulator.catchUp()
      }
      const third = await collectRead(c, { cursor: second.summary.cursor })
      expect(third.summary.mode).toBe('incremental')
      expect(third.groups.find((g) => g.externalId === group)?.memberIds).toContain(joiner)
    })

    it('with a replica that lags 30 emulated seconds after each change: reads the group again until those seconds have passed, then takes the current list', async () => {
      const c = connector({ transitiveMembers: false })
      const first = await collectRead(c)
      const group = emulator.groupId(15)
      const joiner = nonMember(group)
      emulator.lagFor(30)
      try {
        emulator.directory.addMember(group, joiner)
        const second = await collectRead(c, { cursor: first.summary.cursor })
        expect(second.groups.map((g) => g.externalId)).not.toContain(group)
        emulator.clock.advance(20_000)
        const third = await collectRead(c, { cursor: second.summary.cursor })
        expect(third.groups.map((g) => g.externalId)).not.toContain(group)
        expect(third.summary.warnings.join(' ')).toMatch(/replication lag/)
        emulator.clock.advance(11_000)
        const fourth = await collectRead(c, { cursor: third.summary.cursor })
        expect(fourth.deletedGroupIds).toEqual([])
        expect(fourth.groups.find((g) => g.externalId === group)?.memberIds).toContain(joiner)
        expect(fourth.summary.warnings.join(' ')).not.toMatch(/replication lag/)
      } finally {
        emulator.catchUp()
      }
    })

    it('in transitive mode, checks removals on the transitive lists too: a member removed from a nested group that an old replica still lists is read again, and one another nested group holds stays', async () => {
      const c = connector({ transitiveMembers: true })
      const [parent, child, other] = [emulator.groupId(20), emulator.groupId(21), emulator.groupId(22)]
      const inAny = new Set([parent, child, other].flatMap((g) => emulator.transitiveUsers(g)))
      const [leaver, stayer] = [...emulator.users.values()].filter((u) => u.userType === 'Member' && !inAny.has(u.id)).map((u) => u.id)
      emulator.directory.addMember(parent, child)
      emulator.directory.addMember(parent, other)
      emulator.directory.addMember(child, leaver!)
      emulator.directory.addMember(child, stayer!)
      emulator.directory.addMember(other, stayer!)
      const first = await collectRead(c)
      expect(first.groups.find((g) => g.externalId === parent)?.memberIds).toEqual(expect.arrayContaining([leaver, stayer]))
      emulator.lagReplica('stale')
      let second
      try {
        emulator.directory.removeMember(child, leaver!)
        emulator.directory.removeMember(child, stayer!)
        second = await collectRead(c, { cursor: first.summary.cursor })
        // The old transitive lists still show both: neither group is taken as it answered.
        expect(second.groups.map((g) => g.externalId)).not.toContain(child)
        expect(second.groups.map((g) => g.externalId)).not.toContain(parent)
        expect(second.summary.warnings.join(' ')).toMatch(/replication lag/)
      } finally {
        emulator.catchUp()
      }
      const third = await collectRead(c, { cursor: second.summary.cursor })
      const members = (id: string) => third.groups.find((g) => g.externalId === id)?.memberIds ?? []
      expect(members(child)).not.toContain(leaver)
      expect(members(child)).not.toContain(stayer)
      expect(members(parent)).not.toContain(leaver)
      expect(members(parent)).toContain(stayer)
      expect(third.summary.warnings.join(' ')).not.toMatch(/replication lag/)
    })

    it('reads everything again every `fullReadEvery` runs, to converge whatever a delta round missed', async () => {
      const c = connector({ fullReadEvery: 4 })
      const first = await collectRead(c)
      const second = await collectRead(c, { cursor: first.summary.cursor, incrementalRunsSinceFull: 3 })
      expect(second.summary.mode).toBe('incremental')
      const third = await collectRead(c, { cursor: second.summary.cursor, incrementalRunsSinceFull: 4 })
      expect(third.summary.mode).toBe('full')
      expect(third.summary.modeReason).toMatch(/periodic full read \(every 4 runs\)/i)
    })
  })

  describe('throttling and tokens', () => {
    it('honours 429/503 with Retry-After and completes the read with the right counts', async () => {
      const c = connector()
      emulator.throttle(4, 429, 0)
      emulator.throttle(1, 503, 1)
      const before = emulator.stats.throttled
      const started = Date.now()
      const read = await collectRead(c)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
      expect(emulator.stats.throttled - before).toBe(5)
      expect(c.lastCounters()?.throttleRetries).toBe(5)
      expect(read.users).toHaveLength(5190)
      expect(read.groups).toHaveLength(emulator.groups.size)
      expect(read.summary.warnings.join(' ')).toMatch(/throttled/)
    })

    it('gives up after the bounded number of retries with a plain "throttled" error', async () => {
      const c = connector({}, READER.clientSecret, { retry: { maxRetries: 3, maxRetryAfterSeconds: 120, backoffBaseMs: 10 } })
      emulator.throttle(50, 429, 0)
      const before = emulator.stats.throttled
      try {
        const error = await rejection(collectRead(c))
        expect(error.code).toBe('throttled')
        expect(error.message).toMatch(/after 3 retries/)
        expect(emulator.stats.throttled - before).toBe(4)
      } finally {
        emulator.clearFaults()
      }
    })

    it('refreshes a token that expires in the middle of a read', async () => {
      const c = connector()
      const tokensBefore = emulator.stats.tokenRequests
      const unauthorizedBefore = emulator.stats.unauthorized
      emulator.expireTokensAfter(6)
      const read = await collectRead(c)
      expect(read.users).toHaveLength(5190)
      expect(emulator.stats.unauthorized - unauthorizedBefore).toBe(1)
      expect(c.lastCounters()?.tokenRefreshes).toBe(1)
      expect(emulator.stats.tokenRequests - tokensBefore).toBe(2)
    })

    it('rejects a read whose connection drops in the middle of a page as incomplete', async () => {
      const c = connector()
      emulator.dropConnectionMidPage(1)
      const error = await rejection(collectRead(c))
      expect(error.code).toBe('incomplete-read')
      expect(error.message).toMatch(/incomplete/)
    })
  })

  describe('#testConnection()', () => {
    it('passes every step with a good app registration', async () => {
      const seen: string[] = []
      const steps = await connector().testConnection(new AbortController().signal, (s) => seen.push(s.step))
      expect(steps.map((s) => s.verdict)).toEqual(['pass', 'pass', 'pass'])
      expect(seen).toEqual(['token', 'permissions', 'sample-query'])
      expect(steps[2]?.message).toMatch(/Read 5 user/)
    })

    it('says the client secret is invalid, without echoing it', async () => {
      const wrong = 'emulator-only~WRONG~secret'
      const steps = await connector({}, wrong).testConnection(new AbortController().signal, () => {})
      expect(steps[0]).toMatchObject({ step: 'token', verdict: 'fail' })
      expect(steps[0]?.message).toMatch(/invalid client secret/i)
      expect(JSON.stringify(steps)).not.toContain(wrong)
      expect(steps.slice(1).every((s) => s.verdict === 'skipped')).toBe(true)
      const error = await rejection(collectRead(connector({}, wrong)))
      expect(error.code).toBe('credentials')
      expect(error.message).not.toContain(wrong)
    })

    it('says the tenant is unknown', async () => {
      const steps = await connector({ tenantId: 'nobody.onmicrosoft.com' }).testConnection(new AbortController().signal, () => {})
      expect(steps[0]?.verdict).toBe('fail')
      expect(steps[0]?.message).toMatch(/unknown tenant/i)
    })

    it('accepts GroupMember.Read.All, the least-privileged permission for groups, and reads with it', async () => {
      const c = connector({ clientId: LEAST_PRIVILEGE.clientId }, LEAST_PRIVILEGE.clientSecret)
      const steps = await c.testConnection(new AbortController().signal, () => {})
      expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'pass'], ['sample-query', 'pass']])
      expect((await collectRead(c)).groups).toHaveLength(GROUPS)
    })

    it('names the missing Graph permission', async () => {
      const steps = await connector({ clientId: USERS_ONLY_ID }, 'emulator-only~users-only').testConnection(new AbortController().signal, () => {})
      expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'fail'], ['sample-query', 'skipped']])
      expect(steps[1]?.message).toMatch(/missing the Microsoft Graph application permission GroupMember\.Read\.All \(or Group\.Read\.All\)/)
      expect(steps[1]?.message).toMatch(/Granted: User\.Read\.All/)
    })

    it('refuses an emulator whose certificate is signed by a CA the integration does not trust', async () => {
      const steps = await connector({ caCertificatePem: pki.otherCaCertPem }).testConnection(new AbortController().signal, () => {})
      expect(steps[0]?.verdict).toBe('fail')
      expect(steps[0]?.message).toMatch(/not trusted/)
    })
  })
})
