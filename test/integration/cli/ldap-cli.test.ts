import { Attribute, Change } from 'ldapts'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { AccountUser } from '../../../shared/domain/account.ts'
import { adminClient } from '../connectors/ldap/ldap-test-helpers.ts'
import { CliSession, groupByName, userByAddress } from './cli-harness.ts'

// Issue 4 end to end: Active Directory (real Samba), generic LDAP and the Domino preset (real
// slapd with the Domino schema stand-in) created, tested, synced and inspected through the real
// `dirsync` command, then one change on the server and a second, incremental sync that applies
// exactly that change. Each directory gets its own fresh data directory.

const slapd = inject('slapd')
const ad = inject('sambaAd')

function addressTypes(user: AccountUser): Array<[string, string, boolean]> {
  return user.addresses.map((a) => [a.address, a.type, a.primary])
}

/** The connection ladder through the CLI passes, and a wrong password fails it with exit 1 and the server's reason in words. */
async function expectLadder(cli: CliSession, id: string, rightVariable: string, wrongReason: RegExp): Promise<void> {
  const steps = await cli.json<Array<{ step: string; verdict: string; message: string }>>('integrations', 'test', id)
  expect(steps.map((s) => s.step)).toEqual(expect.arrayContaining(['dns', 'tcp', 'bind', 'base-read', 'sample-query', 'large-group']))
  expect(steps.filter((s) => s.verdict === 'fail')).toEqual([])

  await cli.ok('integrations', 'edit', id, '--secret-env', cli.secretEnv('WRONG_PASSWORD', 'not-the-password'))
  const failed = await cli.run('integrations', 'test', id)
  expect(failed.code).toBe(1)
  expect(failed.stderr).toMatch(wrongReason)
  expect(failed.stderr).not.toContain('not-the-password')
  await cli.ok('integrations', 'edit', id, '--secret-env', rightVariable)
}

describe('dirsync with an Active Directory integration (real Samba AD DC)', () => {
  let cli: CliSession
  let id: string
  const changedDn = `CN=user000300,OU=People,${ad.corpDn}`
  let originalDisplayName: string

  beforeAll(async () => {
    cli = await CliSession.create('ad')
  })

  afterAll(async () => {
    if (originalDisplayName) {
      const admin = await adminClient(`ldaps://${ad.host}:636`, ad.adminUpn, ad.adminPassword, ad.caPem)
      await admin.modify(changedDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [originalDisplayName] }) }))
      await admin.unbind()
    }
    await cli.dispose()
  })

  it('is added from a settings file with the password in an environment variable, and the ladder passes', async () => {
    const password = cli.secretEnv('AD_BIND_PASSWORD', ad.adminPassword)
    id = await cli.addIntegration('ad', 'Corp AD', { host: ad.host, encryption: 'ldaps', caCertificatePem: ad.caPem, bindDn: ad.adminUpn, baseDn: ad.corpDn, pageSize: 500, timeoutSeconds: 20 }, password)
    const shown = await cli.json<{ hasSecret: boolean; config: { type: string } }>('integrations', 'show', id)
    expect(shown).toMatchObject({ hasSecret: true, config: { type: 'active-directory' } })
    expect(JSON.stringify(shown)).not.toContain(ad.adminPassword)
    await expectLadder(cli, id, password, /refused to log on "Administrator@example\.test": the password is wrong/)
    cli.expectNoSecretInArgv(ad.adminPassword, 'not-the-password')
  })

  it('syncs every seeded user and group, with addresses, aliases, a disabled user and flattened nested groups', async () => {
    const run = await cli.syncAll()
    expect(run.outcome).toBe('success')
    expect(run.reads).toHaveLength(1)
    expect(run.reads[0]).toMatchObject({ outcome: 'read', users: ad.seededUsers, groups: ad.seededGroups })
    expect(run.reads[0]!.mode).toMatch(/^full: first read/)
    expect(run.applied['create-user']).toBe(ad.seededUsers)
    expect(run.applied['create-group']).toBe(ad.seededGroups)

    // Every user, without --limit (more than 1,000: the old default cut the export silently).
    const users = await cli.users()
    expect(users.total).toBe(ad.seededUsers)
    expect(users.rows).toHaveLength(ad.seededUsers)
    // proxyAddresses: SMTP: primary, smtp: aliases (the X400: value is not an address).
    const x400 = userByAddress(users, 'x400.primary@example.test')
    expect(addressTypes(x400)).toEqual([
      ['x400.primary@example.test', 'directory', true],
      ['x400.alias@example.test', 'directory', false],
      ['x400.second@mail.example.test', 'directory', false],
    ])
    expect(userByAddress(users, 'x400.alias@example.test').primaryAddress).toBe('x400.primary@example.test')
    expect(users.rows.filter((u) => u.status === 'disabled').map((u) => u.attributes['login'])).toEqual(['disabled01'])

    const groups = await cli.groups()
    expect(groups.total).toBe(ad.seededGroups)
    expect(groupByName(groups, 'all-staff').memberCount).toBe(1_600)
    expect(groupByName(groups, 'vpn-users').memberCount).toBe(1_501)
    // nest-a ∋ nest-b ∋ nest-a (a cycle) and nest-b ∋ nest-c: each has the three users below them.
    const nested = ['user000001', 'user000002', 'user000003'].map((login) => users.rows.find((u) => u.attributes['login'] === login)!.primaryAddress).sort()
    expect(await cli.memberAddresses(groupByName(groups, 'nest-a').key)).toEqual(nested)
    expect(groupByName(groups, 'nest-a').address).toBe('nest-a@example.test')
  })

  it('reads only what changed on the domain controller at the second sync, and applies exactly that change', async () => {
    const admin = await adminClient(`ldaps://${ad.host}:636`, ad.adminUpn, ad.adminPassword, ad.caPem)
    try {
      const before = await admin.search(changedDn, { scope: 'base', attributes: ['displayName'] })
      originalDisplayName = String(before.searchEntries[0]!['displayName'])
      await admin.modify(changedDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: ['Renamed Over LDAP'] }) }))
    } finally {
      await admin.unbind()
    }
    const run = await cli.syncAll()
    expect(run.outcome).toBe('success')
    expect(run.reads[0]!.mode).toMatch(/^incremental: changes since USN \d+ on /)
    expect(run.reads[0]).toMatchObject({ users: ad.seededUsers, groups: ad.seededGroups })
    expect(run.applied).toEqual({ 'update-user': 1 })
    expect(run.held).toEqual({})
    const renamed = (await cli.users('Renamed Over LDAP')).rows
    expect(renamed.map((u) => u.attributes['login'])).toEqual(['user000300'])
  })
})

