import { access, constants } from 'node:fs/promises'
import { basename } from 'node:path'
import type { ConnectionStep } from '../../../shared/domain/connection-test.ts'
import type { LdifFileConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector, ReadBatch, ReadSummary } from '../directory-connector.ts'
import { checkFile, readExport } from './read-export.ts'

/**
 * An LDIF (ldifde, slapcat) or CSV (csvde) export used as a directory: for air-gapped review,
 * the demo organisation, and directories we cannot reach. Files have no change feed, so every
 * read is a full read and there is no cursor.
 */
export function createLdifConnector(settings: LdifFileConfig): DirectoryConnector {
  const fileName = basename(settings.path)

  return {
    async testConnection(signal, onStep) {
      const steps: ConnectionStep[] = []
      const report = (step: ConnectionStep) => {
        steps.push(step)
        onStep(step)
      }

      let started = performance.now()
      let fileOk = false
      try {
        const { size } = await checkFile(settings.path)
        await access(settings.path, constants.R_OK).catch((error: unknown) => {
          throw new ConnectorError('permission', `${fileName} exists but this account has no permission to read it.`, { cause: error })
        })
        fileOk = true
        report({
          step: 'file',
          label: `Open ${fileName}`,
          verdict: size === 0 ? 'warn' : 'pass',
          message: size === 0 ? `${fileName} exists but is empty.` : `${fileName} exists and is readable (${formatSize(size)}).`,
          durationMs: performance.now() - started,
        })
      } catch (error) {
        report({ step: 'file', label: `Open ${fileName}`, verdict: 'fail', message: messageOf(error), durationMs: performance.now() - started })
      }

      started = performance.now()
      const sampleLabel = `Read users and groups from ${fileName}`
      if (!fileOk) {
        report({ step: 'sample-query', label: sampleLabel, verdict: 'skipped', message: 'Skipped: the file could not be opened.', durationMs: 0 })
        return steps
      }
      try {
        const reader = readExport(settings, { signal })
        let next = await reader.next()
        while (next.done !== true) next = await reader.next()
        const { users, groups, warnings } = next.value
        const counted = `Found ${plural(users, 'user')} and ${plural(groups, 'group')}`
        report({
          step: 'sample-query',
          label: sampleLabel,
          verdict: users === 0 || warnings.length > 0 ? 'warn' : 'pass',
          message: users === 0 ? `${counted}: the file holds no user with an email address.` : warnings.length > 0 ? `${counted}. ${warnings.join(' ')}` : `${counted}.`,
          durationMs: performance.now() - started,
        })
      } catch (error) {
        report({ step: 'sample-query', label: sampleLabel, verdict: 'fail', message: messageOf(error), durationMs: performance.now() - started })
      }
      return steps
    },

    async *read(options): AsyncGenerator<ReadBatch, ReadSummary, void> {
      const reader = readExport(settings, { signal: options.signal, onProgress: options.onProgress })
      let next = await reader.next()
      while (next.done !== true) {
        yield next.value
        next = await reader.next()
      }
      return { mode: 'full', modeReason: 'files are always read in full', cursor: null, warnings: next.value.warnings }
    },
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ConnectorError) return error.message
  return `Unexpected problem: ${error instanceof Error ? error.message : String(error)}`
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}

/** Bytes → "812 bytes", "1.4 MB" (decimal units, as file managers show them). */
function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}
