import fc from 'fast-check'
import { BerWriter, type Entry, MessageParser, SearchEntry } from 'ldapts'
import { describe, expect, it } from 'vitest'
import { DnInterner } from '../../../../../../main/connectors/ldap/lean/dn-interner.ts'
import { BerDecodeError, type NumberedDnValues, SEARCH_RESULT_ENTRY, decodeSearchEntry, messageHeader } from '../../../../../../main/connectors/ldap/lean/search-entry-decoder.ts'

interface RawAttribute {
  readonly type: string
  /** null: the attribute comes without a value SET (allowed by ldapts' parser). */
  readonly values: readonly Buffer[] | null
}

/** A SearchResultEntry LDAPMessage as a server sends it. */
function entryMessage(messageId: number, dn: string, attributes: readonly RawAttribute[]): Buffer {
  const writer = new BerWriter()
  writer.startSequence()
  writer.writeInt(messageId)
  writer.startSequence(SEARCH_RESULT_ENTRY)
  writer.writeString(dn)
  writer.startSequence()
  for (const attribute of attributes) {
    writer.startSequence()
    writer.writeString(attribute.type)
    if (attribute.values) {
      writer.startSequence(0x31)
      for (const value of attribute.values) writer.writeBuffer(value, 0x04)
      writer.endSequence()
    }
    writer.endSequence()
  }
  writer.endSequence()
  writer.endSequence()
  writer.endSequence()
  return writer.buffer
}

/** What ldapts itself makes of the message: its parser, then SearchEntry.toObject. */
function stockDecode(message: Buffer, attributes: string[], explicitBufferAttributes: string[]): Entry {
  const parser = new MessageParser()
  let parsed: unknown = null
  parser.on('message', (m) => (parsed = m))
  parser.on('error', (e) => {
    throw e
  })
  parser.read(message, new Map())
  if (!(parsed instanceof SearchEntry)) throw new Error('ldapts did not parse a search entry')
  return parsed.toObject(attributes, explicitBufferAttributes)
}

function leanDecode(message: Buffer, attributes: string[], explicitBufferAttributes: string[]): Entry {
  const header = messageHeader(message)
  expect(header.protocolOp).toBe(SEARCH_RESULT_ENTRY)
  return decodeSearchEntry(message, header.opOffset, { attributes, explicitBufferAttributes })
}

const text = (...values: string[]) => values.map((v) => Buffer.from(v, 'utf8'))

