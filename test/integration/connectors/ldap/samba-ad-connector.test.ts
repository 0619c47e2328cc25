import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { Attribute, Change } from 'ldapts'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ConnectorError } from '../../../../main/connectors/connector-error.ts'
import { createLdapConnector } from '../../../../main/connectors/ldap/create-ldap-connector.ts'
import { adminClient, byName, readAll, sambaSettings } from './ldap-test-helpers.ts'

const ad = inject('sambaAd')
const SECRET = ad.adminPassword
const PEOPLE = `OU=People,${ad.corpDn}`
const GROUPS = `OU=Groups,${ad.corpDn}`

/** Samba's own tool prints objectGUID in canonical form: an oracle independent of our byte swapping. */
async function samGuid(cn: string): Promise<string> {
  const { stdout } = await promisify(execFile)('ldbsearch', ['--configfile', path.join(ad.dir, 'etc/smb.conf'), '-H', path.join(ad.dir, 'private/sam.ldb'), `(cn=${cn})`, 'objectGUID'])
  return /objectGUID: ([0-9a-f-]{36})/.exec(stdout)![1]!
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

describe('the Active Directory connector against a real Samba AD DC', () => {
  describe('a full read', () => {
    it('returns exactly the seeded users and groups, keyed by objectGUID', async () => {
      const result = await readAll(createLdapConnector('active-directory', sambaSettings(ad, { pageSize: 250 }), SECRET))
      expect(result.summary.mode).toBe('full')
      expect(result.users).toHaveLength(ad.seededUsers)
      expect(result.groups).toHaveLength(ad.seededGroups)
      const x400 = result.users.find((u) => u.attributes['login'] === 'x400user')!
      expect(x400.externalId).toBe(await samGuid('x400user'))
      expect(byName(result.groups, 'nest-a').externalId).toBe(await samGuid('nest-a'))
      expect(byName(result.groups, 'all-staff').memberIds).toHaveLength(1_600)
      expect(byName(result.groups, 'vpn-users').memberIds).toHaveLength(1_501)
    })

    it('maps proxyAddresses (SMTP: primary, smtp: aliases, other types ignored) with mail as fallback', async () => {
      const result = await readAll(createLdapConnector('active-directory', sambaSettings(ad), SECRET))
      const login = (name: string) => result.users.find((u) => u.attributes['login'] === name)!
      expect(login('x400user')).toMatchObject({ primaryAddress: 'x400.primary@example.test', aliases: ['x400.alias@example.test', 'x400.second@mail.example.test'] })
      expect(login('mailonly01')).toMatchObject({ primaryAddress: 'mail.only@example.test', aliases: [] })
      expect(login('user000001').aliases[0]).toBe('user000001@example.test')
      expect(login('user000001').aliases[1]).toMatch(/@mail\.example\.test$/)
    })

    it('marks an account with userAccountControl bit 2 as disabled', async () => {
      const result = await readAll(createLdapConnector('active-directory', sambaSettings(ad), SECRET))
      expect(result.users.find((u) => u.attributes['login'] === 'disabled01')!.enabled).toBe(false)
      expect(result.users.filter((u) => !u.enabled)).toHaveLength(1)
    })

    it('flattens nested groups through a cycle', async () => {
      const result = await readAll(createLdapConnector('active-directory', sambaSettings(ad), SECRET))
      const ids = ['user000001', 'user000002', 'user000003'].map((l) => result.users.find((u) => u.attributes['login'] === l)!.externalId)
      expect(new Set(byName(result.groups, 'nest-a').memberIds)).toEqual(new Set(ids))
      expect(new Set(byName(result.groups, 'nest-b').memberIds)).toEqual(new Set(ids))
      expect(byName(result.groups, 'nest-a').address).toBe('nest-a@example.test')
    })

    it('follows member range retrieval to the end with an explicit small step, giving the same members', async () => {
      const plain = await readAll(createLdapConnector('active-directory', sambaSettings(ad), SECRET))
      const stepped = createLdapConnector('active-directory', sambaSettings(ad), SECRET, { memberRangeStep: 100 })
      const ranged = await readAll(stepped)
      for (const name of ['all-staff', 'vpn-users', 'support', 'nest-a']) {
        expect(new Set(byName(ranged.groups, name).memberIds)).toEqual(new Set(byName(plain.groups, name).memberIds))
      }
      const steps = await stepped.testConnection(new AbortController().signal, () => undefined)
      // The ladder's group step reads the first page of groups through the same range code.
      expect(steps.find((s) => s.step === 'large-group')!.message).toMatch(/has 1,600 direct members \(\d+ range-retrieval requests\)/)
    })
  })

  describe('encryption and the test ladder', () => {
    it('passes every rung over LDAPS and over StartTLS with the test CA', async () => {
      for (const encryption of ['ldaps', 'starttls'] as const) {
        const steps = await createLdapConnector('active-directory', sambaSettings(ad, { encryption }), SECRET).testConnection(new AbortController().signal, () => undefined)
        expect(steps.map((s) => `${s.step}:${s.verdict}`)).toEqual(['dns:pass', 'tcp:pass', 'tls:pass', 'bind:pass', 'base-read:pass', 'sample-query:pass', 'large-group:pass', 'permissions:pass'])
        expect(steps.at(-1)!.message).toMatch(/^Deletions from the tombstones in CN=Deleted Objects/)
      }
    })

    it('rejects the certificate without the CA', async () => {
      const connector = createLdapConnector('active-directory', sambaSettings(ad, { caCertificatePem: undefined }), SECRET)
      const error = await failure(readAll(connector))
      expect(error.code).toBe('certificate')
      const steps = await connector.testConnection(new AbortController().signal, () => undefined)
      const tls = steps.find((s) => s.step === 'tls')!
      expect(tls.verdict).toBe('fail')
      expect(tls.message).toMatch(/not trusted/)
    })

    it('explains a wrong password with AD’s sub-code, never echoing it', async () => {
      const error = await failure(readAll(createLdapConnector('active-directory', sambaSettings(ad), 'Wrong-Passw0rd')))
      expect(error.code).toBe('credentials')
      expect(error.message).toMatch(/password is wrong/)
      expect(error.message).not.toContain('Wrong-Passw0rd')
    })
  })

  describe('incremental reads (uSNChanged on one DC)', () => {
    let admin: Awaited<ReturnType<typeof adminClient>>
    beforeAll(async () => {
      admin = await adminClient(`ldaps://${ad.host}`, ad.adminUpn, ad.adminPassword, ad.caPem)
    })
    afterAll(async () => {
      await admin.unbind()
    })

    it('returns just the one user changed since the last read', async () => {
      const connector = createLdapConnector('active-directory', sambaSettings(ad), SECRET)
      const full = await readAll(connector)
      await admin.modify(`CN=user000200,${PEOPLE}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Incremental Tester'] }) }))
      const incremental = await readAll(connector, full.summary.cursor, 0)
      expect(incremental.summary.mode).toBe('incremental')
      expect(incremental.summary.modeReason).toMatch(/changes since USN \d+ on dc1\.example\.test/)
      expect(incremental.users.map((u) => u.attributes['login'])).toEqual(['user000200'])
      expect(incremental.users[0]!.attributes['title']).toBe('Incremental Tester')
      expect(incremental.groups).toEqual([])
      expect(incremental.deletedUserIds).toEqual([])

      const nothing = await readAll(connector, incremental.summary.cursor, 1)
      expect(nothing.summary.mode).toBe('incremental')
      expect(nothing.users).toEqual([])
    })

    it('bound as an administrator, finds a deleted user from its tombstone and says so', async () => {
      const dn = `CN=temp-user,${PEOPLE}`
      await admin.add(dn, { objectClass: 'user', sAMAccountName: 'temp-user', mail: 'temp-user@example.test', userAccountControl: '544' })
      await admin.modify(`CN=nest-c,${GROUPS}`, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }))
      const connector = createLdapConnector('active-directory', sambaSettings(ad), SECRET)
      const full = await readAll(connector)
      const temp = full.users.find((u) => u.primaryAddress === 'temp-user@example.test')!
      expect(byName(full.groups, 'nest-a').memberIds).toContain(temp.externalId)

      await admin.del(dn)
      const incremental = await readAll(connector, full.summary.cursor, 0, full)
      expect(incremental.summary.mode).toBe('incremental')
      expect(incremental.summary.modeReason).toMatch(/deletions from the tombstones in CN=Deleted Objects/)
      expect(incremental.deletedUserIds).toEqual([temp.externalId])
      // A deleted user leaves its groups with the deletion: the groups are not sent again for it.
      expect(incremental.groups).toEqual([])
    })

    it('bound as an ordinary domain user, finds deleted users and groups by listing objectGUIDs, and says which right would be cheaper', async () => {
      const reader = sambaSettings(ad, { bindDn: ad.readerUpn })
      const connector = createLdapConnector('active-directory', reader, ad.readerPassword)
      const steps = await connector.testConnection(new AbortController().signal, () => undefined)
      const deletions = steps.find((s) => s.step === 'permissions')!
      expect(deletions.verdict).toBe('pass')
      expect(deletions.message).toMatch(/listing every objectGUID in scope.*cannot list CN=Deleted Objects.*grant List Contents and Read Property on CN=Deleted Objects/)

      const userDn = `CN=temp-leaver,${PEOPLE}`
      const groupDn = `CN=temp-team,${GROUPS}`
      await admin.add(userDn, { objectClass: 'user', sAMAccountName: 'temp-leaver', mail: 'temp-leaver@example.test', userAccountControl: '544' })
      await admin.add(groupDn, { objectClass: 'group', sAMAccountName: 'temp-team', member: [userDn] })
      await admin.modify(`CN=nest-c,${GROUPS}`, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [groupDn] }) }))
      const full = await readAll(connector)
      const leaver = full.users.find((u) => u.primaryAddress === 'temp-leaver@example.test')!
      expect(byName(full.groups, 'nest-a').memberIds).toContain(leaver.externalId)

      await admin.del(userDn)
      const afterUser = await readAll(connector, full.summary.cursor, 0, full)
      expect(afterUser.summary.mode).toBe('incremental')
      expect(afterUser.summary.modeReason).toMatch(/deletions found by listing every objectGUID in scope/)
      expect(afterUser.deletedUserIds).toEqual([leaver.externalId])
      expect(afterUser.deletedGroupIds).toEqual([])

      await admin.del(groupDn)
      const afterGroup = await readAll(connector, afterUser.summary.cursor, 1, full)
      expect(afterGroup.deletedGroupIds).toEqual([byName(full.groups, 'temp-team').externalId])
      // A deleted group changes the flattened lists of the groups that nested it: all come again.
      expect(afterGroup.groups).toHaveLength(ad.seededGroups)
      expect(byName(afterGroup.groups, 'nest-a').memberIds).toHaveLength(3)
    })

    it('drops a changed user who no longer has an address from the snapshot', async () => {
      const dn = `CN=temp-noaddress,${PEOPLE}`
      await admin.add(dn, { objectClass: 'user', sAMAccountName: 'temp-noaddress', mail: 'temp-noaddress@example.test', userAccountControl: '544' })
      const connector = createLdapConnector('active-directory', sambaSettings(ad, { bindDn: ad.readerUpn }), ad.readerPassword)
      const full = await readAll(connector)
      const user = full.users.find((u) => u.primaryAddress === 'temp-noaddress@example.test')!
      await admin.modify(dn, new Change({ operation: 'delete', modification: new Attribute({ type: 'mail', values: [] }) }))
      const incremental = await readAll(connector, full.summary.cursor, 0, full)
      expect(incremental.deletedUserIds).toEqual([user.externalId])
      await admin.del(dn)
    })

    it('reads fully when another domain controller answers, or the same one was restored', async () => {
      const connector = createLdapConnector('active-directory', sambaSettings(ad), SECRET)
      const full = await readAll(connector)
      const cursor = JSON.parse(full.summary.cursor!) as Record<string, string>
      const otherDc = await readAll(connector, JSON.stringify({ ...cursor, dnsHostName: 'dc2.example.test' }), 0)
      expect(otherDc.summary.mode).toBe('full')
      expect(otherDc.summary.modeReason).toMatch(/different domain controller answered \(dc1\.example\.test instead of dc2\.example\.test\)/)
      expect(otherDc.users).toHaveLength(ad.seededUsers)
      const restored = await readAll(connector, JSON.stringify({ ...cursor, invocationId: '00000000-0000-0000-0000-000000000001' }), 0)
      expect(restored.summary.modeReason).toMatch(/invocationId.*restored from a backup/)
      const backwards = await readAll(connector, JSON.stringify({ ...cursor, usn: '999999999' }), 0)
      expect(backwards.summary.modeReason).toMatch(/went backwards/)
      // The new cursor is bound to the DC that actually answered.
      expect(JSON.parse(otherDc.summary.cursor!)).toMatchObject({ dnsHostName: 'dc1.example.test', invocationId: cursor['invocationId'] })
    })
  })
})
