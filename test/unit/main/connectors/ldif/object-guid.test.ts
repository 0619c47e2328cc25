import { describe, expect, it } from 'vitest'
import { guidFromBytes, guidFromText } from '../../../../../main/connectors/ldif/object-guid.ts'

describe('objectGUID formatting', () => {
  it('reverses the bytes of the first three groups, as Windows does, and keeps the last two in order', () => {
    const bytes = Uint8Array.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
    expect(guidFromBytes(bytes)).toBe('33221100-5544-7766-8899-aabbccddeeff')
  })

  it('turns the bytes of a known AD object into its well-known GUID string', () => {
    expect(guidFromBytes(Buffer.from('4AQlP4lP0xGaDAMF6CwzAQ==', 'base64'))).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301')
  })

  it('refuses a value that is not 16 bytes', () => {
    expect(guidFromBytes(Uint8Array.from([1, 2, 3]))).toBeNull()
  })

  it('accepts a GUID already written as text, with or without braces', () => {
    expect(guidFromText('{3F2504E0-4F89-11D3-9A0C-0305E82C3301}')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301')
    expect(guidFromText('not a guid')).toBeNull()
  })
})
