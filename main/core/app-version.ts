import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The version in package.json (read once; the packaged app carries the same file). */
export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return '0.0.0'
  }
}
