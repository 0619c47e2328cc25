/**
 * The one CSV cell writer every export uses (run export, migration coverage, anything added later).
 *
 * - Quoted (RFC 4180) when the text holds a quote, a separator (`,`, or `;` and tab for locales
 *   whose spreadsheets split on those) or a line break — a bare CR too, which some readers take as
 *   a row end.
 * - A text a spreadsheet would run as a formula is neutralised with a leading apostrophe: one
 *   that starts with = + - @ (or their full-width forms) after any whitespace or control
 *   characters, and one that starts with a tab or CR (OWASP "CSV injection"). Numbers are written
 *   as they are.
 */
const FORMULA_START = /^[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u
const NEEDS_QUOTES = /[",;\t\r\n]/

export function csvCell(value: string | number | null | undefined): string {
  if (typeof value === 'number') return String(value)
  const text = value ?? ''
  const safe = FORMULA_START.test(text) || /^[\t\r]/.test(text) ? `'${text}` : text
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Rows of cells as CSV text; CRLF between rows (RFC 4180), one after the last. */
export function csvRows(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>, newline: '\r\n' | '\n' = '\r\n'): string {
  return rows.map((row) => row.map(csvCell).join(',')).join(newline) + newline
}
