import { CliError } from './cli-error.ts'

/**
 * Secrets come from stdin or from an environment variable named on the command line — never
 * from an argument, which every user of the machine can read in the process list.
 */
export async function readSecret(options: { secretStdin?: boolean | undefined; secretEnv?: string | undefined }, stdin: NodeJS.ReadableStream = process.stdin): Promise<string | undefined> {
  if (options.secretStdin && options.secretEnv) throw new CliError('Give the secret either on stdin (--secret-stdin) or in an environment variable (--secret-env NAME), not both.', 2)
  if (options.secretEnv) {
    const value = process.env[options.secretEnv]
    if (value === undefined || value === '') throw new CliError(`The environment variable ${options.secretEnv} (named by --secret-env) is not set or empty.`, 2)
    return value
  }
  if (options.secretStdin) {
    const chunks: Buffer[] = []
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
    const value = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
    if (value === '') throw new CliError('--secret-stdin was given but nothing came on standard input.', 2)
    return value
  }
  return undefined
}
