import { resolveDataDir } from '../core/data-dir.ts'
import { deriveKeyAhead, SECRET_KEY_ENV } from '../secrets/encrypted-file-secret-store.ts'
import { splitGlobals } from './global-options.ts'

/** Whether the command reads a directory, and so needs the stored secrets (bind passwords, client secrets) soon. */
function readsDirectories(command: string | undefined, subcommand: string | undefined): boolean {
  if (command === 'sync' || command === 'preview') return true
  return (command === 'integrations' || command === 'integration') && subcommand === 'test'
}

/**
 * What a command can start before the CLI's modules have loaded: bin/dirsync.js calls this first
 * (a handful of small modules), then loads the rest. A command that reads a directory will unlock
 * the secret store, and deriving its key (scrypt, ~0.35 s on purpose) then runs on the thread pool
 * while the main thread loads ~300 modules and opens the store — before, a sync waited for it
 * after both. Never throws: a bad command line is reported by the command itself.
 */
export function startCommandEarly(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  try {
    const globals = splitGlobals(argv)
    const [command, subcommand] = globals.rest
    if (globals.help || !readsDirectories(command, subcommand)) return
    deriveKeyAhead(resolveDataDir(globals.dataDir, env), env[SECRET_KEY_ENV])
  } catch {
    // Reported by the command.
  }
}
