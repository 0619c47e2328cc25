import { runCli } from '../../main/cli/dirsync-main.ts'

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `dirsync --data-dir <data> …` in-process, its output captured: `const cli = cliOn(data); await cli('held', '--json')`. */
export function cliOn(data: string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    let stdout = ''
    let stderr = ''
    const code = await runCli(['--data-dir', data, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) })
    return { code, stdout, stderr }
  }
}
