import { isAscii, isUtf8 } from 'node:buffer'
import type { Entry } from 'ldapts'
import type { DnInterner } from './dn-interner.ts'

/** What the decoder needs from the search request the entry answers. */
export interface EntryRequest {
  /** Attributes asked for: those the server did not return are added as empty lists (as ldapts does). */
  readonly attributes: readonly string[]
  /** Attributes whose values are returned as Buffers (exact spelling, as ldapts matches them). */
  readonly explicitBufferAttributes: readonly string[]
}

/**
 * DN-valued attributes (`member`, `uniqueMember`; base names in lower case) whose values are
 * interned from the bytes — one shared string per distinct DN — instead of decoded one by one.
 */
export interface InternedAttributes {
  readonly attributes: ReadonlySet<string>
  readonly interner: DnInterner
}

export class BerDecodeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BerDecodeError'
  }
}

/**
 * Node's Buffer#utf8Slice: what `toString('utf8', start, end)` calls after checking its arguments
 * (not in @types/node). Called for every value, so the wrapper is skipped; the walker has already
 * checked the bounds.
 */
type SliceableBuffer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string }
const bufferMethods = Buffer.prototype as Partial<SliceableBuffer>
/** Whether this Node.js has them (checked by lean-decoding.ts before the decoder is ever used). */
export const HAS_NATIVE_SLICES = typeof bufferMethods.utf8Slice === 'function' && typeof bufferMethods.latin1Slice === 'function'

const SEQUENCE = 0x30
const SET = 0x31
const INTEGER = 0x02
const OCTET_STRING = 0x04
/** [APPLICATION 4] SearchResultEntry (RFC 4511 §4.5.2). */
export const SEARCH_RESULT_ENTRY = 0x64

/**
 * A minimal BER walker over one message: definite lengths, tags checked, never reads past the
 * element that contains it. `enter` moves into an element and returns where its content ends.
 */
class Walker {
  pos: number
  private readonly buffer: Buffer
  private readonly end: number

  constructor(buffer: Buffer) {
    this.buffer = buffer
    this.pos = 0
    this.end = buffer.length
  }

  /** Reads the tag (must be `tag`) and length of the element at `pos`; `pos` moves to its content. Returns the content's end. */
  enter(tag: number, limit: number = this.end): number {
    const buffer = this.buffer
    let p = this.pos
    if (p + 2 > limit) throw new BerDecodeError(`truncated element at byte ${p}`)
    if (buffer[p] !== tag) throw new BerDecodeError(`expected tag 0x${tag.toString(16)} at byte ${p}, got 0x${buffer[p]!.toString(16)}`)
    let length = buffer[p + 1]!
    p += 2
    if (length >= 0x80) {
      const count = length & 0x7f
      if (count === 0 || count > 4) throw new BerDecodeError(`unsupported BER length form at byte ${p - 1}`)
      if (p + count > limit) throw new BerDecodeError(`truncated length at byte ${p}`)
      length = 0
      for (let i = 0; i < count; i++) length = length * 256 + buffer[p++]!
    }
    if (p + length > limit) throw new BerDecodeError(`element at byte ${this.pos} runs past its container`)
    this.pos = p
    return p + length
  }

  peek(): number | undefined {
    return this.pos < this.end ? this.buffer[this.pos] : undefined
  }
}

/** The messageID and protocolOp tag of an LDAPMessage, and where the protocolOp starts. */
export function messageHeader(message: Buffer): { readonly messageId: number; readonly protocolOp: number; readonly opOffset: number } {
  const walker = new Walker(message)
  const end = walker.enter(SEQUENCE)
  const idEnd = walker.enter(INTEGER, end)
  if (idEnd - walker.pos < 1 || idEnd - walker.pos > 4) throw new BerDecodeError('messageID is not a 1–4 byte INTEGER')
  let messageId = 0
  for (let p = walker.pos; p < idEnd; p++) messageId = messageId * 256 + message[p]!
  walker.pos = idEnd
  const protocolOp = walker.peek()
  if (protocolOp === undefined) throw new BerDecodeError('LDAPMessage without a protocolOp')
  return { messageId, protocolOp, opOffset: idEnd }
}

