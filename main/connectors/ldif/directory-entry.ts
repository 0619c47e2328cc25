/**
 * One entry of an export file, as read: its DN, the line it starts on (for messages), and its
 * attributes keyed by lower-cased attribute name without options (`member;binary` → `member`),
 * except a range option, which is kept (`member;range=0-1499`).
 * A value is text, or bytes when the file gave it base64-encoded (LDIF `::`) or as hex (csvde `X'…'`).
 */
export type AttributeValue = string | Uint8Array

export interface DirectoryEntry {
  readonly dn: string
  readonly line: number
  readonly attributes: ReadonlyMap<string, readonly AttributeValue[]>
}

/** A parser fed one physical line at a time; it appends complete entries to `out`. */
export interface EntryParser {
  /** `lineNumber` is 1-based. Throws ConnectorError('malformed-data') with the file name and line number. */
  pushLine(line: string, lineNumber: number, out: DirectoryEntry[]): void
  /** Call once after the last line: flushes the last entry or reports an unfinished one. */
  end(out: DirectoryEntry[]): void
}

const utf8 = new TextDecoder('utf-8')

/** A value as text: bytes are read as UTF-8 (how ldifde and slapcat encode non-ASCII text). */
export function valueAsText(value: AttributeValue): string {
  return typeof value === 'string' ? value : utf8.decode(value)
}

/** First value of an attribute as trimmed text, or null when absent or empty. */
export function firstText(entry: DirectoryEntry, name: string): string | null {
  for (const value of entry.attributes.get(name) ?? []) {
    const text = valueAsText(value).trim()
    if (text !== '') return text
  }
  return null
}

/** All non-empty values of an attribute as trimmed text. */
export function allText(entry: DirectoryEntry, name: string): string[] {
  const texts: string[] = []
  for (const value of entry.attributes.get(name) ?? []) {
    const text = valueAsText(value).trim()
    if (text !== '') texts.push(text)
  }
  return texts
}

/**
 * A copy of `text` that shares no memory with the chunk it was cut from. V8 keeps substrings as
 * views into their parent string, so one retained 40-character DN would keep its whole 256 KiB read
 * chunk alive, and a 150 MB export would stay in memory through its users' ids and addresses.
 * Concatenating makes V8 flatten into a new small string; slicing that only retains the small one.
 */
export function ownString(text: string): string {
  return (' ' + text).slice(1)
}
