import { describe, expect, it } from 'vitest'
import { ResultCodeError, InvalidCredentialsError } from 'ldapts'
import { toConnectorError, adBindSubcode } from '../../../../../main/connectors/ldap/ldap-errors.ts'
import { changedAfter, escapeFilterValue, filterText, matchingAny, parseAdminFilter } from '../../../../../main/connectors/ldap/ldap-filters.ts'
import { type GroupBasics, mapUser } from '../../../../../main/connectors/ldap/ldap-mapping.ts'
import { LDAP_PRESETS, resolveAttributeMap, userAttributes } from '../../../../../main/connectors/ldap/ldap-presets.ts'
import { memberValues } from '../../../../../main/connectors/ldap/page-reader.ts'
import type { DirectoryGroup } from '../../../../../shared/domain/directory-snapshot.ts'
import { GroupCollector } from '../../../../../main/connectors/ldap/group-collector.ts'
import { MembershipGraph } from '../../../../../main/connectors/ldap/membership-graph.ts'
import { formatGeneralizedTime, parseGeneralizedTime } from '../../../../../main/connectors/ldap/ldap-cursor.ts'

describe('range retrieval', () => {
  it('continues after a partial range and ignores the placeholder ldapts adds for the requested name', () => {
    expect(memberValues({ dn: 'cn=g', 'member;range=0-1499': ['a', 'b'] }, 'member', 'member')).toMatchObject({ values: ['a', 'b'], next: 1500 })
    expect(memberValues({ dn: 'cn=g', 'member;range=0-99': [], 'member;range=0-*': ['a'] }, 'member', 'member;range=0-99')).toMatchObject({ values: ['a'], next: null })
    expect(memberValues({ dn: 'cn=g', 'member;range=0-99': [] }, 'member', 'member;range=0-99')).toMatchObject({ values: [], next: null })
  })
})

describe('filters', () => {
  it('escapes filter metacharacters in values (RFC 4515)', () => {
    expect(escapeFilterValue('a*)(uid=*\\')).toBe('a\\2a\\29\\28uid=\\2a\\5c')
    const filter = matchingAny(parseAdminFilter(undefined, '(objectClass=user)', 'user'), [{ attribute: 'mail', value: '*)(|(cn=*' }])
    expect(filterText(filter)).toBe('(&(objectClass=user)(mail=\\2a\\29\\28|\\28cn=\\2a))')
  })

  it('builds a strictly-after filter for timestamps', () => {
    expect(filterText(changedAfter(parseAdminFilter('objectClass=person', '', 'user'), 'modifyTimestamp', '20260101000000Z'))).toBe(
      '(&(objectClass=person)(modifyTimestamp>=20260101000000Z)(!(modifyTimestamp=20260101000000Z)))',
    )
  })

  it('reports an unbalanced admin filter as a settings error', () => {
    expect(() => parseAdminFilter('(cn=a', '', 'group')).toThrow(/group filter is not a valid LDAP filter/)
  })
})

describe('attribute mapping', () => {
  it('asks only for mapped attributes, with admin overrides', () => {
    const { map, unknownKeys } = resolveAttributeMap('ldap', { mail: 'mailPrimaryAddress', bogus: 'x' })
    expect(unknownKeys).toEqual(['bogus'])
    expect(userAttributes(map)).toContain('mailPrimaryAddress')
    expect(userAttributes(map)).not.toContain('*')
  })

  it('maps an AD entry: GUID id, proxy addresses, disabled flag, and the first RDN as the name when it has neither displayName nor cn', () => {
    const map = LDAP_PRESETS['active-directory'].attributes
    const mapped = mapUser(
      { dn: 'CN=x,DC=t', objectGUID: Buffer.from('c9f58edb22214940aa2a8109c0737def', 'hex'), proxyAddresses: ['SMTP:X@t.test', 'smtp:y@t.test'], userAccountControl: '514', sAMAccountName: 'x', displayName: [] },
      { flavour: 'active-directory', map, honourForeignDirectorySync: false },
    )
    expect(mapped).toEqual({
      user: { externalId: 'db8ef5c9-2122-4049-aa2a-8109c0737def', primaryAddress: 'x@t.test', aliases: ['y@t.test'], displayName: 'x', enabled: false, attributes: { dn: 'CN=x,DC=t', login: 'x' } },
    })
  })

  it('skips a Domino person whose "Allow Foreign Directory Synchronization" is No', () => {
    const map = LDAP_PRESETS.domino.attributes
    expect(mapUser({ dn: 'cn=b', mail: 'b@x.y', dominoUNID: 'AB', AllowForeignDirSync: '0' }, { flavour: 'domino', map, honourForeignDirectorySync: true })).toEqual({ skipped: 'foreign-sync-denied' })
  })
})

/** Records one group as the group reader hands it over; the group if it is final, else null (it waits for nesting). */
function addGroup(graph: MembershipGraph, dn: string, basics: GroupBasics, dns: string[], uids: string[]): DirectoryGroup | null {
  const collector = new GroupCollector()
  collector.add(dn, basics, dns, uids)
  return [...graph.addCollected(collector.finish())][0] ?? null
}