/**
 * Decodes a SearchResultEntry straight into the object ldapts' `SearchEntry.toObject()` returns,
 * with the same rules — values are text (UTF-8) unless the attribute is listed in
 * `explicitBufferAttributes`, its type ends in `;binary`, or one of its values is not valid UTF-8,
 * in which case all its values are Buffers; one value is returned bare, several as a list, none
 * as []; requested attributes the server did not return are added as [] — but without the two
 * intermediate objects per value (a Buffer view and an entry in two lists) that ldapts makes: a
 * 100k-user read has over two million values. Buffers are copies, so an entry does not keep the
 * socket chunk it arrived in alive.
 */
export function decodeSearchEntry(buffer: Buffer, opOffset: number, request: EntryRequest, interned?: InternedAttributes): Entry {
  const message = buffer as SliceableBuffer
  const walker = new Walker(message)
  walker.pos = opOffset
  const opEnd = walker.enter(SEARCH_RESULT_ENTRY)
  const nameEnd = walker.enter(OCTET_STRING, opEnd)
  const result: Entry = { dn: message.utf8Slice(walker.pos, nameEnd) }
  walker.pos = nameEnd
  const listEnd = walker.enter(SEQUENCE, opEnd)
  const listStart = walker.pos
  // Most entries are ASCII throughout (BER headers of values under 128 bytes are ASCII too): then
  // the attribute list is decoded with one call and every value is a substring of it — which V8
  // makes without copying — instead of a native call per value (two million in a 100k-user read).
  // (Not for big entries — a group's member list — whose text would be a large string made only to be cut up.)
  const listLength = listEnd - listStart
  const ascii = listLength >= 32 && listLength <= ASCII_TEXT_MAX && isAscii(message.subarray(listStart, listEnd)) ? new AsciiText(message.latin1Slice(listStart, listEnd), listStart) : null
  while (walker.pos < listEnd) {
    const attributeEnd = walker.enter(SEQUENCE, listEnd)
    const typeEnd = walker.enter(OCTET_STRING, attributeEnd)
    const type = attributeType(message, walker.pos, typeEnd)
    walker.pos = typeEnd
    let values: string[] | Buffer[] = []
    if (walker.pos < attributeEnd && message[walker.pos] === SET) {
      const setEnd = walker.enter(SET, attributeEnd)
      const setStart = walker.pos
      const binary = request.explicitBufferAttributes.includes(type) || isBinaryType(type)
      if (binary) values = bufferValues(message, setStart, setEnd)
      else if (interned && interned.attributes.has(baseName(type))) values = internedValues(message, walker, setEnd, interned.interner)
      else if (ascii) values = ascii.values(walker, setEnd)
      else values = textValues(message, walker, setEnd) ?? bufferValues(message, setStart, setEnd)
    }
    walker.pos = attributeEnd
    result[type] = values.length === 1 ? values[0]! : values
  }
  for (const requested of request.attributes) {
    if (result[requested] === undefined && !hasAttributeIgnoringCase(result, requested)) result[requested] = []
  }
  return result
}

/**
 * Attribute types already seen, by length: every entry of a search names the same few types, so
 * the bytes are compared with those of that length and the string reused — no new string per
 * attribute, and one V8 has already made a property key. A handful per length (entryUUID and
 * givenName are both 9 bytes); past that, types are decoded each time.
 */
const knownTypes: { readonly bytes: Buffer; readonly text: string }[][] = []
const TYPES_PER_LENGTH = 8

