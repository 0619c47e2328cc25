import { describe, expect, it } from 'vitest'
import { isAccountDisabled } from '../../../../main/directory-rules/account-control.ts'
import { displayNameOf } from '../../../../main/directory-rules/display-name.ts'
import { firstRdnValue, normalizeDn, withoutOptionalUid } from '../../../../main/directory-rules/distinguished-name.ts'
import { mailAddress, normalizeAddress, normalizedAddress } from '../../../../main/directory-rules/email-address.ts'
import { guidFromBytes, guidFromValue, guidToBytes } from '../../../../main/directory-rules/object-guid.ts'
import { listedAddresses, proxyAddresses } from '../../../../main/directory-rules/proxy-addresses.ts'
import { parseRangedAttribute, rangesComplete } from '../../../../main/directory-rules/ranged-attribute.ts'

// The directory rules every connector that reads AD-shaped data applies (live LDAP/AD and LDIF
// exports alike), one table per rule.

describe('addresses', () => {
  it.each([
    ['Ann@Example.COM', 'ann@example.com'],
    ['  ann@example.com ', 'ann@example.com'],
    ['e\u0301lodie@example.com', 'élodie@example.com'],
  ])('normalizeAddress(%j) is %j: trimmed, composed, lower-cased', (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected)
    expect(normalizedAddress(raw)).toBe(expected)
  })

  it('normalizedAddress hands back an address already in its one spelling as the same string', () => {
    const plain = 'ann@example.com'
    expect(normalizedAddress(plain)).toBe(plain)
  })

  it.each([
    ['Ann@Example.com', 'ann@example.com'],
    [' ann@example.com ', 'ann@example.com'],
    ['ann@sub@example.com', null],
    ['@example.com', null],
    ['ann@', null],
    ['ann example@example.com', null],
    ['not an address', null],
    ['', null],
  ])('mailAddress(%j) is %j', (raw, expected) => {
    expect(mailAddress(raw)).toBe(expected)
  })
})

describe('proxyAddresses and mail (AD)', () => {
  it.each([
    ['SMTP: is the primary, smtp: aliases, other types ignored, a differing mail not added', ['X400:c=US;a= ;', 'sip:a@b.c', 'smtp:Alias@Example.com', 'SMTP:Primary@Example.com'], 'stale@example.com', { primary: 'primary@example.com', aliases: ['alias@example.com'] }],
    ['without SMTP:, mail is the primary', ['smtp:a@example.com', 'smtp:Mail@example.com'], 'MAIL@example.com', { primary: 'mail@example.com', aliases: ['a@example.com'] }],
    ['only lower-case smtp: and no mail: the first smtp: is the primary', ['smtp:first@example.com', 'smtp:second@example.com'], undefined, { primary: 'first@example.com', aliases: ['second@example.com'] }],
    ['a group whose only address is smtp: has it', ['smtp:team@example.com'], undefined, { primary: 'team@example.com', aliases: [] }],
    ['an smtp: value with two @ is not an address', ['SMTP:ok@example.com', 'smtp:bad@x@example.com'], undefined, { primary: 'ok@example.com', aliases: [] }],
    ['nothing at all', [], undefined, { primary: null, aliases: [] }],
    ['mail only', [], ' Mail.Only@Example.test ', { primary: 'mail.only@example.test', aliases: [] }],
  ] as const)('%s', (_label, values, mail, expected) => {
    expect(proxyAddresses(values, mail)).toEqual(expected)
  })

  it('reports the values that are not addresses', () => {
    const invalid: string[] = []
    proxyAddresses(['smtp:bad@x@example.com', 'SMTP:ok@example.com'], 'also bad', (v) => invalid.push(v))
    expect(invalid).toEqual(['bad@x@example.com'])
  })

  it('plain mail attributes (LDAP): the first valid value is the primary, the others aliases, each once', () => {
    expect(listedAddresses(['A@example.com', 'b@example.com', 'a@example.com', 'nope'])).toEqual({ primary: 'a@example.com', aliases: ['b@example.com'] })
  })
})

describe('display names', () => {
  it.each([
    [['Ann Smith ', 'asmith'], 'Ann Smith'],
    [['', 'asmith'], 'asmith'],
    [[undefined, null, '  '], null],
  ] as const)('displayNameOf(%j) is %j: the first non-empty candidate, trimmed', (candidates, expected) => {
    expect(displayNameOf(...candidates)).toBe(expected)
  })
})

