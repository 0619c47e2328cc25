import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DnInterner } from '../../../../../../main/connectors/ldap/lean/dn-interner.ts'

/** `value` embedded in a buffer between other bytes, as it sits in a BER message. */
function embedded(value: string): { buffer: Buffer; start: number; end: number } {
  const bytes = Buffer.from(value, 'utf8')
  const buffer = Buffer.concat([Buffer.from([0x04, bytes.length & 0x7f, 0xff]), bytes, Buffer.from([0x30, 0x00])])
  return { buffer, start: 3, end: 3 + bytes.length }
}

describe('DnInterner', () => {
  it('gives one shared string per distinct value, equal to the decoded bytes', () => {
    const dn = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.constantFrom('cn=user', 'uid=ä', 'cn=x\\,y'), fc.string({ maxLength: 6 })).map(([rdn, rest]) => `${rdn},ou=${rest},dc=example,dc=com`),
    )
    fc.assert(
      fc.property(fc.array(dn, { maxLength: 300 }), (values) => {
        const interner = new DnInterner()
        const first = new Map<string, string>()
        for (const value of values) {
          const { buffer, start, end } = embedded(value)
          const text = interner.intern(buffer, start, end)
          expect(text).toBe(buffer.toString('utf8', start, end))
          const seen = first.get(text)
          if (seen === undefined) first.set(text, text)
          else expect(Object.is(seen, text)).toBe(true)
        }
        expect(interner.size).toBe(first.size)
      }),
      { numRuns: 300, seed: 5 },
    )
  })

  it('keeps working when every value has the same first RDN', () => {
    const interner = new DnInterner()
    const values = Array.from({ length: 5_000 }, (_, i) => `cn=mailbox,ou=person ${i},dc=example,dc=com`)
    const texts = values.map((v) => {
      const { buffer, start, end } = embedded(v)
      return interner.intern(buffer, start, end)
    })
    expect(interner.size).toBe(5_000)
    const again = embedded(values[4_321]!)
    expect(interner.intern(again.buffer, again.start, again.end)).toBe(texts[4_321])
    expect(interner.size).toBe(5_000)
  })
})