describe('MembershipGraph', () => {
  it('numbers each distinct member DN once and resolves it to its user, in the server’s spelling or in normal form', () => {
    const graph = new MembershipGraph()
    graph.addUser('uid=1,o=x', 'u1', 'one')
    graph.addUser('UID=2,O=X', 'u2', 'two')
    const collector = new GroupCollector()
    const basics = (id: string) => ({ externalId: id, name: id, address: null })
    collector.add('cn=a,o=x', basics('a'), ['uid=1,o=x', 'UID=2,O=X', 'uid=1,o=x'], [])
    collector.add('cn=b,o=x', basics('b'), ['uid=2,o=x', 'uid=1,o=x'], [])
    const collected = collector.finish()
    expect(collected.memberDns).toEqual(['uid=1,o=x', 'UID=2,O=X', 'uid=2,o=x'])
    expect([...graph.addCollected(collected)].map((g) => [g.externalId, g.memberIds])).toEqual([
      ['a', ['u1', 'u2']],
      ['b', ['u2', 'u1']],
    ])
  })

  it('gives each group its members as user numbers in the order users were added, flattened groups too', () => {
    const graph = new MembershipGraph()
    for (const n of [1, 2, 3]) graph.addUser(`uid=${n},o=x`, `u${n}`, `${n}`)
    const basics = (id: string) => ({ externalId: id, name: id, address: null })
    const plain = addGroup(graph, 'cn=plain,o=x', basics('plain'), ['uid=3,o=x', 'uid=1,o=x'], [])
    expect(plain && Array.from(graph.memberPositions(plain))).toEqual([2, 0])
    expect(addGroup(graph, 'cn=outer,o=x', basics('outer'), ['uid=2,o=x', 'cn=plain,o=x'], [])).toBeNull()
    const [outer] = graph.resolveDeferred()
    expect(outer?.memberIds).toEqual(['u2', 'u3', 'u1'])
    expect(outer && Array.from(graph.memberPositions(outer))).toEqual([1, 2, 0])
  })

  it('counts a user reached through member, memberUid and a nested group once', () => {
    const graph = new MembershipGraph()
    graph.addUser('uid=1,o=x', 'u1', 'one')
    graph.addUser('uid=2,o=x', 'u2', 'two')
    const basics = (id: string) => ({ externalId: id, name: id, address: null })
    expect(addGroup(graph, 'cn=inner,o=x', basics('inner'), ['uid=1,o=x', 'uid=2,o=x'], ['one'])?.memberIds).toEqual(['u1', 'u2'])
    expect(addGroup(graph, 'cn=outer,o=x', basics('outer'), ['uid=1,o=x', 'UID=1,O=X', 'cn=inner,o=x'], ['one', 'ONE'])).toBeNull()
    expect(graph.resolveDeferred().map((g) => [g.externalId, g.memberIds])).toEqual([['outer', ['u1', 'u2']]])
    expect(graph.flattenedGroup('CN=Inner,O=X')?.memberIds).toEqual(['u1', 'u2'])
  })

  it('flattens nested groups through a cycle and streams groups without nesting at once', () => {
    const graph = new MembershipGraph()
    graph.addUser('uid=1,o=x', 'u1', '1')
    graph.addUser('uid=2,o=x', 'u2', '2')
    const basics = (id: string) => ({ externalId: id, name: id, address: null })
    expect(addGroup(graph, 'cn=plain,o=x', basics('plain'), ['UID=1, O=X'], ['2', 'nobody'])).toEqual({ externalId: 'plain', name: 'plain', address: null, memberIds: ['u1', 'u2'] })
    expect(addGroup(graph, 'cn=a,o=x', basics('a'), ['uid=1,o=x', 'cn=b,o=x'], [])).toBeNull()
    expect(addGroup(graph, 'cn=b,o=x', basics('b'), ['uid=2,o=x', 'cn=a,o=x', 'cn=contact,o=x'], [])).toBeNull()
    const resolved = graph.resolveDeferred()
    expect(resolved.map((g) => [g.externalId, [...g.memberIds].sort()])).toEqual([
      ['a', ['u1', 'u2']],
      ['b', ['u1', 'u2']],
    ])
    expect(graph.unresolvedMemberCount).toBe(2) // 'nobody' and the contact
    expect([...graph.withAncestors(['cn=b,o=x'])].sort()).toEqual(['cn=a,o=x', 'cn=b,o=x'])
  })
})

describe('errors', () => {
  it('reads AD bind sub-codes and explains them', () => {
    expect(adBindSubcode('80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 775, v4f7c')).toBe('775')
    const error = toConnectorError(new InvalidCredentialsError('AcceptSecurityContext error, data 533, v893'), { host: 'dc1', port: 636, phase: 'bind', bindDn: 'svc@x' })
    expect(error.code).toBe('credentials')
    expect(error.message).toBe('The directory refused to log on "svc@x": the bind user’s account is disabled.')
    expect(error).not.toBeInstanceOf(ResultCodeError)
  })

  it('maps socket failures to plain language by phase', () => {
    const refused = toConnectorError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { host: 'h', port: 389, phase: 'bind' })
    expect(refused.code).toBe('unreachable')
    const lost = toConnectorError(new Error('Connection closed before message response was received.'), { host: 'h', port: 389, phase: 'read', progress: '5 users and 0 groups' })
    expect(lost.code).toBe('incomplete-read')
    expect(lost.message).toContain('after 5 users and 0 groups')
    expect(toConnectorError(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), { host: 'h', port: 636, phase: 'tls' }).code).toBe('certificate')
  })
})

describe('GeneralizedTime', () => {
  it('round-trips whole seconds and honours offsets', () => {
    expect(formatGeneralizedTime(parseGeneralizedTime('20261127145202Z')!)).toBe('20261127145202Z')
    expect(parseGeneralizedTime('20261127155202+0100')).toBe(parseGeneralizedTime('20261127145202Z'))
    expect(parseGeneralizedTime('not a time')).toBeNull()
  })
})