describe('decodeSearchEntry', () => {
  it('returns one value bare, several as a list, and requested attributes the server left out as []', () => {
    const message = entryMessage(7, 'uid=ann,ou=people,dc=example,dc=com', [
      { type: 'mail', values: text('ann@example.com') },
      { type: 'objectClass', values: text('top', 'person', 'inetOrgPerson') },
      { type: 'cn', values: text('Ann Émile 名') },
    ])
    const requested = ['mail', 'objectClass', 'cn', 'modifyTimestamp', 'OBJECTCLASS']
    const lean = leanDecode(message, requested, [])
    expect(lean).toEqual({ dn: 'uid=ann,ou=people,dc=example,dc=com', mail: 'ann@example.com', objectClass: ['top', 'person', 'inetOrgPerson'], cn: 'Ann Émile 名', modifyTimestamp: [] })
    expect(lean).toEqual(stockDecode(message, requested, []))
    expect(messageHeader(message).messageId).toBe(7)
  })

  it('returns Buffers for explicitly binary attributes, ;binary types and values that are not UTF-8', () => {
    const guid = Buffer.from('c9f58edb22214940aa2a8109c0737def', 'hex')
    const message = entryMessage(300, 'CN=Bob,DC=example,DC=com', [
      { type: 'objectGUID', values: [guid] },
      { type: 'userCertificate;binary', values: [Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])] },
      { type: 'description', values: [Buffer.from('fine'), Buffer.from([0xc3, 0x28])] },
    ])
    const lean = leanDecode(message, ['objectGUID'], ['objectGUID'])
    expect(lean['objectGUID']).toEqual(guid)
    expect(lean['description']).toEqual([Buffer.from('fine'), Buffer.from([0xc3, 0x28])])
    expect(lean).toEqual(stockDecode(message, ['objectGUID'], ['objectGUID']))
  })

  it('copies Buffer values, so an entry does not keep the socket chunk alive', () => {
    const message = entryMessage(1, 'cn=x', [{ type: 'objectGUID', values: [Buffer.alloc(16, 7)] }])
    const value = leanDecode(message, [], ['objectGUID'])['objectGUID'] as Buffer
    expect(value.buffer).not.toBe(message.buffer)
  })

  it('decodes 5,000-member groups (long-form lengths) the same as ldapts', () => {
    const members = Array.from({ length: 5000 }, (_, i) => `uid=user${i},ou=people,dc=example,dc=com`)
    const message = entryMessage(2, 'cn=all,ou=groups,dc=example,dc=com', [{ type: 'member', values: text(...members) }])
    expect(leanDecode(message, ['member'], [])).toEqual(stockDecode(message, ['member'], []))
  })

  it('agrees with ldapts on random entries (types, values, invalid UTF-8, byte-order marks, empty values)', () => {
    const type = fc.oneof(fc.constantFrom('mail', 'cn', 'member', 'objectGUID', 'jpegPhoto;binary', 'x;BINARY', 'dn;binary'), fc.string({ minLength: 1, maxLength: 12 }))
    const value = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')),
      fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
      fc.string({ maxLength: 5 }).map((s) => Buffer.from(`\uFEFF${s}`, 'utf8')),
      fc.constant(Buffer.from('\uFFFD', 'utf8')),
    )
    const attribute = fc.record({ type, values: fc.option(fc.array(value, { maxLength: 6 }), { nil: null }) })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.string({ maxLength: 30 }), fc.uniqueArray(attribute, { maxLength: 8, selector: (a) => a.type }), fc.subarray(['mail', 'objectGUID', 'member', 'cn']), (id, dn, attributes, explicit) => {
        const message = entryMessage(id, dn, attributes)
        const requested = ['mail', 'CN', 'member', 'absent']
        expect(leanDecode(message, requested, explicit)).toEqual(stockDecode(message, requested, explicit))
      }),
      { numRuns: 500, seed: 42 },
    )
  })

  it('gives interned DN attributes the same values, as shared strings numbered in the interner', () => {
    const members = ['uid=a,dc=x', 'uid=b,dc=x', 'uid=a,dc=x', 'cn=Ünïcode,dc=x']
    const message = entryMessage(9, 'cn=g,dc=x', [
      { type: 'cn', values: text('g') },
      { type: 'member', values: text(...members) },
      { type: 'member;range=0-*', values: text('uid=b,dc=x') },
    ])
    const header = messageHeader(message)
    const interner = new DnInterner()
    const request = { attributes: ['cn', 'member'], explicitBufferAttributes: [] }
    const interned = decodeSearchEntry(message, header.opOffset, request, { attributes: new Set(['member']), interner })
    expect(interned).toEqual(decodeSearchEntry(message, header.opOffset, request))
    const values = interned['member'] as NumberedDnValues
    expect(values.dnNumbers).toEqual([0, 1, 0, 2])
    expect(Object.is(values[0], values[2])).toBe(true)
    expect((interned['member;range=0-*'] as unknown as string)).toBe('uid=b,dc=x')
    expect(interner.size).toBe(3)
  })

  it('refuses a truncated or mistagged entry with the byte it failed at', () => {
    const message = entryMessage(3, 'cn=x', [{ type: 'mail', values: text('a@b.c') }])
    const header = messageHeader(message)
    const truncated = Buffer.from(message.subarray(0, message.length - 3))
    expect(() => decodeSearchEntry(truncated, header.opOffset, { attributes: [], explicitBufferAttributes: [] })).toThrow(BerDecodeError)
    const mistagged = Buffer.from(message)
    mistagged[mistagged.indexOf(Buffer.from('a@b.c')) - 2] = 0x05
    expect(() => decodeSearchEntry(mistagged, header.opOffset, { attributes: [], explicitBufferAttributes: [] })).toThrow(/expected tag 0x4 at byte \d+, got 0x5/)
  })
})