function attributeType(message: SliceableBuffer, start: number, end: number): string {
  const length = end - start
  if (length > 64) return message.utf8Slice(start, end)
  const known = (knownTypes[length] ??= [])
  for (const candidate of known) {
    const bytes = candidate.bytes
    let i = 0
    while (i < length && bytes[i] === message[start + i]) i++
    if (i === length) return candidate.text
  }
  const text = message.utf8Slice(start, end)
  if (known.length < TYPES_PER_LENGTH) known.push({ bytes: Buffer.from(message.subarray(start, end)), text })
  return text
}

/** Entries whose attribute list is longer than this are decoded value by value. */
const ASCII_TEXT_MAX = 8192

/** `member;range=0-1499` → `member`, in lower case. */
function baseName(type: string): string {
  const semicolon = type.indexOf(';')
  return (semicolon < 0 ? type : type.slice(0, semicolon)).toLowerCase()
}

/**
 * Values of an interned attribute: the shared strings, and (as `dnNumbers`) their numbers in the
 * interner, so the group collector takes the numbers as they are instead of looking each string up.
 */
export type NumberedDnValues = string[] & { dnNumbers: number[] }

function internedValues(message: Buffer, walker: Walker, setEnd: number, interner: DnInterner): NumberedDnValues {
  const values = [] as unknown as NumberedDnValues
  const numbers: number[] = []
  const all = interner.all
  while (walker.pos < setEnd) {
    const end = walker.enter(OCTET_STRING, setEnd)
    const number = interner.number(message, walker.pos, end)
    numbers.push(number)
    values.push(all[number]!)
    walker.pos = end
  }
  // Not enumerable: to anything else the list is a plain list of strings.
  Object.defineProperty(values, 'dnNumbers', { value: numbers, enumerable: false })
  return values
}

/** The attribute list of an all-ASCII entry as one string, starting at byte `offset` of the message. */
class AsciiText {
  private readonly text: string
  private readonly offset: number

  constructor(text: string, offset: number) {
    this.text = text
    this.offset = offset
  }

  values(walker: Walker, setEnd: number): string[] {
    const values: string[] = []
    while (walker.pos < setEnd) {
      const end = walker.enter(OCTET_STRING, setEnd)
      values.push(this.text.substring(walker.pos - this.offset, end - this.offset))
      walker.pos = end
    }
    return values
  }
}

/** The values as text, or null when one of them is not valid UTF-8 (then all become Buffers). */
function textValues(message: SliceableBuffer, walker: Walker, setEnd: number): string[] | null {
  const values: string[] = []
  while (walker.pos < setEnd) {
    const end = walker.enter(OCTET_STRING, setEnd)
    const valueStart = walker.pos
    let text = message.utf8Slice(valueStart, end)
    // Invalid sequences decode to U+FFFD; only then is the (rarer) exact check needed.
    if (text.includes('\uFFFD') && !isUtf8(message.subarray(valueStart, end))) return null
    // ldapts decodes with a WHATWG TextDecoder, which drops a leading byte-order mark.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    values.push(text)
    walker.pos = end
  }
  return values
}

function bufferValues(message: Buffer, setStart: number, setEnd: number): Buffer[] {
  const walker = new Walker(message)
  walker.pos = setStart
  const values: Buffer[] = []
  while (walker.pos < setEnd) {
    const end = walker.enter(OCTET_STRING, setEnd)
    values.push(Buffer.from(message.subarray(walker.pos, end)))
    walker.pos = end
  }
  return values
}

/** `…;binary` (RFC 4522), as ldapts tests it (/;binary$/i), without a regular expression per attribute. */
function isBinaryType(type: string): boolean {
  const at = type.length - 7
  return at >= 0 && type.charCodeAt(at) === 59 && type.slice(at + 1).toLowerCase() === 'binary'
}

function hasAttributeIgnoringCase(entry: Entry, name: string): boolean {
  const lower = name.toLocaleLowerCase()
  for (const key of Object.keys(entry)) if (key !== 'dn' && key.toLocaleLowerCase() === lower) return true
  return false
}
