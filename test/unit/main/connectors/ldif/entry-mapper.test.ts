import { describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../../../main/connectors/connector-error.ts'
import { ldif, mapText } from './parse-text.ts'

/** An AD-style user record; `extra` lines are appended. */
function adUser(cn: string, ...extra: string[]): string {
  return ldif(`dn: CN=${cn},OU=Staff,DC=corp,DC=test`, 'objectClass: top', 'objectClass: person', 'objectClass: organizationalPerson', 'objectClass: user', `cn: ${cn}`, ...extra)
}

function group(cn: string, ...members: string[]): string {
  return ldif(`dn: CN=${cn},OU=Groups,DC=corp,DC=test`, 'objectClass: top', 'objectClass: group', `cn: ${cn}`, ...members.map((member) => `member: ${member}`))
}

const dnOf = (cn: string, ou = 'Staff') => `CN=${cn},OU=${ou},DC=corp,DC=test`

function failureOf(text: string): ConnectorError {
  try {
    mapText(text)
  } catch (error) {
    if (error instanceof ConnectorError) return error
    throw error
  }
  throw new Error('expected a ConnectorError, but nothing was thrown')
}

describe('mapping entries to users', () => {
  it('takes the SMTP: proxy address as the primary address, even when mail says otherwise', () => {
    const { users } = mapText(adUser('A', 'mail: old@corp.test', 'proxyAddresses: smtp:old@corp.test', 'proxyAddresses: SMTP:New.Primary@Corp.Test'))
    expect(users[0]?.primaryAddress).toBe('new.primary@corp.test')
    expect(users[0]?.aliases).toEqual(['old@corp.test'])
  })

  it('falls back to mail when there is no SMTP: proxy address', () => {
    const { users } = mapText(adUser('A', 'mail: Only.Mail@corp.test', 'proxyAddresses: smtp:alias@corp.test'))
    expect(users[0]?.primaryAddress).toBe('only.mail@corp.test')
    expect(users[0]?.aliases).toEqual(['alias@corp.test'])
  })

  it("an AD entry's aliases are its smtp: proxyAddresses only, lower-cased, once each, without the primary and without X500:/SIP: — as the live AD read maps them", () => {
    const { users } = mapText(
      adUser(
        'A',
        'proxyAddresses: SMTP:a@corp.test',
        'proxyAddresses: smtp:A.Alias@corp.test',
        'proxyAddresses: smtp:a.alias@corp.test',
        'proxyAddresses: smtp:a@corp.test',
        'proxyAddresses: X500:/o=ExchangeLabs/cn=Recipients/cn=a',
        'proxyAddresses: SIP:a@corp.test',
        'otherMailbox: Other@Corp.Test',
      ),
    )
    expect(users[0]?.aliases).toEqual(['a.alias@corp.test'])
  })

  it('an entry without proxyAddresses takes mail, then mailLocalAddress, as the live LDAP read does', () => {
    const { users } = mapText(adUser('A', 'mail: A@corp.test', 'mail: second@corp.test', 'mailLocalAddress: Local@corp.test'))
    expect(users[0]).toMatchObject({ primaryAddress: 'a@corp.test', aliases: ['second@corp.test', 'local@corp.test'] })
  })

  it('ignores, with a warning, an alias that is not an email address', () => {
    const { users, warnings } = mapText(adUser('A', 'mail: a@corp.test', 'mailLocalAddress: not-an-address'))
    expect(users[0]?.aliases).toEqual([])
    expect(warnings).toEqual([`1 address that is not a valid email address was ignored: 'not-an-address' of ${dnOf('A')} (line 1).`])
  })

  it('marks a user disabled when userAccountControl has bit 2, and enabled when it is absent', () => {
    const { users } = mapText(
      adUser('Off', 'mail: off@corp.test', 'userAccountControl: 514') +
        '\n' +
        adUser('Off2', 'mail: off2@corp.test', 'userAccountControl: 66050') +
        '\n' +
        adUser('On', 'mail: on@corp.test', 'userAccountControl: 66048') +
        '\n' +
        adUser('Plain', 'mail: plain@corp.test'),
    )
    expect(users.map((user) => [user.displayName, user.enabled])).toEqual([
      ['Off', false],
      ['Off2', false],
      ['On', true],
      ['Plain', true],
    ])
  })

  it('uses displayName, else cn, as the display name', () => {
    const { users } = mapText(adUser('Cn Only', 'mail: a@corp.test') + '\n' + adUser('Cn', 'displayName: Shown Name', 'mail: b@corp.test'))
    expect(users.map((user) => user.displayName)).toEqual(['Cn Only', 'Shown Name'])
  })

  it('uses objectGUID, else entryUUID, else the lower-cased DN as the external id', () => {
    const { users } = mapText(
      adUser('Guid', 'mail: a@corp.test', 'objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ==', 'entryUUID: 11111111-2222-3333-4444-555555555555') +
        '\n' +
        adUser('Uuid', 'mail: b@corp.test', 'entryUUID: 5C0FA0DE-1B2C-103F-8F31-B5AB2B3C4D10') +
        '\n' +
        adUser('Dn Only', 'mail: c@corp.test'),
    )
    expect(users.map((user) => user.externalId)).toEqual([
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      '5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d10',
      'cn=dn only,ou=staff,dc=corp,dc=test',
    ])
  })

  it('copies department, title, employee id/number and account name into attributes as strings', () => {
    const { users } = mapText(
      adUser('A', 'mail: a@corp.test', 'department: Finance', 'title: Controller', 'employeeID: 0042', 'employeeNumber: 7', 'sAMAccountName: aa', 'uid: a1', 'telephoneNumber: 123'),
    )
    expect(users[0]?.attributes).toEqual({ department: 'Finance', title: 'Controller', employeeID: '0042', employeeNumber: '7', sAMAccountName: 'aa', uid: 'a1' })
  })

  it('treats inetOrgPerson and dominoPerson entries as users, and computers, OUs and contacts without mail as not', () => {
    const { users, warnings } = mapText(
      ldif('dn: uid=x,dc=test', 'objectClass: inetOrgPerson', 'mail: x@test.example') +
        '\n' +
        ldif('dn: CN=Domino User/O=Acme', 'objectClass: dominoPerson', 'mail: d@acme.test') +
        '\n' +
        ldif('dn: CN=WS1,DC=corp,DC=test', 'objectClass: user', 'objectClass: computer', 'mail: ws1@corp.test') +
        '\n' +
        ldif('dn: OU=Staff,DC=corp,DC=test', 'objectClass: organizationalUnit'),
    )
    expect(users.map((user) => user.primaryAddress)).toEqual(['x@test.example', 'd@acme.test'])
    expect(warnings).toEqual([])
  })

  it('skips users without any address and counts them in one warning', () => {
    const { users, warnings } = mapText(adUser('svc-a') + '\n' + adUser('svc-b', 'mail: not an address') + '\n' + adUser('Real', 'mail: real@corp.test'))
    expect(users).toHaveLength(1)
    expect(warnings).toEqual([
      `2 users have no email address (no SMTP: proxyAddress and no mail) and were skipped: ${dnOf('svc-a')} (line 1); ${dnOf('svc-b')} (line 8).`,
      `1 address that is not a valid email address was ignored: 'not an address' of ${dnOf('svc-b')} (line 8).`,
    ])
  })

  it('refuses two users with the same primary address, naming both DNs and the address', () => {
    const error = failureOf(adUser('First', 'mail: same@corp.test') + '\n' + adUser('Second', 'proxyAddresses: SMTP:Same@corp.test'))
    expect(error.code).toBe('malformed-data')
    expect(error.message).toBe(
      `org.ldif: two users have the same primary address same@corp.test: "${dnOf('First')}" (line 1) and "${dnOf('Second')}" (line 9). Fix the export so each address belongs to one user.`,
    )
  })

  it('refuses the same DN twice', () => {
    expect(failureOf(adUser('A', 'mail: a@corp.test') + '\n' + adUser('A', 'mail: b@corp.test')).message).toBe(
      `org.ldif line 9: the DN "${dnOf('A')}" appears twice; an export lists each entry once`,
    )
  })
})

describe('mapping entries to groups', () => {
  it('resolves member DNs to user ids case- and space-insensitively, wherever the user appears in the file', () => {
    const text = group('Team', 'cn=a, ou=staff, dc=corp, dc=test', dnOf('B').toUpperCase()) + '\n' + adUser('A', 'mail: a@corp.test') + '\n' + adUser('B', 'mail: b@corp.test')
    const { groups, warnings } = mapText(text)
    expect(groups[0]?.memberIds).toEqual(['cn=a,ou=staff,dc=corp,dc=test', 'cn=b,ou=staff,dc=corp,dc=test'])
    expect(warnings).toEqual([])
  })

  it('takes the group name from cn and the address from SMTP:, else mail', () => {
    const { groups } = mapText(
      ldif('dn: CN=Sales,DC=corp,DC=test', 'objectClass: group', 'cn: Sales', 'mail: sales-old@corp.test', 'proxyAddresses: SMTP:Sales@corp.test') +
        '\n' +
        ldif('dn: cn=devs,dc=test', 'objectClass: groupOfNames', 'mail: Devs@test.example') +
        '\n' +
        ldif('dn: cn=quiet,dc=test', 'objectClass: groupOfNames'),
    )
    expect(groups.map((item) => [item.name, item.address])).toEqual([
      ['Sales', 'sales@corp.test'],
      ['devs', 'devs@test.example'],
      ['quiet', null],
    ])
  })

  it('flattens nested groups into their users', () => {
    const text = [
      adUser('A', 'mail: a@corp.test'),
      adUser('B', 'mail: b@corp.test'),
      adUser('C', 'mail: c@corp.test'),
      group('Outer', dnOf('Middle', 'Groups'), dnOf('A')),
      group('Middle', dnOf('Inner', 'Groups')),
      group('Inner', dnOf('B'), dnOf('C')),
    ].join('\n')
    const { groups } = mapText(text)
    const members = Object.fromEntries(groups.map((item) => [item.name, [...item.memberIds].sort()]))
    expect(members).toEqual({
      Outer: ['cn=a,ou=staff,dc=corp,dc=test', 'cn=b,ou=staff,dc=corp,dc=test', 'cn=c,ou=staff,dc=corp,dc=test'],
      Middle: ['cn=b,ou=staff,dc=corp,dc=test', 'cn=c,ou=staff,dc=corp,dc=test'],
      Inner: ['cn=b,ou=staff,dc=corp,dc=test', 'cn=c,ou=staff,dc=corp,dc=test'],
    })
  })

  it('ends a cycle of nested groups: each group gets every user of the cycle once, and the cycle is reported', () => {
    const text = [adUser('A', 'mail: a@corp.test'), adUser('B', 'mail: b@corp.test'), group('Red', dnOf('Blue', 'Groups'), dnOf('A')), group('Blue', dnOf('Red', 'Groups'), dnOf('B'))].join('\n')
    const { groups, warnings } = mapText(text)
    for (const item of groups) expect([...item.memberIds].sort()).toEqual(['cn=a,ou=staff,dc=corp,dc=test', 'cn=b,ou=staff,dc=corp,dc=test'])
    expect(warnings).toEqual([
      "2 groups contain themselves through nested groups (a cycle); each member was counted once: group 'Red' (line 17); group 'Blue' (line 24).",
    ])
  })

  it('leaves out members that are not in the file and warns about them, without failing', () => {
    const { groups, warnings } = mapText([adUser('A', 'mail: a@corp.test'), group('Team', dnOf('A'), dnOf('Gone'), dnOf('Also Gone'))].join('\n'))
    expect(groups[0]?.memberIds).toEqual(['cn=a,ou=staff,dc=corp,dc=test'])
    expect(warnings).toEqual([
      "2 group members were not found in the file and left out: cn=gone,ou=staff,dc=corp,dc=test in group 'Team' (line 9); cn=also gone,ou=staff,dc=corp,dc=test in group 'Team' (line 9).",
    ])
  })

  it('drops members that are skipped users or computers without calling them missing', () => {
    const text = [adUser('svc'), ldif(`dn: ${dnOf('WS1')}`, 'objectClass: user', 'objectClass: computer'), group('Team', dnOf('svc'), dnOf('WS1'))].join('\n')
    const { groups, warnings } = mapText(text)
    expect(groups[0]?.memberIds).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^1 user has no email address/)
  })

  it('resolves posixGroup memberUid values through the users’ uid', () => {
    const text = [ldif('dn: uid=jdoe,dc=test', 'objectClass: inetOrgPerson', 'uid: jdoe', 'mail: j@test.example'), ldif('dn: cn=staff,dc=test', 'objectClass: posixGroup', 'memberUid: JDoe', 'memberUid: nobody')].join('\n')
    const { groups, warnings } = mapText(text)
    expect(groups[0]?.memberIds).toEqual(['uid=jdoe,dc=test'])
    expect(warnings).toEqual(["1 group member was not found in the file and left out: memberUid nobody in group 'staff' (line 6)."])
  })
})

describe('ids', () => {
  it('refuses two entries with the same objectGUID, naming the lines', () => {
    const text = adUser('A', 'mail: a@corp.test', 'objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ==') + '\n' + adUser('B', 'mail: b@corp.test', 'objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ==')
    expect(failureOf(text).message).toBe(
      `org.ldif line 10: "${dnOf('B')}" has the same id (3f2504e0-4f89-11d3-9a0c-0305e82c3301) as the entry on line 1; an export lists each entry once`,
    )
  })

  it('falls back to the DN, with a warning, when objectGUID is not 16 bytes', () => {
    const { users, warnings } = mapText(adUser('A', 'mail: a@corp.test', 'objectGUID:: AAEC'))
    expect(users[0]?.externalId).toBe('cn=a,ou=staff,dc=corp,dc=test')
    expect(warnings).toEqual([`1 entry has an objectGUID that is not 16 bytes; the DN was used as its id instead: ${dnOf('A')} (line 1).`])
  })
})
