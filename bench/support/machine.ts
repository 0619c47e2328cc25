import { spawnSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'

/** When and where the figures were taken: the date (UTC), CPU, cores, memory, Node and slapd versions. */
export function describeMachine(): string {
  const cpu = cpus()
  // slapd -VVV prints its version on stderr.
  const version = spawnSync('/usr/sbin/slapd', ['-VVV'], { encoding: 'utf8' })
  const slapd = /slapd ([\d.+~a-z-]+)/.exec(`${version.stdout ?? ''}${version.stderr ?? ''}`)?.[1] ?? 'not installed'
  return `run at ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, slapd ${slapd}`
}

/**
 * The 1/5/15-minute load averages. On a shared machine other work competes for the cores; a load
 * well above the bench's own share says the figures are noisy.
 */
export function describeLoad(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ')
}
