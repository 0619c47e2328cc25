import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { CoreError } from './core-errors.ts'

/** What the app writes in the data directory (the database and its journals, settings, secrets, the instance lock, temporary copies). */
const PRIVATE_FILE = /^(?:dirsync\.db(?:-wal|-shm|-journal)?|settings\.json|secrets\.[\w-]+\.json|instance\.lock(?:-journal)?|.+\.tmp)$/
/** Folders the app owns entirely: every file in them is ours. */
const PRIVATE_FOLDERS = ['backups', 'logs']

function makePrivate(path: string, mode: 0o700 | 0o600): void {
  const stat = lstatSync(path)
  // A symbolic link is not followed: its target is not ours to change.
  if (stat.isSymbolicLink() || (stat.mode & 0o077) === 0) return
  try {
    chmodSync(path, mode)
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error'
    throw new CoreError('forbidden', `The data directory is open to other users: ${path} has mode ${(stat.mode & 0o777).toString(8)} and cannot be made private (${code}). Run chmod ${mode.toString(8)} on it as its owner, or choose another --data-dir.`)
  }
}

/**
 * The account store, its backups, settings, logs and secrets are readable by their owner only:
 * the process creates files 0600 and folders 0700 (umask 077), and an existing data directory —
 * one the app made before this rule, or one given with --data-dir — is fixed on open: the folder
 * 0700 and the app's files 0600. Other files someone keeps there are left alone. Windows keeps the
 * profile folder per user through ACLs; modes mean nothing there.
 */
export function makeDataDirPrivate(dataDir: string): void {
  if (process.platform === 'win32') return
  process.umask(0o077)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  makePrivate(dataDir, 0o700)
  for (const name of readdirSync(dataDir)) if (PRIVATE_FILE.test(name)) makePrivate(join(dataDir, name), 0o600)
  for (const folder of PRIVATE_FOLDERS.map((name) => join(dataDir, name))) {
    if (!existsSync(folder) || !lstatSync(folder).isDirectory()) continue
    makePrivate(folder, 0o700)
    for (const name of readdirSync(folder)) if (lstatSync(join(folder, name)).isFile()) makePrivate(join(folder, name), 0o600)
  }
}
