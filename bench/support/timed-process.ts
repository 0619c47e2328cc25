import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseTimeReport, TIME_FORMAT, type TimeReport } from './measure.ts'

export interface TimedRun extends TimeReport {
  /** What the command printed on stdout, unless it went to a file. */
  readonly stdout: string
  /** Seconds from the start until each mark (`TimedOptions.marks`) first appeared on stderr. */
  readonly firstSeen: Readonly<Record<string, number>>
}

export interface TimedOptions {
  readonly env?: NodeJS.ProcessEnv
  /** Send stdout to this file instead of collecting it (dumps of hundreds of MB). */
  readonly stdoutFile?: string
  /** A pattern for stderr lines whose first group names a mark (a progress phase): when each first appeared is noted. */
  readonly marks?: RegExp
}

/**
 * Runs one command under GNU time (`/usr/bin/time`), which waits for it and reports the peak RSS
 * the kernel kept for it (ru_maxrss: the process's own high-water mark, worker threads included;
 * for a command that forks, its largest descendant's). The wall time is GNU time's own, the span
 * of the command alone. The report goes to a file of its own, so nothing the command prints can
 * be mistaken for it.
 */
export async function timed(command: string, args: readonly string[], options: TimedOptions = {}): Promise<TimedRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dirsync-bench-time-'))
  const reportFile = path.join(dir, 'time.txt')
  const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : null
  try {
    const child = spawn('/usr/bin/time', ['-o', reportFile, '-f', TIME_FORMAT, command, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    })
    const started = performance.now()
    const out: Buffer[] = []
    const firstSeen: Record<string, number> = {}
    let err = ''
    let partial = ''
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      // Progress lines can be many: keep the tail, which holds the reason of a failure.
      err = (err + text).slice(-4000)
      if (!options.marks) return
      const lines = (partial + text).split('\n')
      partial = lines.pop() ?? ''
      const at = (performance.now() - started) / 1000
      for (const line of lines) {
        const mark = options.marks.exec(line)?.[1]
        if (mark !== undefined && firstSeen[mark] === undefined) firstSeen[mark] = at
      }
    })
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', resolve)
    })
    if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}: ${err.trim().slice(-2000)}`)
    return { ...parseTimeReport(await readFile(reportFile, 'utf8')), stdout: Buffer.concat(out).toString('utf8'), firstSeen }
  } finally {
    if (stdoutFd !== null) closeSync(stdoutFd)
    await rm(dir, { recursive: true, force: true })
  }
}
