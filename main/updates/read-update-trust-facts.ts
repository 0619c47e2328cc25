import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InstallKind, UpdateTrustFacts } from './update-trust.ts'

export const LINUX_UPDATES_VERIFIED_ENV = 'DIRSYNC_LINUX_UPDATES_VERIFIED'

/** `publisherName` from electron-builder's app-update.yml (a YAML list or a single value). */
export function publisherNamesIn(appUpdateYml: string): string[] {
  const lines = appUpdateYml.split(/\r?\n/)
  const at = lines.findIndex((line) => /^publisherName\s*:/.test(line))
  if (at < 0) return []
  const inline = lines[at]?.replace(/^publisherName\s*:\s*/, '').trim() ?? ''
  const unquote = (value: string): string => value.trim().replace(/^(['"])(.*)\1$/, '$2')
  if (inline !== '') return inline.startsWith('[') ? inline.slice(1, -1).split(',').map(unquote).filter(Boolean) : [unquote(inline)]
  const names: string[] = []
  for (const line of lines.slice(at + 1)) {
    const item = /^\s+-\s+(.+)$/.exec(line)
    if (!item?.[1]) break
    names.push(unquote(item[1]))
  }
  return names
}

function installKind(env: NodeJS.ProcessEnv): InstallKind {
  if (process.platform === 'win32') return env['PORTABLE_EXECUTABLE_DIR'] ? 'portable' : 'nsis'
  if (process.platform === 'darwin') return 'dmg'
  if (process.platform === 'linux') return env['APPIMAGE'] ? 'appimage' : 'deb'
  return 'unknown'
}

function macCodeSigned(executable: string): boolean {
  const bundle = executable.replace(/\/Contents\/MacOS\/[^/]+$/, '')
  try {
    execFileSync('codesign', ['--verify', '--deep', '--strict', bundle], { stdio: 'ignore', timeout: 30_000 })
    return true
  } catch {
    return false
  }
}

/** What the packaged app knows about its own signing (called only when updates are switched on). */
export function readUpdateTrustFacts(resourcesPath: string, executable: string, env: NodeJS.ProcessEnv = process.env): UpdateTrustFacts {
  const yml = join(resourcesPath, 'app-update.yml')
  const install = installKind(env)
  return {
    platform: process.platform,
    install,
    publisherNames: existsSync(yml) ? publisherNamesIn(readFileSync(yml, 'utf8')) : [],
    codeSigned: install === 'dmg' && macCodeSigned(executable),
    linuxUpdatesVerified: env[LINUX_UPDATES_VERIFIED_ENV] === '1',
  }
}
