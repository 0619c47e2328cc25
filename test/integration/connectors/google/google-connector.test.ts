import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../../main/connectors/connector-error.ts'
import { createGoogleConnector, type GoogleTuning } from '../../../../main/connectors/google/create-google-connector.ts'
import { GoogleConfigSchema, type GoogleConfig } from '../../../../shared/domain/integration-config.ts'
import { collectRead } from '../../../emulators/collect-read.ts'
import { GoogleEmulator } from '../../../emulators/google-emulator.ts'
import { generateOrgModel, type OrgModel } from '../../../emulators/org-model.ts'
import { createServiceAccountKey, createTestPki, type ServiceAccountKey, type TestPki } from '../../../emulators/test-pki.ts'

const USERS = 5200
const GROUPS = 52
const CUSTOMER = 'C03az79cb'
const ALL_SCOPES = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly']

let pki: TestPki
let model: OrgModel
let emulator: GoogleEmulator
let reader: ServiceAccountKey
let usersOnly: ServiceAccountKey

beforeAll(async () => {
  pki = createTestPki()
  model = generateOrgModel({ users: USERS, groups: GROUPS })
  const a = createServiceAccountKey('dirsync-reader')
  const b = createServiceAccountKey('dirsync-users-only')
  reader = a.key
  usersOnly = b.key
  emulator = await new GoogleEmulator({
    tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
    model,
    customerId: CUSTOMER,
    secondaryDomains: ['example.org'],
    serviceAccounts: [
      { clientEmail: a.key.client_email, publicKeyPem: a.publicKeyPem, delegatedScopes: ALL_SCOPES },
      { clientEmail: b.key.client_email, publicKeyPem: b.publicKeyPem, delegatedScopes: [ALL_SCOPES[0] as string] },
    ],
  }).start()
})

afterAll(async () => {
  await emulator?.close()
})

const FAST: Partial<GoogleTuning> = { backoffBaseMs: 5 }

function settings(overrides: Partial<GoogleConfig> = {}): GoogleConfig {
  return GoogleConfigSchema.parse({
    adminEmail: `admin@${model.domain}`,
    rootUrl: `${emulator.url}/`,
    tokenUrl: `${emulator.url}/token`,
    caCertificatePem: pki.caCertPem,
    ...overrides,
  })
}

function connector(overrides: Partial<GoogleConfig> = {}, key: ServiceAccountKey = reader, tuning: Partial<GoogleTuning> = FAST) {
  return createGoogleConnector(settings(overrides), JSON.stringify(key), tuning)
}

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