describe('dirsync with a generic LDAP integration (real slapd)', () => {
  let cli: CliSession
  let id: string
  const changedDn = `uid=user000050,ou=people,${slapd.baseDn}`
  let originalDisplayName: string

  beforeAll(async () => {
    cli = await CliSession.create('ldap')
  })

  afterAll(async () => {
    if (originalDisplayName) {
      const admin = await adminClient(`ldap://${slapd.host}:${slapd.port}`, slapd.adminDn, slapd.adminPassword)
      await admin.modify(changedDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [originalDisplayName] }) }))
      await admin.unbind()
    }
    await cli.dispose()
  })

  it('is added with StartTLS and the test CA, the reader password in an environment variable, and the ladder passes', async () => {
    const password = cli.secretEnv('LDAP_READER_PASSWORD', slapd.readerPassword)
    id = await cli.addIntegration('ldap', 'OpenLDAP', { host: slapd.host, port: slapd.port, encryption: 'starttls', caCertificatePem: slapd.caPem, bindDn: slapd.readerDn, baseDn: slapd.baseDn, pageSize: 1000 }, password)
    await expectLadder(cli, id, password, /refused to log on "cn=reader,dc=example,dc=com": wrong bind user or password/)
    cli.expectNoSecretInArgv(slapd.readerPassword)
  })

  it('syncs all seeded users (paged past the reader’s 1,000-entry limit) and groups of every kind', async () => {
    const run = await cli.syncAll()
    expect(run.outcome).toBe('success')
    expect(run.reads[0]).toMatchObject({ outcome: 'read', users: slapd.seededUsers, groups: slapd.seededGroups })
    expect(run.reads[0]!.mode).toMatch(/^full: first read/)

    const users = await cli.users()
    expect(users.total).toBe(slapd.seededUsers)
    expect(users.rows).toHaveLength(slapd.seededUsers)
    // The directory itself is the oracle: mail (first value primary, others aliases) + mailLocalAddress.
    const admin = await adminClient(`ldap://${slapd.host}:${slapd.port}`, slapd.adminDn, slapd.adminPassword)
    let mail: string[]
    let local: string[]
    try {
      const entry = (await admin.search(`uid=user000001,ou=people,${slapd.baseDn}`, { scope: 'base', attributes: ['mail', 'mailLocalAddress'] })).searchEntries[0]!
      mail = [entry['mail'] ?? []].flat().map(String)
      local = [entry['mailLocalAddress'] ?? []].flat().map(String)
    } finally {
      await admin.unbind()
    }
    const expected = [...mail, ...local].map((a) => a.toLowerCase())
    const user1 = userByAddress(users, expected[0]!)
    expect(user1.primaryAddress).toBe(expected[0])
    expect(addressTypes(user1).sort()).toEqual(expected.map((a, i) => [a, 'directory', i === 0] as [string, string, boolean]).sort())
    expect(userByAddress(users, expected[1]!).primaryAddress).toBe(expected[0])
    // A value full of filter metacharacters is just an address.
    expect(userByAddress(users, 'tricky*star)(uid=*@example.com').displayName).toBe('Tricky (Star*) User')

    const groups = await cli.groups()
    expect(groups.total).toBe(slapd.seededGroups)
    expect(groupByName(groups, 'all-staff').memberCount).toBe(10_000)
    expect(groupByName(groups, 'support').memberCount).toBe(5_000)
    expect(groupByName(groups, 'unique-team').memberCount).toBe(2)
    expect(groupByName(groups, 'posix-team').memberCount).toBe(2)
    const login = (uid: string) => users.rows.find((u) => u.attributes['login'] === uid)!.primaryAddress
    expect(await cli.memberAddresses(groupByName(groups, 'nest-a').key)).toEqual(['user000001', 'user000002', 'user000003'].map(login).sort())
  })

  it('reads only entries modified since the last read (modifyTimestamp) and applies exactly the one change', async () => {
    const admin = await adminClient(`ldap://${slapd.host}:${slapd.port}`, slapd.adminDn, slapd.adminPassword)
    try {
      originalDisplayName = String((await admin.search(changedDn, { scope: 'base', attributes: ['displayName'] })).searchEntries[0]!['displayName'])
      await admin.modify(changedDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: ['Renamed In Slapd'] }) }))
    } finally {
      await admin.unbind()
    }
    const run = await cli.syncAll()
    expect(run.outcome).toBe('success')
    expect(run.reads[0]!.mode).toMatch(/^incremental: changes since \d{14}Z \(modifyTimestamp\)/)
    expect(run.reads[0]).toMatchObject({ users: slapd.seededUsers, groups: slapd.seededGroups })
    expect(run.applied).toEqual({ 'update-user': 1 })
    expect((await cli.users('Renamed In Slapd')).rows.map((u) => u.attributes['login'])).toEqual(['user000050'])
  })
})

