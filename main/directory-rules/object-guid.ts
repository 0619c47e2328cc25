/**
 * Active Directory's objectGUID is 16 raw bytes. Windows shows it as a GUID whose first three
 * groups are stored little-endian (Data1 uint32, Data2 uint16, Data3 uint16) and whose last 8
 * bytes are stored in order: the bytes 00 11 22 33 44 55 66 77 88 … read 33221100-5544-7766-8899-….
 * Returns the lower-cased canonical form, or null when the value is not 16 bytes.
 */
export function guidFromBytes(bytes: Uint8Array): string | null {
  if (bytes.length !== 16) return null
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('hex')
  const swap = (part: string) => part.match(/../g)!.reverse().join('')
  return `${swap(hex.slice(0, 8))}-${swap(hex.slice(8, 12))}-${swap(hex.slice(12, 16))}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The inverse of guidFromBytes, for `(objectGUID=…)` filters and tests. */
export function guidToBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError('not a GUID')
  const swap = (part: string) => part.match(/../g)!.reverse().join('')
  return Buffer.from(swap(hex.slice(0, 8)) + swap(hex.slice(8, 12)) + swap(hex.slice(12, 16)) + hex.slice(16), 'hex')
}

const GUID_TEXT = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i

/**
 * An objectGUID as an export wrote it: 16 bytes (LDIF `::` base64), the canonical text (some
 * tools, with or without braces), or 32 hex digits of the raw bytes; null when it is none of them.
 */
export function guidFromValue(value: string | Uint8Array): string | null {
  if (typeof value !== 'string') return guidFromBytes(value)
  const text = GUID_TEXT.exec(value.trim())
  if (text) return text[1]!.toLowerCase()
  return /^[0-9a-f]{32}$/i.test(value.trim()) ? guidFromBytes(Buffer.from(value.trim(), 'hex')) : null
}
