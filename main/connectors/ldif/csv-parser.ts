import type { AttributeValue, DirectoryEntry, EntryParser } from './directory-entry.ts'
import { excerpt, malformedAt } from './malformed.ts'

/**
 * CSV as `csvde -f` writes it: a header row `DN,objectClass,…`, one row per entry, fields quoted
 * with `"` when they hold a comma, a quote (doubled) or a line break, multi-valued attributes
 * joined with `;`, binary values as `X'hex'`, and an empty field for an absent attribute.
 *
 * Hand-written rather than a CSV library: csvde's `;` multi-values and `X'…'` binaries need custom
 * handling anyway, and the parser must report the line a record starts on.
 */
/** `keep` (Default: every attribute) names the lower-cased attributes to store; other columns are dropped. */
export function createCsvParser(fileName: string, keep?: ReadonlySet<string>): EntryParser {
  /** Lower-cased attribute names from the header row; null until it is read. */
  let header: string[] | null = null
  let fields: string[] = []
  let field = ''
  /** True while inside a quoted field that continues on the next physical line. */
  let inQuotes = false
  let recordLine = 0

  function fail(lineNumber: number, problem: string): never {
    throw malformedAt(fileName, lineNumber, problem)
  }

  function finishRecord(out: DirectoryEntry[]): void {
    const record = fields
    fields = []
    if (header === null) {
      header = readHeader(record)
      return
    }
    if (record.length !== header.length) {
      fail(recordLine, `this row has ${record.length} fields but the header has ${header.length} (a value with a comma must be in double quotes)`)
    }
    const dn = (record[0] ?? '').trim()
    if (dn === '') fail(recordLine, 'the DN field is empty')
    const attributes = new Map<string, AttributeValue[]>()
    for (let index = 1; index < record.length; index++) {
      const raw = record[index] ?? ''
      if (raw === '') continue
      const name = header[index] ?? ''
      if (keep !== undefined && !keep.has(name)) continue
      const values: AttributeValue[] = []
      for (const part of raw.split(';')) {
        if (part === '') continue
        values.push(decodeValue(part, recordLine))
      }
      if (values.length === 0) continue
      const existing = attributes.get(name)
      if (existing === undefined) attributes.set(name, values)
      else existing.push(...values)
    }
    out.push({ dn, line: recordLine, attributes })
  }

  function readHeader(record: string[]): string[] {
    const names = record.map((name) => name.trim().toLowerCase())
    if (names[0] !== 'dn') fail(recordLine, `the first column must be DN, as csvde writes it (got '${excerpt(record[0] ?? '')}')`)
    if (!names.includes('objectclass')) fail(recordLine, 'the header has no objectClass column, so users and groups cannot be told apart')
    const seen = new Set<string>()
    for (const name of names) {
      if (name === '') fail(recordLine, 'the header has an empty column name')
      if (seen.has(name)) fail(recordLine, `the header names the column '${excerpt(name)}' twice`)
      seen.add(name)
    }
    return names.map((name) => name.split(';')[0] ?? name)
  }

  function decodeValue(part: string, lineNumber: number): AttributeValue {
    const hex = /^X'([0-9A-Fa-f]*)'$/.exec(part)
    if (hex === null) return part
    const digits = hex[1] ?? ''
    if (digits.length % 2 !== 0) fail(lineNumber, `the binary value ${excerpt(part)} has an odd number of hex digits`)
    return Buffer.from(digits, 'hex')
  }

  /** Splits one physical line into fields, continuing a quoted field from the previous line. */
  function scan(line: string, lineNumber: number, out: DirectoryEntry[]): void {
    let index = 0
    const length = line.length
    while (true) {
      if (inQuotes) {
        const quote = line.indexOf('"', index)
        if (quote === -1) {
          // The quoted field holds a line break: keep it and continue on the next line.
          field += line.slice(index) + '\n'
          return
        }
        if (line.charCodeAt(quote + 1) === 34 /* '"' escaped quote */) {
          field += line.slice(index, quote + 1)
          index = quote + 2
          continue
        }
        field += line.slice(index, quote)
        inQuotes = false
        index = quote + 1
        if (index < length && line.charCodeAt(index) !== 44 /* ',' */) {
          fail(lineNumber, `a closing quote must be followed by a comma or the end of the line (got '${excerpt(line.slice(index))}')`)
        }
      } else if (line.charCodeAt(index) === 34 /* '"' opening quote */ && field === '') {
        inQuotes = true
        index++
        continue
      } else {
        const comma = line.indexOf(',', index)
        const end = comma === -1 ? length : comma
        field += line.slice(index, end)
        index = end
      }
      // Here index is at a comma or at the end of the line.
      fields.push(field)
      field = ''
      if (index >= length) {
        finishRecord(out)
        return
      }
      index++ // past the comma
      if (index >= length) {
        // A trailing comma: one more, empty, field ends the record.
        fields.push('')
        finishRecord(out)
        return
      }
    }
  }

  return {
    pushLine(line, lineNumber, out) {
      if (!inQuotes) {
        // Blank lines between records carry nothing (csvde ends files with one).
        if (line.trim() === '') return
        recordLine = lineNumber
      }
      scan(line, lineNumber, out)
    },
    end() {
      if (inQuotes) fail(recordLine, 'a quoted field is never closed (a \'"\' is missing)')
      if (header === null) throw malformedAt(fileName, 1, 'the file is empty: expected a header row such as DN,objectClass,mail')
    },
  }
}
