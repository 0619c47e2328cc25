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