describe('createGoogleConnector against the Google token + Directory API emulator', () => {
  describe('#read()', () => {
    it('reads every user exactly as seeded across pages, and says every read is full', async () => {
      const before = emulator.stats.paths.length
      const read = await collectRead(connector())
      expect(read.users).toHaveLength(USERS)
      const byId = new Map(read.users.map((u) => [u.externalId, u]))
      for (const u of model.users) {
        expect(byId.get(emulator.userId(u.n))).toEqual({
          externalId: emulator.userId(u.n),
          primaryAddress: u.primaryAddress,
          aliases: u.aliases.slice(0, 2).sort(),
          displayName: u.displayName,
          enabled: u.enabled,
          attributes: { orgUnitPath: `/${u.department}` },
        })
      }
      // 5,200 users at 500 a page.
      expect(emulator.stats.paths.slice(before).filter((p) => p === '/admin/directory/v1/users')).toHaveLength(11)
      expect(read.summary).toMatchObject({ mode: 'full', cursor: null })
      expect(read.summary.modeReason).toMatch(/no change feed/)
    })

    it('reads every group with its complete member list through nested groups (all-staff: 5,200 members over 26 pages)', async () => {
      const before = emulator.stats.paths.length
      const read = await collectRead(connector())
      expect(read.groups).toHaveLength(GROUPS)
      for (const g of read.groups) expect([...g.memberIds].sort()).toEqual(emulator.transitiveUsers(g.externalId).sort())
      const allStaff = read.groups.find((g) => g.name === 'all-staff')
      expect(allStaff?.memberIds).toHaveLength(USERS)
      expect(allStaff?.address).toBe(`all-staff@${model.domain}`)
      const allStaffPages = emulator.stats.paths.slice(before).filter((p) => p === `/admin/directory/v1/groups/${emulator.groupId(1)}/members`)
      expect(allStaffPages).toHaveLength(26)
    })

    it('sees a change on the next (full) read', async () => {
      const id = emulator.userId(7)
      const user = emulator.users.get(id)
      if (!user) throw new Error('seed changed')
      user.suspended = true
      user.aliases = [...user.aliases, 'extra.alias@example.com']
      const read = await collectRead(connector({ domain: model.domain }))
      expect(read.users.find((u) => u.externalId === id)).toMatchObject({ enabled: false })
      expect(read.users.find((u) => u.externalId === id)?.aliases).toContain('extra.alias@example.com')
    })

    it('reads a group’s aliases and non-editable aliases as its alias addresses', async () => {
      const group = emulator.groups.get(emulator.groupId(3))!
      group.aliases = ['Sales-Team@example.com']
      group.nonEditableAliases = ['sales@example.com.test-google-a.com']
      try {
        const read = await collectRead(connector())
        expect(read.groups.find((g) => g.externalId === group.id)?.aliases).toEqual(['sales-team@example.com', 'sales@example.com.test-google-a.com'])
      } finally {
        group.aliases = []
        delete group.nonEditableAliases
      }
    })

    it('accepts a later page that holds only a nextPageToken (Google leaves an empty list out of the JSON)', async () => {
      emulator.insertEmptyPages(2)
      const read = await collectRead(connector())
      expect(read.users).toHaveLength(USERS)
      expect(read.groups).toHaveLength(GROUPS)
    })

    it('walks nesting itself (no includeDerivedMembership), expands a CUSTOMER member to every user, and warns about members outside the customer', async () => {
      const group = emulator.groups.get(emulator.groupId(12))!
      const saved = [...group.members]
      group.members.push({ type: 'CUSTOMER' }, { type: 'EXTERNAL', id: '109876543210987654321', email: 'partner@gmail.com' })
      try {
        const before = emulator.stats.derivedMemberRequests
        const read = await collectRead(connector())
        expect(emulator.stats.derivedMemberRequests - before).toBe(0)
        expect(read.groups.find((g) => g.externalId === group.id)?.memberIds).toHaveLength(USERS)
        for (const g of read.groups) expect([...g.memberIds].sort()).toEqual(emulator.transitiveUsers(g.externalId).sort())
        expect(read.summary.warnings.join(' ')).toMatch(/partner@gmail\.com/)
      } finally {
        group.members = saved
      }
    })

    it('reads users of every domain of the customer; `domain` only narrows what is imported, and the run says how many it left out', async () => {
      const user = emulator.users.get(emulator.userId(3))!
      const saved = user.primaryEmail
      user.primaryEmail = 'moved.user@example.org'
      try {
        const all = await collectRead(connector())
        expect(all.users.map((u) => u.primaryAddress)).toContain('moved.user@example.org')
        const narrowed = await collectRead(connector({ domain: model.domain }))
        expect(narrowed.users).toHaveLength(USERS - 1)
        expect(narrowed.summary.warnings.join(' ')).toMatch(/1 user\(s\) outside example\.com/)
      } finally {
        user.primaryEmail = saved
      }
    })

    it('starts a list over when its page token times out after 60 minutes (503 backendError, the token cannot be retried)', async () => {
      emulator.timeOutListsAfter(3)
      const read = await collectRead(connector())
      expect(read.users).toHaveLength(USERS)
      expect(new Set(read.users.map((u) => u.externalId)).size).toBe(USERS)
      expect(read.summary.warnings.join(' ')).toMatch(/started over/)
    })

    it('backs off on 403 rateLimitExceeded and 429, then completes with the right counts', async () => {
      const c = connector()
      const before = emulator.stats.rateLimited
      emulator.rateLimit(3, 403)
      emulator.rateLimit(2, 429)
      const read = await collectRead(c)
      expect(emulator.stats.rateLimited - before).toBe(5)
      expect(c.lastCounters()?.rateLimitRetries).toBe(5)
      expect(read.users).toHaveLength(USERS)
      expect(read.groups).toHaveLength(GROUPS)
      expect(read.summary.warnings.join(' ')).toMatch(/rate-limited/)
    })

    it('gives up after the bounded number of retries', async () => {
      const c = connector({}, reader, { backoffBaseMs: 5, maxRetries: 2 })
      const before = emulator.stats.rateLimited
      emulator.rateLimit(50, 403)
      try {
        const error = await rejection(collectRead(c))
        expect(error.code).toBe('throttled')
        expect(error.message).toMatch(/after 2 retries/)
        expect(emulator.stats.rateLimited - before).toBe(3)
      } finally {
        emulator.clearFaults()
      }
    })

    it('rejects a read whose connection drops in the middle of a page as incomplete', async () => {
      emulator.dropConnectionMidPage(1)
      const error = await rejection(collectRead(connector()))
      expect(error.code).toBe('incomplete-read')
    })

    it('rejects a customer id that is not the admin’s', async () => {
      const error = await rejection(collectRead(connector({ customerId: 'C0other' })))
      expect(error.code).toBe('config')
      expect(error.message).toMatch(/customer id or domain/)
    })
  })

  describe('#testConnection()', () => {
    it('passes every step with a delegated service account', async () => {
      const steps = await connector().testConnection(new AbortController().signal, () => {})
      expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'pass'], ['sample-query', 'pass']])
    })

    it('rejects a JWT signed with the wrong key (the emulator checks the signature)', async () => {
      const forged = { ...reader, private_key: createServiceAccountKey('x').key.private_key }
      const steps = await connector({}, forged).testConnection(new AbortController().signal, () => {})
      expect(steps[0]).toMatchObject({ step: 'token', verdict: 'fail' })
      expect(steps[0]?.message).toMatch(/invalid JWT signature/)
      expect(JSON.stringify(steps)).not.toContain('PRIVATE KEY')
      const error = await rejection(collectRead(connector({}, forged)))
      expect(error.code).toBe('credentials')
    })

    it('names the scope that domain-wide delegation does not grant', async () => {
      const steps = await connector({}, usersOnly).testConnection(new AbortController().signal, () => {})
      expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'fail'], ['sample-query', 'skipped']])
      expect(steps[1]?.message).toContain('admin.directory.group.readonly')
      expect(steps[1]?.message).not.toContain('admin.directory.user.readonly')
    })

    it('says when the impersonated address is not a user of the domain at all', async () => {
      const steps = await connector({ adminEmail: `nobody@${model.domain}` }).testConnection(new AbortController().signal, () => {})
      expect(steps[0]?.verdict).toBe('fail')
      expect(steps[0]?.message).toMatch(/not a user of the domain/)
    })

    it('signs in as a user who is not an administrator (Google issues the token) and fails at the API step, saying what to do', async () => {
      const subject = model.users[0]!.primaryAddress
      const steps = await connector({ adminEmail: subject }).testConnection(new AbortController().signal, () => {})
      expect(steps.map((s) => [s.step, s.verdict])).toEqual([['token', 'pass'], ['permissions', 'pass'], ['sample-query', 'fail']])
      expect(steps[2]?.message).toContain(subject)
      expect(steps[2]?.message).toMatch(/not an administrator.*super administrator/)
    })

    it('refuses an emulator whose certificate the integration does not trust', async () => {
      const steps = await connector({ caCertificatePem: pki.otherCaCertPem }).testConnection(new AbortController().signal, () => {})
      expect(steps[0]?.verdict).toBe('fail')
      expect(steps[0]?.message).toMatch(/not trusted/)
    })
  })
})
