/**
 * Fault injection for crash tests: `DIRSYNC_FAULT=kill-at:apply:N` SIGKILLs this process after
 * the Nth action of the apply transaction, as a crash or `kill -9` would. Read once at load; a
 * no-op unless the variable is set (it is only ever set by the test suite's child processes).
 */
const spec = /^kill-at:(\w+):(\d+)$/.exec(process.env['DIRSYNC_FAULT'] ?? '')
const killPhase = spec?.[1]
const killAt = Number(spec?.[2] ?? 0)

export function faultPoint(phase: string, count: number): void {
  if (killPhase === phase && count === killAt) process.kill(process.pid, 'SIGKILL')
}
