import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvCell, csvRows } from '../../shared/export/csv.ts'

/** A strict RFC 4180 reader (either line ending): what a spreadsheet sees. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"' && cell === '') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

/** What a spreadsheet would evaluate: a cell whose text starts, after blanks and control characters, with a formula sign, or with a tab or CR. */
const RUNS_AS_FORMULA = /^(?:[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/u

// Strings biased towards the dangerous characters, as well as anything at all.
const nasty = fc.oneof(
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', ' ', '\t', '\r', '\n', '"', ',', ';', '\u0000', '\u00a0', '\u200b', '\uff1d', 'a', '1') }),
  fc.string({ unit: 'binary' }),
  fc.string(),
)

describe('the CSV cell writer', () => {
  it('round-trips every text (the apostrophe aside) and never lets a cell start a row or run as a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(nasty, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const parsed = parseCsv(csvRows(rows))
        expect(parsed).toHaveLength(rows.length)
        parsed.forEach((row, r) => {
          expect(row).toHaveLength(rows[r]?.length ?? -1)
          row.forEach((cell, c) => {
            const original = rows[r]?.[c] ?? ''
            expect(RUNS_AS_FORMULA.test(cell)).toBe(false)
            expect(cell === original || cell === `'${original}`).toBe(true)
            if (cell !== original) expect(RUNS_AS_FORMULA.test(original)).toBe(true)
          })
        })
      }),
      { numRuns: 2000 },
    )
  })

  it('neutralises the reproduction: a display name with a bare CR then a formula', () => {
    const cell = csvCell('Ann\r=HYPERLINK("http://evil.example","x")')
    expect(cell.startsWith('"')).toBe(true)
    expect(parseCsv(`${cell}\r\n`)).toHaveLength(1)
    expect(csvCell(' \u0000=1+1')).toBe("' \u0000=1+1")
    expect(csvCell('\tcmd')).toBe(`"'\tcmd"`)
    expect(csvCell(-3)).toBe('-3')
  })
})
