import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export interface Logger {
  info(message: string): void
  error(message: string, error?: unknown): void
}

/**
 * A line-per-event log in <data dir>/logs. It records events and error messages, never request
 * payloads or configuration values, so a secret has no way in.
 */
export function createFileLogger(dataDir: string, echo: boolean): Logger {
  const dir = join(dataDir, 'logs')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = join(dir, 'dirsync.log')
  const write = (level: string, message: string): void => {
    const line = `${new Date().toISOString()} ${level} ${message.replace(/\s+/g, ' ')}\n`
    appendFileSync(file, line, { mode: 0o600 })
    if (echo) process.stderr.write(line)
  }
  return {
    info: (message) => write('info', message),
    error: (message, error) => write('error', `${message}${error instanceof Error ? `: ${error.name}: ${error.message}` : ''}`),
  }
}
