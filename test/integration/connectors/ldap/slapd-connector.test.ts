import net from 'node:net'
import { Attribute, Change } from 'ldapts'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ConnectorError } from '../../../../main/connectors/connector-error.ts'
import { createLdapConnector } from '../../../../main/connectors/ldap/create-ldap-connector.ts'
import { adminClient, byName, readAll, slapdSettings } from './ldap-test-helpers.ts'

const slapd = inject('slapd')
const SECRET = slapd.readerPassword

async function readFailure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

describe('the LDAP connector against a real slapd', () => {
  describe('a full read', () => {
    it('pages through every seeded user and group although the server caps unpaged searches at 1,000', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { pageSize: 700 }), SECRET)
      const result = await readAll(connector)
      expect(result.summary.mode).toBe('full')
      expect(result.users).toHaveLength(slapd.seededUsers)
      expect(result.users.length).toBeGreaterThanOrEqual(10_000)
      expect(result.groups).toHaveLength(slapd.seededGroups)
      expect(new Set(result.users.map((u) => u.externalId)).size).toBe(result.users.length)
      expect(result.batches).toBeGreaterThan(15) // streamed page by page, not one array
      expect(byName(result.groups, 'all-staff').memberIds).toHaveLength(10_000)
      expect(byName(result.groups, 'support').memberIds).toHaveLength(5_000)
    })

    it('flattens nested groups through a cycle, groupOfUniqueNames and posixGroup memberUid', async () => {
      const result = await readAll(createLdapConnector('ldap', slapdSettings(slapd), SECRET))
      const idOf = (login: string) => result.users.find((u) => u.attributes['login'] === login)!.externalId
      const [u1, u2, u3] = [idOf('user000001'), idOf('user000002'), idOf('user000003')]
      expect(new Set(byName(result.groups, 'nest-a').memberIds)).toEqual(new Set([u1, u2, u3]))
      expect(new Set(byName(result.groups, 'nest-b').memberIds)).toEqual(new Set([u1, u2, u3]))
      expect(byName(result.groups, 'nest-c').memberIds).toEqual([u3])
      expect(new Set(byName(result.groups, 'unique-team').memberIds)).toEqual(new Set([idOf('user000004'), idOf('user000005')]))
      expect(new Set(byName(result.groups, 'posix-team').memberIds)).toEqual(new Set([idOf('user000006'), idOf('user000007')]))
      expect(result.summary.warnings.join(' ')).toMatch(/1 group member values? point/)
    })

    it('maps mail as primary and the other mail values and mailLocalAddress as aliases', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd), SECRET)
      const user = await connector.lookupUser('user000042@example.com', new AbortController().signal)
      expect(user).not.toBeNull()
      expect(user!.primaryAddress).toMatch(/^[a-z]+\.[a-z]+\.42@example\.com$/)
      expect(user!.aliases).toContain('user000042@example.com')
      expect(user!.aliases).toContain('user000042@mail.example.com')
      expect(user!.enabled).toBe(true)
    })
  })

  describe('filters', () => {
    it('matches a value full of filter metacharacters literally and never as filter syntax', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd), SECRET)
      const signal = new AbortController().signal
      expect(await connector.lookupUser('*', signal)).toBeNull()
      expect(await connector.lookupUser('*)(uid=*', signal)).toBeNull()
      expect(await connector.lookupUser('user000001@example.com)(|(mail=*', signal)).toBeNull()
      const tricky = await connector.lookupUser('tricky*star)(uid=*@example.com', signal)
      expect(tricky?.attributes['login']).toBe('tricky')
    })

    it('reads only what an admin user filter selects', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { userFilter: '(&(objectClass=inetOrgPerson)(departmentNumber=Sales))', groupFilter: '(cn=nest-*)' }), SECRET)
      const result = await readAll(connector)
      expect(result.users).toHaveLength(1_000)
      expect(result.groups.map((g) => g.name).sort()).toEqual(['nest-a', 'nest-b', 'nest-c'])
    })

    it('reports a malformed admin filter as a settings problem', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { userFilter: '(&(objectClass=person)(cn=a' }), SECRET)
      const error = await readFailure(readAll(connector))
      expect(error.code).toBe('config')
      expect(error.message).toMatch(/user filter is not a valid LDAP filter/)
    })
  })

  describe('encryption', () => {
    it('reads over StartTLS and over LDAPS with the test CA', async () => {
      for (const settings of [slapdSettings(slapd), slapdSettings(slapd, { encryption: 'ldaps', port: slapd.ldapsPort })]) {
        const steps = await createLdapConnector('ldap', settings, SECRET).testConnection(new AbortController().signal, () => undefined)
        expect(steps.map((s) => s.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'])
      }
    })

    it('rejects the server certificate when the CA is not configured, with a specific message', async () => {
      for (const settings of [slapdSettings(slapd, { caCertificatePem: undefined }), slapdSettings(slapd, { encryption: 'ldaps', port: slapd.ldapsPort, caCertificatePem: undefined })]) {
        const error = await readFailure(readAll(createLdapConnector('ldap', settings, SECRET)))
        expect(error.code).toBe('certificate')
        expect(error.message).toMatch(/not trusted/)
        expect(error.message).toMatch(/CA certificate/)
      }
    })

    it('accepts the untrusted certificate only when verification is turned off, and the ladder warns', async () => {
      const settings = slapdSettings(slapd, { caCertificatePem: undefined, verifyCertificate: false })
      const steps = await createLdapConnector('ldap', settings, SECRET).testConnection(new AbortController().signal, () => undefined)
      const tls = steps.find((s) => s.step === 'tls')!
      expect(tls.verdict).toBe('warn')
      expect(tls.message).toMatch(/verification is OFF/)
      expect(steps.find((s) => s.step === 'bind')!.verdict).toBe('pass')
    })
  })

  describe('faults', () => {
    it('says the password is wrong, without repeating it', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd), 'not-the-password')
      const error = await readFailure(readAll(connector))
      expect(error.code).toBe('credentials')
      expect(error.message).not.toContain('not-the-password')
      const steps = await connector.testConnection(new AbortController().signal, () => undefined)
      expect(steps.map((s) => s.verdict)).toEqual(['pass', 'pass', 'pass', 'fail', 'skipped', 'skipped', 'skipped', 'skipped'])
      // The rungs after it name the failed rung as the admin saw it, not by its internal step id.
      expect(steps[4]?.message).toBe(`Not run: "${steps[3]?.label ?? ''}" failed.`)
      expect(JSON.stringify(steps)).not.toContain('not-the-password')
    })

    it('says the host name does not resolve', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { host: 'no-such-host.invalid' }), SECRET)
      const error = await readFailure(readAll(connector))
      expect(error.code).toBe('dns')
      expect(error.message).toMatch(/no-such-host\.invalid could not be resolved/)
      const steps = await connector.testConnection(new AbortController().signal, () => undefined)
      expect(steps[0]).toMatchObject({ step: 'dns', verdict: 'fail' })
    })

    it('says the port refused the connection', async () => {
      const error = await readFailure(readAll(createLdapConnector('ldap', slapdSettings(slapd, { host: '127.0.0.9' }), SECRET)))
      expect(error.code).toBe('unreachable')
      expect(error.message).toMatch(/refused the connection/)
    })

    it('fails over to the alternate host when the first one does not answer', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { host: '127.0.0.9', alternateHost: slapd.host, groupFilter: '(cn=nest-c)' }), SECRET)
      const result = await readAll(connector)
      expect(result.users).toHaveLength(slapd.seededUsers)
      expect(result.summary.warnings.join(' ')).toMatch(/127\.0\.0\.9 did not answer .* used the alternate host 127\.0\.0\.1/)
      const steps = await connector.testConnection(new AbortController().signal, () => undefined)
      expect(steps.find((s) => s.step === 'tcp')).toMatchObject({ verdict: 'warn' })
      expect(steps.at(-1)!.verdict).toBe('pass')
    })

    it('gives up within the timeout when the server accepts but never answers', async () => {
      const silent = net.createServer(() => undefined)
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      const port = (silent.address() as net.AddressInfo).port
      try {
        const started = Date.now()
        const error = await readFailure(readAll(createLdapConnector('ldap', slapdSettings(slapd, { port, encryption: 'none', timeoutSeconds: 1 }), SECRET)))
        expect(error.code).toBe('timeout')
        expect(Date.now() - started).toBeLessThan(5_000)
      } finally {
        silent.close()
      }
    })

    it('reports a read whose connection drops mid-page as incomplete, never as a short directory', async () => {
      // A real TCP relay in front of slapd that cuts both sides after ~1 MB from the server (over
      // both connections of the read: users on the main one, groups on the worker's).
      let relayed = 0
      const relay = net.createServer((client) => {
        const upstream = net.connect(slapd.port, slapd.host)
        client.pipe(upstream)
        upstream.on('data', (chunk: Buffer) => {
          relayed += chunk.length
          if (relayed > 1_000_000) {
            upstream.destroy()
            client.destroy()
          } else client.write(chunk)
        })
        client.on('error', () => upstream.destroy())
        upstream.on('error', () => client.destroy())
      })
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
      const port = (relay.address() as net.AddressInfo).port
      try {
        const error = await readFailure(readAll(createLdapConnector('ldap', slapdSettings(slapd, { port, encryption: 'none', pageSize: 500 }), SECRET)))
        expect(error.code).toBe('incomplete-read')
        expect(error.message).toMatch(/connection .* was lost during the read \(after [\d,]+ (users|groups)/)
      } finally {
        relay.close()
      }
    })

    it('says the base DN does not exist', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { baseDn: 'ou=nowhere,dc=example,dc=com' }), SECRET)
      const error = await readFailure(readAll(connector))
      expect(error.code).toBe('not-found')
      expect(error.message).toMatch(/base DN "ou=nowhere,dc=example,dc=com" does not exist/)
      const steps = await connector.testConnection(new AbortController().signal, () => undefined)
      expect(steps.find((s) => s.step === 'base-read')).toMatchObject({ verdict: 'fail' })
    })
  })

  describe('the Domino preset', () => {
    it('reads dominoPerson/dominoGroup and honours "Allow Foreign Directory Synchronization"', async () => {
      const base = 'ou=domino,dc=example,dc=com'
      const honoured = await readAll(createLdapConnector('domino', slapdSettings(slapd, { baseDn: base }), SECRET))
      expect(honoured.users.map((u) => u.primaryAddress).sort()).toEqual(['ann.domino@example.com', 'cy.domino@example.com'])
      expect(honoured.users.find((u) => u.attributes['login'] === 'adomino')!.externalId).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9')
      expect(honoured.groups.map((g) => g.name)).toEqual(['Domino Sales'])
      // Bob said No: he is not read, so he is not a member either.
      expect(byName(honoured.groups, 'Domino Sales')).toMatchObject({ address: 'sales.domino@example.com', memberIds: ['0a1b2c3d4e5f60718293a4b5c6d7e8f9'] })
      expect(honoured.summary.warnings.join(' ')).toMatch(/2 people or groups have "Allow Foreign Directory Synchronization" set to No/)

      const all = await readAll(createLdapConnector('domino', slapdSettings(slapd, { baseDn: base, honourForeignDirectorySync: false }), SECRET))
      expect(all.users).toHaveLength(3)
      expect(all.groups).toHaveLength(2)
    })
  })

  describe('incremental reads (modifyTimestamp)', () => {
    let admin: Awaited<ReturnType<typeof adminClient>>
    beforeAll(async () => {
      admin = await adminClient(`ldap://${slapd.host}:${slapd.port}`, slapd.adminDn, slapd.adminPassword)
    })
    afterAll(async () => {
      await admin.unbind()
    })

    it('returns only the user changed since the last read', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd), SECRET)
      const full = await readAll(connector)
      expect(full.summary.cursor).not.toBeNull()
      await admin.modify('uid=user000123,ou=people,dc=example,dc=com', new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Chief Tester'] }) }))
      const incremental = await readAll(connector, full.summary.cursor, 0)
      expect(incremental.summary.mode).toBe('incremental')
      expect(incremental.summary.modeReason).toMatch(/changes since \d{14}Z \(modifyTimestamp\)/)
      expect(incremental.users.map((u) => u.attributes['login'])).toEqual(['user000123'])
      expect(incremental.users[0]!.attributes['title']).toBe('Chief Tester')
      expect(incremental.groups).toEqual([])
    })

    it('re-emits a changed group and the groups that nest it, with complete member lists', async () => {
      const connector = createLdapConnector('ldap', slapdSettings(slapd), SECRET)
      const full = await readAll(connector)
      await admin.modify('cn=nest-c,ou=groups,dc=example,dc=com', new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: ['uid=user000009,ou=people,dc=example,dc=com'] }) }))
      const incremental = await readAll(connector, full.summary.cursor, 1)
      expect(incremental.groups.map((g) => g.name).sort()).toEqual(['nest-a', 'nest-b', 'nest-c'])
      expect(byName(incremental.groups, 'nest-a').memberIds).toHaveLength(4)
      expect(byName(incremental.groups, 'nest-c').memberIds).toHaveLength(2)
      await admin.modify('cn=nest-c,ou=groups,dc=example,dc=com', new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: ['uid=user000009,ou=people,dc=example,dc=com'] }) }))
    })

    it('finds a deleted user at the next incremental read by listing entryUUIDs, and at the periodic full read', async () => {
      const dn = 'uid=temp-delete,ou=people,dc=example,dc=com'
      await admin.add(dn, { objectClass: ['inetOrgPerson'], uid: 'temp-delete', cn: 'Temp', sn: 'Delete', mail: 'temp-delete@example.com' })
      const connector = createLdapConnector('ldap', slapdSettings(slapd, { fullReadEvery: 3 }), SECRET)
      const full = await readAll(connector)
      const temp = full.users.find((u) => u.primaryAddress === 'temp-delete@example.com')!
      await admin.del(dn)
      const incremental = await readAll(connector, full.summary.cursor, 0, full)
      expect(incremental.summary.mode).toBe('incremental')
      expect(incremental.summary.modeReason).toMatch(/deletions found by listing every entryUUID in scope/)
      expect(incremental.deletedUserIds).toEqual([temp.externalId])
      expect(incremental.deletedGroupIds).toEqual([])

      const periodic = await readAll(connector, full.summary.cursor, 3)
      expect(periodic.summary.mode).toBe('full')
      expect(periodic.summary.modeReason).toMatch(/periodic full read \(every 3 runs\)/)
      expect(periodic.users).toHaveLength(full.users.length - 1)
      expect(periodic.users.find((u) => u.primaryAddress === 'temp-delete@example.com')).toBeUndefined()
    })

    it('finds a deleted Domino person at the next incremental read by listing dominoUNIDs', async () => {
      const base = 'ou=domino,dc=example,dc=com'
      const dn = `cn=Dee Domino,${base}`
      await admin.add(dn, { objectClass: ['dominoPerson'], cn: 'Dee Domino', sn: 'Domino', ShortName: 'ddomino', mail: 'dee.domino@example.com', dominoUNID: '4A1B2C3D4E5F60718293A4B5C6D7E8F9' })
      const connector = createLdapConnector('domino', slapdSettings(slapd, { baseDn: base }), SECRET)
      const full = await readAll(connector)
      expect(full.users.map((u) => u.primaryAddress)).toContain('dee.domino@example.com')
      await admin.del(dn)
      const incremental = await readAll(connector, full.summary.cursor, 0, full)
      expect(incremental.summary.modeReason).toMatch(/deletions found by listing every dominoUNID in scope/)
      expect(incremental.deletedUserIds).toEqual(['4a1b2c3d4e5f60718293a4b5c6d7e8f9'])
    })

    it('reads fully when the filters change between runs', async () => {
      const full = await readAll(createLdapConnector('ldap', slapdSettings(slapd, { groupFilter: '(cn=nest-c)' }), SECRET))
      const next = await readAll(createLdapConnector('ldap', slapdSettings(slapd, { groupFilter: '(cn=nest-*)' }), SECRET), full.summary.cursor, 0)
      expect(next.summary.mode).toBe('full')
      expect(next.summary.modeReason).toMatch(/filters or attribute mapping changed/)
    })
  })
})
