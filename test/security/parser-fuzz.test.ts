import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ConnectorError } from '../../main/connectors/connector-error.ts'
import { createCsvParser } from '../../main/connectors/ldif/csv-parser.ts'
import type { DirectoryEntry, EntryParser } from '../../main/connectors/ldif/directory-entry.ts'
import { createEntryMapper } from '../../main/connectors/ldif/entry-mapper.ts'
import { createLdifParser } from '../../main/connectors/ldif/ldif-parser.ts'
import { splitLines } from '../../main/connectors/ldif/line-source.ts'
import { createWarningTally } from '../../main/connectors/ldif/warning-tally.ts'
import { recordFigures } from '../reliability/figures.ts'

/**
 * Property-based fuzzing of the LDIF and CSV parsers (and the entry mapper behind them) with
 * fast-check: grammar-shaped files, mutated real exports and raw noise. Every case must end —
 * within 250 ms — either with entries or with ConnectorError('malformed-data') whose message
 * names the file and a line that exists. Anything else (a TypeError, a RangeError, a hang) fails.
 */
const FILE = 'fuzz.ldif'
const CASES_PER_PROPERTY = { ldif: 3500, csv: 3500, mutatedLdif: 2000, mutatedCsv: 1000, noise: 1000 }
/** A case slower than this counts as a hang (typical cases take well under a millisecond). */
const MAX_CASE_MS = 250

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ldif', name), 'utf8')
const LDIF_FIXTURES = [fixture('ldifde-export.ldif'), fixture('slapcat-export.ldif')]
const CSV_FIXTURE = fixture('csvde-export.csv')

const outcomes = { entries: 0, malformed: 0, cases: 0 }

function parseAll(text: string, parser: EntryParser): { entries: DirectoryEntry[]; lines: number } {
  const lines = splitLines(text)
  const out: DirectoryEntry[] = []
  lines.forEach((line, index) => parser.pushLine(line, index + 1, out))
  parser.end(out)
  // The mapper consumes what the parser produced: it must not crash on odd entries either.
  const mapper = createEntryMapper(FILE, createWarningTally())
  for (const entry of out) mapper.add(entry)
  mapper.finishGroups()
  return { entries: out, lines: lines.length }
}

/** The property: ends quickly, and either parses or reports a malformed line that exists. */
function checkCase(text: string, makeParser: () => EntryParser): void {
  outcomes.cases++
  const started = performance.now()
  try {
    parseAll(text, makeParser())
    outcomes.entries++
  } catch (error) {
    if (!(error instanceof ConnectorError) || error.code !== 'malformed-data') throw error
    const line = Number(/^fuzz\.ldif line (\d+): \S/.exec(error.message)?.[1])
    const lineCount = splitLines(text).length
    if (!(line >= 1 && line <= lineCount + 1)) throw new Error(`the error names line ${line} of a ${lineCount}-line file: ${error.message}`)
    outcomes.malformed++
  }
  const elapsed = performance.now() - started
  if (elapsed > MAX_CASE_MS) throw new Error(`a ${text.length}-character case took ${elapsed.toFixed(0)} ms`)
}

const attrName = fc.oneof(
  fc.constantFrom('dn', 'cn', 'mail', 'objectClass', 'member', 'proxyAddresses', 'objectGUID', 'userAccountControl', 'changetype', 'version', 'control', 'displayName', 'uid', 'memberUid', 'entryUUID', 'sAMAccountName', 'member;range=0-1499', 'objectGUID;binary'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9;=-]{0,12}$/),
  fc.string({ maxLength: 8 }),
)
const value = fc.oneof(
  fc.constantFrom('CN=Alice,DC=example,DC=com', 'alice@example.com', 'SMTP:a@example.com', 'smtp:b@example.com', 'top', 'person', 'user', 'group', 'groupOfNames', 'inetOrgPerson', '512', '514', 'add', 'modify', 'delete', '1', 'file:///etc/passwd', '4AQlP4lP0xGaDAMF6CwzAQ==', ''),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.base64String({ maxLength: 40 }),
)
const ldifLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(attrName, fc.constantFrom(': ', ':: ', ':< ', ':', '::', ': :'), value).map(([a, sep, v]) => `${a}${sep}${v}`) },
  { weight: 2, arbitrary: value.map((v) => ` ${v}`) },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: value.map((v) => `# ${v}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
)
const ldifFile = fc.array(ldifLine, { maxLength: 60 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)))

const csvField = fc.oneof(
  value,
  value.map((v) => `"${v.replace(/"/g, '""')}"`),
  fc.constantFrom('"', '""', '"a""b', "X'00ff'", "X'zz'", "X'0'", 'a;b;c', '"line\nbreak"', '"unterminated'),
)
const csvHeader = fc.array(attrName, { minLength: 1, maxLength: 8 }).map((names) => ['DN', ...names].join(','))
const csvFile = fc.tuple(fc.oneof(csvHeader, fc.string({ maxLength: 40 })), fc.array(fc.array(csvField, { maxLength: 9 }).map((f) => f.join(',')), { maxLength: 30 })).map(([header, rows]) => [header, ...rows].join('\n'))

