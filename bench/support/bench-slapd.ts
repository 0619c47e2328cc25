import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePortPair } from '../../test/servers/ldap-test-servers.ts'

const run = promisify(execFile)
const SERVERS = path.resolve(import.meta.dirname, '../../test/servers')

/** A throwaway slapd on loopback holding only what the project's generator (gen-ldif.sh) made. */
export interface BenchSlapd {
  readonly dir: string
  readonly port: number
  readonly pid: number
  readonly url: string
  readonly baseDn: string
  readonly adminDn: string
  readonly adminPassword: string
}

/**
 * Entries modified within the connector's clock-skew allowance (5 s, read-mode.ts) of a read make
 * the next incremental read look back over them again. The benches wait this long after seeding
 * or modifying, outside the timed region, so each run meets a directory at rest.
 */
export const SETTLE_MS = 6_000

/** Starts a fresh instance and seeds it offline (`slapadd -q`) with `users` users and `groups` groups. */
export async function startBenchSlapd(users: number, groups: number): Promise<BenchSlapd & { seedSeconds: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dirsync-bench-slapd-'))
  const port = await freePortPair()
  try {
    await run(path.join(SERVERS, 'start-slapd.sh'), [dir, String(port)])
    const started = performance.now()
    // seed-ldap.sh stops slapd, loads, and starts it again on the same ports.
    await run(path.join(SERVERS, 'seed-ldap.sh'), [dir, String(users), String(groups)], { maxBuffer: 16 << 20 })
    const seedSeconds = (performance.now() - started) / 1000
    const pid = Number((await readFile(path.join(dir, 'run/slapd.pid'), 'utf8')).trim())
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    return { dir, port, pid, url: `ldap://127.0.0.1:${port}`, baseDn: 'dc=example,dc=com', adminDn: 'cn=admin,dc=example,dc=com', adminPassword: 'secret', seedSeconds }
  } catch (error) {
    await stopBenchSlapd(dir)
    throw error
  }
}

/** Stops the instance by its PID file and deletes it. */
export async function stopBenchSlapd(dir: string): Promise<void> {
  await run(path.join(SERVERS, 'stop-slapd.sh'), [dir]).catch(() => undefined)
  await rm(dir, { recursive: true, force: true })
}

/** The generator's user id for user number `n` (1-based): user000001. */
export function generatedUid(n: number): string {
  return `user${String(n).padStart(6, '0')}`
}

/**
 * Gives `count` users, spread evenly over the directory and shifted by `round`, a new display name
 * with one `ldapmodify` (one connection, one modify per entry).
 */
export async function changeDisplayNames(slapd: BenchSlapd, totalUsers: number, count: number, round: number): Promise<void> {
  const step = Math.max(1, Math.floor(totalUsers / count))
  const ldif: string[] = []
  for (let i = 0; i < count; i++) {
    const n = ((i * step + round) % totalUsers) + 1
    ldif.push(`dn: uid=${generatedUid(n)},ou=people,${slapd.baseDn}\nchangetype: modify\nreplace: displayName\ndisplayName: Changed in round ${round} ${generatedUid(n)}\n`)
  }
  const child = spawn('ldapmodify', ['-x', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword], { stdio: ['pipe', 'ignore', 'pipe'] })
  let err = ''
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
  child.stdin.end(ldif.join('\n'))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  })
  if (code !== 0) throw new Error(`ldapmodify of ${count} users failed (${code}): ${err.slice(-1000)}`)
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export async function processCpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in clock ticks of 1/100 s
}
