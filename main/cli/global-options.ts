import { CliError } from './cli-error.ts'

/** Splits global options from the command; global options may come before or after the command. */
export function splitGlobals(argv: readonly string[]): { dataDir?: string; demo: boolean; json: boolean; help: boolean; rest: string[] } {
  const rest: string[] = []
  let dataDir: string | undefined
  let demo = false
  let json = false
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--data-dir') {
      dataDir = argv[++i]
      if (!dataDir) throw new CliError('--data-dir needs a folder.', 2)
    } else if (arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length)
    else if (arg === '--demo') demo = true
    else if (arg === '--help' || arg === '-h') help = true
    else {
      if (arg === '--json') json = true
      rest.push(arg)
    }
  }
  return { ...(dataDir ? { dataDir } : {}), demo, json, help, rest }
}
