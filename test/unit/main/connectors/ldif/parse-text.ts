import type { DirectoryGroup, DirectoryUser } from '../../../../../shared/domain/directory-snapshot.ts'
import { createCsvParser } from '../../../../../main/connectors/ldif/csv-parser.ts'
import type { DirectoryEntry } from '../../../../../main/connectors/ldif/directory-entry.ts'
import { createEntryMapper } from '../../../../../main/connectors/ldif/entry-mapper.ts'
import { createLdifParser } from '../../../../../main/connectors/ldif/ldif-parser.ts'
import { splitLines } from '../../../../../main/connectors/ldif/line-source.ts'
import { createWarningTally } from '../../../../../main/connectors/ldif/warning-tally.ts'

/** Parses text held in memory exactly as the connector parses a file, line by line. */
export function parseText(text: string, format: 'ldif' | 'csv' = 'ldif', fileName = format === 'csv' ? 'org.csv' : 'org.ldif'): DirectoryEntry[] {
  const parser = format === 'csv' ? createCsvParser(fileName) : createLdifParser(fileName)
  const entries: DirectoryEntry[] = []
  splitLines(text).forEach((line, index) => parser.pushLine(line, index + 1, entries))
  parser.end(entries)
  return entries
}

/** Parses and maps LDIF text: the users, groups and warnings a read of it would give. */
export function mapText(text: string, format: 'ldif' | 'csv' = 'ldif'): { users: DirectoryUser[]; groups: DirectoryGroup[]; warnings: string[] } {
  const warnings = createWarningTally()
  const mapper = createEntryMapper(format === 'csv' ? 'org.csv' : 'org.ldif', warnings)
  const users: DirectoryUser[] = []
  for (const entry of parseText(text, format)) {
    const user = mapper.add(entry)
    if (user !== null) users.push(user)
  }
  const groups = mapper.finishGroups()
  return { users, groups, warnings: warnings.render() }
}

/** Joins lines with LF and ends with one (template literals would drag in indentation). */
export function ldif(...lines: string[]): string {
  return `${lines.join('\n')}\n`
}

/** The text of a value that must be a string (attribute values may be bytes). */
export function textOf(entry: DirectoryEntry | undefined, name: string): string[] {
  return (entry?.attributes.get(name) ?? []).map((value) => (typeof value === 'string' ? value : new TextDecoder().decode(value)))
}