describe('userAccountControl', () => {
  it.each([
    ['512', false],
    ['514', true],
    ['546', true],
    ['66048', false],
    ['66050', true],
    [' 514 ', true],
    ['garbage', false],
    [undefined, false],
  ] as const)('%j → disabled %j (bit 0x2)', (value, disabled) => {
    expect(isAccountDisabled(value)).toBe(disabled)
  })
})

describe('DNs', () => {
  it.each([
    ['CN=Nest-A, OU=Groups, DC=Example, DC=Com', 'cn=nest-a,ou=groups,dc=example,dc=com'],
    ['UID=ASmith, ou=People ,dc=example, dc=org', 'uid=asmith,ou=people,dc=example,dc=org'],
    [' cn=a,dc=x', 'cn=a,dc=x'],
    ['cn=a,dc=x ', 'cn=a,dc=x'],
    ['cn=a+ uid=b,dc=x', 'cn=a+uid=b,dc=x'],
    ['cn=a,\tdc=x', 'cn=a,dc=x'],
    ['cn=ÉLODIE,dc=x', 'cn=élodie,dc=x'],
    ['CN=Anders\\, Bob , OU=Staff', 'cn=anders\\, bob,ou=staff'],
    ['CN=Bob   Brown,OU=Staff', 'cn=bob brown,ou=staff'],
  ])('normalizeDn(%j) is %j', (dn, expected) => {
    expect(normalizeDn(dn)).toBe(expected)
  })

  it('hands back a DN already in normal form as the same string', () => {
    const canonical = 'cn=user000001,ou=people,dc=example,dc=com'
    expect(normalizeDn(canonical)).toBe(canonical)
  })

  it.each([
    ['CN=Anders\\, Bob,OU=Staff', 'Anders, Bob'],
    ['cn=developers,ou=groups', 'developers'],
  ])('firstRdnValue(%j) is %j', (dn, expected) => {
    expect(firstRdnValue(dn)).toBe(expected)
  })

  it("strips a uniqueMember value's optional UID, and only that", () => {
    expect(withoutOptionalUid("uid=a,dc=x#'0101'B")).toBe('uid=a,dc=x')
    expect(withoutOptionalUid('uid=a#b,dc=x')).toBe('uid=a#b,dc=x')
  })
})

describe('objectGUID', () => {
  it('reverses the bytes of the first three groups, as Windows does, and keeps the last two in order', () => {
    const bytes = Uint8Array.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
    expect(guidFromBytes(bytes)).toBe('33221100-5544-7766-8899-aabbccddeeff')
    expect(guidToBytes('33221100-5544-7766-8899-aabbccddeeff').equals(Buffer.from(bytes))).toBe(true)
  })

  it.each([
    ['16 bytes (LDIF ::)', Buffer.from('4AQlP4lP0xGaDAMF6CwzAQ==', 'base64'), '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['canonical text with braces', '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['32 hex digits of the bytes', 'e004253f894fd3119a0c0305e82c3301', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['15 bytes', Uint8Array.from(Array.from({ length: 15 }, () => 1)), null],
    ['text that is not a GUID', 'not a guid', null],
  ] as const)('guidFromValue: %s', (_label, value, expected) => {
    expect(guidFromValue(value)).toBe(expected)
  })
})

describe('range-qualified attributes', () => {
  it.each([
    ['member;range=0-1499', { attribute: 'member', low: 0, high: 1499 }],
    ['member;range=1500-*', { attribute: 'member', low: 1500, high: '*' }],
    ['Member;Range=0-*', { attribute: 'Member', low: 0, high: '*' }],
    ['member', null],
    ['member;binary', null],
  ] as const)('parseRangedAttribute(%j)', (name, expected) => {
    expect(parseRangedAttribute(name)).toEqual(expected)
  })

  it.each([
    [['member;range=0-1499', 'member;range=1500-*'], true],
    [['member;range=1500-*', 'member;range=0-1499'], true],
    [['member;range=0-*'], true],
    [['member;range=0-1499'], false],
    [['member;range=0-1499', 'member;range=1501-*'], false],
  ])('slices %j cover every value: %j', (names, complete) => {
    expect(rangesComplete(names.map((n) => parseRangedAttribute(n)!))).toBe(complete)
  })
})