/** A real export with random characters inserted, deleted or replaced, and lines cut short. */
function mutated(sources: readonly string[]) {
  return fc.tuple(fc.constantFrom(...sources), fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace', 'truncate'), fc.string({ unit: 'grapheme', maxLength: 4 })), { minLength: 1, maxLength: 8 })).map(([text, edits]) => {
    let out = text
    for (const [at, kind, chars] of edits) {
      const i = out.length === 0 ? 0 : at % out.length
      if (kind === 'insert') out = out.slice(0, i) + chars + out.slice(i)
      else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + chars.length + 1)
      else if (kind === 'replace') out = out.slice(0, i) + chars + out.slice(i + chars.length)
      else out = out.slice(0, i)
    }
    return out
  })
}

describe('LDIF/CSV parser fuzzing (fast-check)', () => {
  it(`LDIF-shaped files: ${CASES_PER_PROPERTY.ldif} cases end with entries or a line-numbered error`, () => {
    fc.assert(fc.property(ldifFile, (text) => checkCase(text, () => createLdifParser(FILE))), { numRuns: CASES_PER_PROPERTY.ldif })
  })

  it(`CSV-shaped files: ${CASES_PER_PROPERTY.csv} cases end with entries or a line-numbered error`, () => {
    fc.assert(fc.property(csvFile, (text) => checkCase(text, () => createCsvParser(FILE))), { numRuns: CASES_PER_PROPERTY.csv })
  })

  it(`mutated real ldifde/slapcat exports: ${CASES_PER_PROPERTY.mutatedLdif} cases`, () => {
    fc.assert(fc.property(mutated(LDIF_FIXTURES), (text) => checkCase(text, () => createLdifParser(FILE))), { numRuns: CASES_PER_PROPERTY.mutatedLdif })
  })

  it(`mutated real csvde export: ${CASES_PER_PROPERTY.mutatedCsv} cases`, () => {
    fc.assert(fc.property(mutated([CSV_FIXTURE]), (text) => checkCase(text, () => createCsvParser(FILE))), { numRuns: CASES_PER_PROPERTY.mutatedCsv })
  })

  it(`raw noise (any Unicode, control characters, lone surrogates) into both parsers: ${CASES_PER_PROPERTY.noise} cases each`, () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constant('\n'), fc.constant(':'), fc.constant(' '), fc.constant('"'), fc.constant(','), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 400 }), (text) => {
        checkCase(text, () => createLdifParser(FILE))
        checkCase(text, () => createCsvParser(FILE))
      }),
      { numRuns: CASES_PER_PROPERTY.noise },
    )
  })

  it('the fuzzers reached both outcomes, over at least 10,000 cases in all', () => {
    expect(outcomes.cases).toBeGreaterThanOrEqual(10_000)
    expect(outcomes.entries).toBeGreaterThan(500)
    expect(outcomes.malformed).toBeGreaterThan(500)
    recordFigures('LDIF/CSV files', { invalidInputsTried: outcomes.malformed, validInputsAccepted: outcomes.entries })
    console.info(`parser fuzz: ${outcomes.cases} cases, ${outcomes.entries} parsed, ${outcomes.malformed} rejected with a line-numbered error, 0 crashes, 0 hangs`)
  })
})
