import type { ApplyPoint, ApplyProbe } from '../../main/sync/apply-probe.ts'

/**
 * The crash tests' fault: `kill-at:<point>:<n>` (e.g. `kill-at:apply:120`, `kill-at:commit:0`)
 * SIGKILLs this process when the apply transaction reaches that point, as a crash or `kill -9`
 * would. Test children read it from DIRSYNC_FAULT and hand it to the core; the app never does.
 */
export function killAtFault(spec: string | undefined): ApplyProbe | undefined {
  const match = /^kill-at:(apply|link|held|commit):(\d+)$/.exec(spec ?? '')
  if (!match) return undefined
  const point = match[1] as ApplyPoint
  const at = Number(match[2])
  return (reached, count) => {
    if (reached === point && count === at) process.kill(process.pid, 'SIGKILL')
  }
}
