import type { AttributeValue, DirectoryEntry, EntryParser } from './directory-entry.ts'
import { excerpt, malformedAt } from './malformed.ts'

/**
 * LDIF content records (RFC 2849) as `ldifde -f` and `slapcat` write them: an optional `version: 1`,
 * `#` comments, folded lines (a continuation line starts with one space), `attr: text`,
 * `attr:: base64`, and `changetype` absent or `add`. `attr:< url` is refused (a file export must not
 * make us read other files), and change records (`modify`, `delete`, `modrdn`…) are refused: they
 * describe edits, not a directory.
 *
 * Hand-written rather than a dependency: the format is small, and we need line numbers in every
 * message, streaming, and no Node-only surprises.
 */
/** Most distinct attribute spellings remembered (a schema has hundreds; this bounds a hostile file). */
const KNOWN_NAMES_LIMIT = 2000

/** Names the parser itself acts on, read whatever `keep` says. */
const STRUCTURAL_NAMES: ReadonlySet<string> = new Set(['dn', 'changetype', 'control'])

/**
 * `keep` (Default: every attribute) names the lower-cased attributes to store; others are checked
 * for syntax but not decoded or kept, which spares memory on exports full of photos and certificates.
 */
export function createLdifParser(fileName: string, keep?: ReadonlySet<string>): EntryParser {
  /** The logical line being assembled from a line and its continuations. */
  let pending: string | null = null
  let pendingLine = 0
  /** A comment's continuation lines belong to the comment and are dropped with it. */
  let inComment = false
  let sawFirstRecord = false
  /** Attribute names as written → checked, lower-cased type: an export repeats a few dozen names millions of times. */
  const knownNames = new Map<string, string>()

  let dn: string | null = null
  let dnLine = 0
  let attributes = new Map<string, AttributeValue[]>()
  /** Number of attribute lines after the dn (changetype is only valid as the first one). */
  let attributeLines = 0

  function fail(lineNumber: number, problem: string): never {
    throw malformedAt(fileName, lineNumber, problem)
  }

  function finishRecord(out: DirectoryEntry[]): void {
    if (dn !== null) out.push({ dn, line: dnLine, attributes })
    dn = null
    attributes = new Map()
    attributeLines = 0
  }

  function decodeBase64(text: string, lineNumber: number): Uint8Array {
    const compact = text.replace(/\s+/g, '')
    if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
      fail(lineNumber, `the value after '::' is not valid base64 (got '${excerpt(text)}')`)
    }
    return Buffer.from(compact, 'base64')
  }

  /** One complete logical line of a record (comments and blank lines already handled). */
  function processLine(text: string, lineNumber: number): void {
    const colon = text.indexOf(':')
    if (colon <= 0) fail(lineNumber, `a value line must contain ':' (got '${excerpt(text)}')`)
    const rawName = text.slice(0, colon)
    let name = knownNames.get(rawName)
    if (name === undefined) {
      if (!isAttributeDescription(rawName)) {
        fail(lineNumber, `'${excerpt(rawName)}' is not an attribute name (got '${excerpt(text)}')`)
      }
      const semicolon = rawName.indexOf(';')
      name = (semicolon === -1 ? rawName : rawName.slice(0, semicolon)).toLowerCase()
      if (knownNames.size < KNOWN_NAMES_LIMIT) knownNames.set(rawName, name)
    }

    const marker = text.charCodeAt(colon + 1)
    if (marker === 60 /* '<' */) {
      fail(lineNumber, `'${rawName}' takes its value from a URL ('${rawName}:<'), which is not supported: export the value inline`)
    }
    if (dn !== null && keep !== undefined && !keep.has(name) && !STRUCTURAL_NAMES.has(name)) {
      // Not needed by the mapping (thumbnailPhoto, userPassword, description…): skip without decoding.
      attributeLines++
      return
    }
    const value: AttributeValue = marker === 58 /* ':' */ ? decodeBase64(text.slice(colon + 2).trimStart(), lineNumber) : trimFill(text, colon + 1)

    if (dn === null) {
      if (name === 'version' && !sawFirstRecord) {
        const version = valueText(value)
        if (version !== '1') fail(lineNumber, `only LDIF version 1 is supported (got 'version: ${excerpt(version)}')`)
        sawFirstRecord = true
        // The version line is its own record when followed by a blank line, or precedes the first dn directly.
        return
      }
      if (name !== 'dn') fail(lineNumber, `a record must start with 'dn:' (got '${excerpt(text)}')`)
      sawFirstRecord = true
      dn = valueText(value).trim()
      dnLine = lineNumber
      if (dn === '') fail(lineNumber, 'the dn is empty')
      return
    }

    if (name === 'changetype') {
      const changeType = valueText(value).trim().toLowerCase()
      if (attributeLines !== 0) fail(lineNumber, "'changetype' must come right after the dn")
      if (changeType !== 'add') {
        fail(lineNumber, `'changetype: ${excerpt(changeType)}' records are changes, not a directory export: only 'add' (or no changetype) is supported`)
      }
      attributeLines++
      return
    }
    if (name === 'control') fail(lineNumber, "'control' lines belong to change records, which are not supported")
    if (name === 'dn') fail(lineNumber, "a second 'dn:' in one record: separate records with a blank line")

    attributeLines++
    // Options are dropped (`member;binary` is `member`), except a range (`member;range=0-1499`):
    // the mapping needs to know which slice of a large attribute the values are.
    const key = name.length !== rawName.length && /;range=/i.test(rawName) ? rawName.toLowerCase() : name
    const values = attributes.get(key)
    if (values === undefined) attributes.set(key, [value])
    else values.push(value)
  }

  function flushPending(): void {
    if (pending !== null) processLine(pending, pendingLine)
    pending = null
  }

  return {
    pushLine(line, lineNumber, out) {
      if (line.length === 0) {
        flushPending()
        inComment = false
        finishRecord(out)
        return
      }
      const first = line.charCodeAt(0)
      if (first === 32 /* ' ' continuation */) {
        if (inComment) return
        if (pending === null) fail(lineNumber, `a continuation line (starting with a space) must follow a value line (got '${excerpt(line)}')`)
        pending += line.slice(1)
        return
      }
      flushPending()
      if (first === 35 /* '#' */) {
        inComment = true
        return
      }
      inComment = false
      pending = line
      pendingLine = lineNumber
    },
    end(out) {
      flushPending()
      finishRecord(out)
    },
  }
}

/** `attr: value` → value, skipping the spaces after the colon (RFC 2849 FILL). */
function trimFill(text: string, from: number): string {
  let start = from
  while (text.charCodeAt(start) === 32) start++
  return text.slice(start)
}

function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : new TextDecoder('utf-8').decode(value)
}

/**
 * An attribute type (name or OID) with optional `;options`: letters, digits, '-', '.', ';', and in
 * the options also '=' and '*' (AD's range option, `member;range=1500-*`, as ldapsearch writes it).
 */
function isAttributeDescription(name: string): boolean {
  const first = name.charCodeAt(0)
  const isAlnum = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
  if (!isAlnum(first)) return false
  let inOptions = false
  for (let index = 1; index < name.length; index++) {
    const code = name.charCodeAt(index)
    if (code === 59 /* ; */) inOptions = true
    else if (inOptions && (code === 61 /* = */ || code === 42) /* * */) continue
    else if (!isAlnum(code) && code !== 45 /* - */ && code !== 46 /* . */ && code !== 95 /* _ */) return false
  }
  return true
}
