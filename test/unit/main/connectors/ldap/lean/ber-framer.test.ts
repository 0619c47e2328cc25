import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BerFramer, FramingError, messageSize } from '../../../../../../main/connectors/ldap/lean/ber-framer.ts'

/** A SEQUENCE of `length` content bytes, in short or long length form. */
function message(length: number, fill: number): Buffer {
  const header = length < 0x80 ? [0x30, length] : length < 0x100 ? [0x30, 0x81, length] : length < 0x10000 ? [0x30, 0x82, length >> 8, length & 0xff] : [0x30, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]
  return Buffer.concat([Buffer.from(header), Buffer.alloc(length, fill)])
}

describe('BerFramer', () => {
  it('hands on every message whole and in order, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 9_000 }), { minLength: 1, maxLength: 40 }), (lengths, cuts) => {
        const messages = lengths.map((length, i) => message(length, i % 256))
        const stream = Buffer.concat(messages)
        const framer = new BerFramer()
        const out: Buffer[] = []
        let offset = 0
        for (let i = 0; offset < stream.length; i++) {
          const size = cuts[i % cuts.length]!
          framer.push(stream.subarray(offset, offset + size), (m) => out.push(Buffer.from(m)))
          offset += size
        }
        expect(out).toEqual(messages)
        expect(framer.bufferedBytes).toBe(0)
      }),
      { numRuns: 80, seed: 7 },
    )
  })

  it('copies a message that spans chunks once, when it is complete', () => {
    const big = message(200_000, 1)
    const framer = new BerFramer()
    const seen: number[] = []
    for (let offset = 0; offset < big.length; offset += 65_536) framer.push(big.subarray(offset, offset + 65_536), (m) => seen.push(m.length))
    expect(seen).toEqual([big.length])
  })

  it('refuses a stream that is not LDAP messages', () => {
    expect(() => new BerFramer().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'), () => undefined)).toThrow(FramingError)
    expect(() => messageSize(Buffer.from([0x30, 0x80, 0, 0]), 0)).toThrow(/indefinite/)
    expect(() => messageSize(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0)).toThrow(/5 bytes/)
    expect(() => messageSize(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), 0)).toThrow(/LDAPMessage of/)
    expect(messageSize(Buffer.from([0x30, 0x82, 0x01]), 0)).toBe(-1)
  })
})