describe('dirsync with a Domino Directory integration (slapd with the Domino schema)', () => {
  let cli: CliSession
  const base = `ou=domino,${slapd.baseDn}`
  const changedDn = `cn=Cy Domino,${base}`

  beforeAll(async () => {
    cli = await CliSession.create('domino')
  })

  afterAll(async () => {
    const admin = await adminClient(`ldap://${slapd.host}:${slapd.port}`, slapd.adminDn, slapd.adminPassword)
    await admin.modify(changedDn, new Change({ operation: 'delete', modification: new Attribute({ type: 'displayName' }) })).catch(() => undefined)
    await admin.unbind()
    await cli.dispose()
  })

  it('is added, tested, synced honouring "Allow Foreign Directory Synchronization", and re-read incrementally after a change', async () => {
    const password = cli.secretEnv('DOMINO_PASSWORD', slapd.readerPassword)
    const id = await cli.addIntegration('domino', 'Domino', { host: slapd.host, port: slapd.ldapsPort, encryption: 'ldaps', caCertificatePem: slapd.caPem, bindDn: slapd.readerDn, baseDn: base }, password)
    await expectLadder(cli, id, password, /refused to log on "cn=reader,dc=example,dc=com": wrong bind user or password/)

    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    // Bob and the group "Domino Hidden" have the option set to No: 2 of 3 people, 1 of 2 groups.
    expect(first.reads[0]).toMatchObject({ outcome: 'read', users: 2, groups: 1, memberships: 1 })
    expect(first.reads[0]!.message).toMatch(/"Allow Foreign Directory Synchronization" set to No/)
    const users = await cli.users()
    expect(users.rows.map((u) => u.primaryAddress).sort()).toEqual(['ann.domino@example.com', 'cy.domino@example.com'])
    expect(addressTypes(userByAddress(users, 'ann.domino@example.com'))).toEqual([['ann.domino@example.com', 'directory', true]])
    const groups = await cli.groups()
    expect(groups.rows.map((g) => [g.name, g.address, g.memberCount])).toEqual([['Domino Sales', 'sales.domino@example.com', 1]])

    const admin = await adminClient(`ldap://${slapd.host}:${slapd.port}`, slapd.adminDn, slapd.adminPassword)
    try {
      await admin.modify(changedDn, new Change({ operation: 'add', modification: new Attribute({ type: 'displayName', values: ['Cy From Domino'] }) }))
    } finally {
      await admin.unbind()
    }
    const second = await cli.syncAll()
    expect(second.reads[0]!.mode).toMatch(/^incremental: changes since/)
    expect(second.applied).toEqual({ 'update-user': 1 })
    expect(userByAddress(await cli.users(), 'cy.domino@example.com').displayName).toBe('Cy From Domino')
    cli.expectNoSecretInArgv(slapd.readerPassword)
  })
})
