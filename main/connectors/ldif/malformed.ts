import { ConnectorError } from '../connector-error.ts'

/** Longest excerpt of an offending line quoted in a message (characters), so a message stays readable. */
const EXCERPT_LENGTH = 60

/** Quotes a piece of the offending line, shortened, for "(got '…')". */
export function excerpt(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text
}

/** "org.ldif line 42: <problem>" as a ConnectorError the console can show as is. */
export function malformedAt(fileName: string, lineNumber: number, problem: string): ConnectorError {
  return new ConnectorError('malformed-data', `${fileName} line ${lineNumber}: ${problem}`)
}

/**
 * Whether the first line that says something (not blank, not a comment) starts like an LDIF
 * record or version line, or like a csvde header. A file that does not (a password file, a
 * key, a binary) is not an export: its parse errors must quote nothing of it.
 */
export function startsLikeExport(firstLine: string): boolean {
  const line = firstLine.replace(/^\uFEFF/, '')
  return /^(?:version|dn)\s*::?/i.test(line) || /^"?dn"?\s*,/i.test(line)
}

/** The parse error for a file that does not start like an export: names the file and line, quotes nothing. */
export function notAnExport(fileName: string, lineNumber: number): ConnectorError {
  return new ConnectorError('malformed-data', `${fileName} line ${lineNumber}: this file does not start like an LDIF export ("version: 1" or "dn: …") or a csvde export (a header row starting with DN), so it is not read and nothing of it is shown. Choose the .ldif or .csv file exported from the directory.`)
}
