import { stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { LdifFileConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { ReadBatch } from '../directory-connector.ts'
import { createCsvParser } from './csv-parser.ts'
import type { DirectoryEntry, EntryParser } from './directory-entry.ts'
import { createEntryMapper, MAPPED_ATTRIBUTES } from './entry-mapper.ts'
import { createLdifParser } from './ldif-parser.ts'
import { notAnExport, startsLikeExport } from './malformed.ts'
import { readLineChunks } from './line-source.ts'
import { createWarningTally } from './warning-tally.ts'

/** Users or groups per streamed batch (Default: 1000). */
export const DEFAULT_BATCH_SIZE = 1000

export interface ExportReadOptions {
  readonly signal?: AbortSignal
  readonly batchSize?: number
  readonly onProgress?: (objectsRead: number, phase: string) => void
}

export interface ExportSummary {
  readonly users: number
  readonly groups: number
  readonly warnings: readonly string[]
}

type ExportFormat = 'ldif' | 'csv'

/**
 * Reads an LDIF or csvde export: users stream out in batches while the file is read, groups
 * follow once the whole file is known (their members may be defined anywhere in it). Throws
 * ConnectorError with the file name (and line number for bad content), never a raw fs error.
 */
export async function* readExport(settings: LdifFileConfig, options: ExportReadOptions = {}): AsyncGenerator<ReadBatch, ExportSummary, void> {
  const fileName = basename(settings.path)
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  await checkFile(settings.path)

  const warnings = createWarningTally()
  const mapper = createEntryMapper(fileName, warnings)
  const format: ExportFormat | null = settings.format === 'auto' ? formatFromExtension(settings.path) : settings.format
  let parser: EntryParser | null = format === null ? null : createParser(format, fileName)
  const entries: DirectoryEntry[] = []
  let users: DirectoryUser[] = []
  let userCount = 0
  let lineNumber = 0
  let firstLine: string | null = null

  try {
    for await (const lines of readLineChunks(settings.path)) {
      if (options.signal?.aborted === true) throw new ConnectorError('cancelled', `Reading ${fileName} was cancelled.`)
      for (const line of lines) {
        lineNumber++
        if (firstLine === null && line.trim() !== '' && !line.startsWith('#')) firstLine = line
        if (parser === null) {
          // Unknown extension: the first line that says something tells LDIF from CSV.
          if (line.trim() === '' || line.startsWith('#')) continue
          parser = createParser(/^"?dn"?\s*,/i.test(line) ? 'csv' : 'ldif', fileName)
        }
        parser.pushLine(line, lineNumber, entries)
      }
      for (const entry of entries) {
        const user = mapper.add(entry)
        if (user !== null) users.push(user)
      }
      entries.length = 0
      while (users.length >= batchSize) {
        const batch = users.slice(0, batchSize)
        users = users.slice(batchSize)
        userCount += batch.length
        yield { kind: 'users', users: batch }
        options.onProgress?.(userCount, 'users')
      }
    }
    parser?.end(entries)
  } catch (error) {
    // A parse error quotes the offending line, unless the file is not an export at all.
    if (error instanceof ConnectorError && error.code === 'malformed-data' && firstLine !== null && !startsLikeExport(firstLine)) throw notAnExport(fileName, lineNumber)
    throw asConnectorError(error, fileName)
  }
  for (const entry of entries) {
    const user = mapper.add(entry)
    if (user !== null) users.push(user)
  }
  if (users.length > 0) {
    userCount += users.length
    yield { kind: 'users', users }
    options.onProgress?.(userCount, 'users')
  }

  const groups = mapper.finishGroups()
  for (let start = 0; start < groups.length; start += batchSize) {
    yield { kind: 'groups', groups: groups.slice(start, start + batchSize) }
    options.onProgress?.(userCount + Math.min(start + batchSize, groups.length), 'groups')
  }
  if (userCount === 0 && groups.length === 0) warnings.note('no-entries', '')
  return { users: userCount, groups: groups.length, warnings: warnings.render() }
}

function createParser(format: ExportFormat, fileName: string): EntryParser {
  return format === 'csv' ? createCsvParser(fileName, MAPPED_ATTRIBUTES) : createLdifParser(fileName, MAPPED_ATTRIBUTES)
}

function formatFromExtension(path: string): ExportFormat | null {
  const extension = extname(path).toLowerCase()
  if (extension === '.csv') return 'csv'
  if (extension === '.ldif' || extension === '.ldf') return 'ldif'
  return null
}

/** Fails early, in plain words, when the path is not a readable file. */
export async function checkFile(path: string): Promise<{ readonly size: number }> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new ConnectorError('not-found', `${path} is a folder, not an export file. Choose the .ldif or .csv file itself.`)
    return { size: info.size }
  } catch (error) {
    throw asConnectorError(error, path)
  }
}

/** fs errors → ConnectorError; anything else (a bug) keeps its message but loses its stack for the UI. */
function asConnectorError(error: unknown, what: string): ConnectorError {
  if (error instanceof ConnectorError) return error
  const code = (error as NodeJS.ErrnoException | null)?.code ?? ''
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ConnectorError('not-found', `${what} was not found. Check the path, or export the directory again.`, { cause: error })
    case 'EACCES':
    case 'EPERM':
      return new ConnectorError('permission', `${what} cannot be read: this account has no permission to open it.`, { cause: error })
    case 'EISDIR':
      return new ConnectorError('not-found', `${what} is a folder, not an export file.`, { cause: error })
    default:
      return new ConnectorError('malformed-data', `${what} could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}
