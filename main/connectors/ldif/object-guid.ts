/**
 * Active Directory's objectGUID is 16 raw bytes. Windows shows it as a GUID whose first three
 * groups are stored little-endian (Data1 uint32, Data2 uint16, Data3 uint16) and whose last
 * 8 bytes are stored in order, so the bytes 00 11 22 33 44 55 66 77 88 … read 33221100-5544-7766-8899-….
 * Returns the lower-cased canonical form, or null when the value is not 16 bytes.
 */
export function guidFromBytes(bytes: Uint8Array): string | null {
  if (bytes.length !== 16) return null
  const hex = (indexes: readonly number[]) => indexes.map((index) => (bytes[index] ?? 0).toString(16).padStart(2, '0')).join('')
  return [
    hex([3, 2, 1, 0]),
    hex([5, 4]),
    hex([7, 6]),
    hex([8, 9]),
    hex([10, 11, 12, 13, 14, 15]),
  ].join('-')
}

const GUID_TEXT = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i

/** A GUID already written as text (some tools export it so), lower-cased without braces; else null. */
export function guidFromText(text: string): string | null {
  const match = GUID_TEXT.exec(text.trim())
  return match?.[1]?.toLowerCase() ?? null
}
