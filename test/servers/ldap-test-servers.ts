import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'

/**
 * Real slapd and a real Samba AD DC for the integration suite: started once per suite from the
 * shell scripts beside this file (offline seeding, loopback only), stopped by PID.
 * Tests read the details with `inject('slapd')` / `inject('sambaAd')`.
 */

const run = promisify(execFile)
const HERE = path.dirname(fileURLToPath(import.meta.url))
const FIXTURES = path.resolve(HERE, '../fixtures/ldap')

export interface SlapdDetails {
  readonly dir: string
  readonly pid: number
  readonly host: string
  /** Plain LDAP (StartTLS available). */
  readonly port: number
  /** LDAPS, always port + 1. */
  readonly ldapsPort: number
  readonly baseDn: string
  readonly adminDn: string
  readonly adminPassword: string
  /** A non-root account: server size limit 1000 applies, so only paged reads see everything. */
  readonly readerDn: string
  readonly readerPassword: string
  readonly caPem: string
  /** What the seed holds under ou=people / ou=groups (generated + test/fixtures/ldap/slapd-extra.ldif). */
  readonly seededUsers: number
  readonly seededGroups: number
}

export interface SambaAdDetails {
  readonly dir: string
  readonly pid: number
  /** Its own loopback address: Samba's LDAP ports are fixed (389/636). */
  readonly host: string
  readonly domainDn: string
  /** The seeded subtree (OU=Corp): reading from here gives exact counts. */
  readonly corpDn: string
  readonly adminUpn: string
  readonly adminDn: string
  readonly adminPassword: string
  /** An ordinary domain user (outside OU=Corp, no address): the least-privilege bind account. */
  readonly readerUpn: string
  readonly readerPassword: string
  readonly caPem: string
  readonly seededUsers: number
  readonly seededGroups: number
}

declare module 'vitest' {
  export interface ProvidedContext {
    slapd: SlapdDetails
    sambaAd: SambaAdDetails
  }
}

/** Seed sizes: ≥ 10k users to page through, all-staff = every user, support = 5,000 (issue 4). */
export const SLAPD_SEED = { users: 10_000, groups: 60 } as const
/** Samba loads ~3 ms per password-less user: 1,600 users keeps vpn-users at 1,501 members (> 1,500 range limit). */
export const SAMBA_SEED = { users: 1_600, groups: 40, usersWithPassword: 3 } as const
/** Entries added by the fixture LDIFs (users with an address; groups), counted from the suffix: ou=domino holds 3 people and 2 groups. */
const SLAPD_EXTRA = { users: 4, groups: 7 } as const
const SAMBA_EXTRA = { users: 7, groups: 4 } as const

async function script(name: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run(path.join(HERE, name), [...args], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 })
    return stdout.trim()
  } catch (error) {
    const e = error as { stderr?: string; message: string }
    throw new Error(`${name} ${args.join(' ')} failed: ${e.stderr?.slice(-2000) ?? e.message}`, { cause: error })
  }
}

/** A free loopback port whose successor is free too (slapd puts LDAPS on port + 1). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer()
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const address = server.address() as net.AddressInfo
        server.close(() => resolve(address.port))
      })
    })
    if (port < 65535 && (await isFree(port + 1))) return port
  }
  throw new Error('no free pair of loopback ports found')
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export async function startSlapd(dir: string, seed: { users: number; groups: number } = SLAPD_SEED): Promise<SlapdDetails> {
  const port = await freePortPair()
  await script('start-slapd.sh', [dir, String(port)])
  // seed-ldap.sh stops slapd, bulk-loads offline (slapadd -q) and starts it again; it prints the new PID.
  const out = await script('seed-ldap.sh', [dir, String(seed.users), String(seed.groups)], { EXTRA_LDIF: path.join(FIXTURES, 'slapd-extra.ldif') })
  const pid = Number(out.split('\n').pop())
  return {
    dir,
    pid,
    host: '127.0.0.1',
    port,
    ldapsPort: port + 1,
    baseDn: 'dc=example,dc=com',
    adminDn: 'cn=admin,dc=example,dc=com',
    adminPassword: 'secret',
    readerDn: 'cn=reader,dc=example,dc=com',
    readerPassword: 'reader-secret',
    caPem: await readFile(path.join(dir, 'tls/ca.crt'), 'utf8'),
    seededUsers: seed.users + SLAPD_EXTRA.users,
    seededGroups: seed.groups + SLAPD_EXTRA.groups,
  }
}

export async function stopSlapd(dir: string): Promise<void> {
  await script('stop-slapd.sh', [dir])
}

export async function startSambaAd(dir: string, ip: string, seed: typeof SAMBA_SEED = SAMBA_SEED): Promise<SambaAdDetails> {
  await script('start-samba-ad.sh', [dir, ip])
  // COMPACT=0: compaction needs a stop/start (≈ 3 s) and buys nothing at this size.
  await script('seed-samba-ad.sh', [dir, String(seed.users), String(seed.groups)], {
    EXTRA_LDIF: path.join(FIXTURES, 'samba-extra.ldif'),
    PASSWORDS: String(seed.usersWithPassword),
    COMPACT: '0',
  })
  const pid = Number((await readFile(path.join(dir, 'run/samba.pid'), 'utf8')).trim())
  return {
    dir,
    pid,
    host: ip,
    domainDn: 'DC=example,DC=test',
    corpDn: 'OU=Corp,DC=example,DC=test',
    adminUpn: 'Administrator@example.test',
    adminDn: 'CN=Administrator,CN=Users,DC=example,DC=test',
    adminPassword: 'Adm1n!Passw0rd',
    readerUpn: 'svc-dirsync@example.test',
    readerPassword: 'Svc-Passw0rd!',
    caPem: await readFile(path.join(dir, 'tls/ca.crt'), 'utf8'),
    seededUsers: seed.users + SAMBA_EXTRA.users,
    seededGroups: seed.groups + SAMBA_EXTRA.groups,
  }
}

export async function stopSambaAd(dir: string): Promise<void> {
  await script('stop-samba-ad.sh', [dir])
}

/** Loopback addresses already configured (Samba needs one of its own: its ports are fixed). */
async function loopbackAddresses(): Promise<Set<string>> {
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo'])
  return new Set([...stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!))
}

/**
 * Starts Samba on a 127.0.0.x of its own. Another suite may run at the same time (other
 * engineers, CI jobs on one host), so the address is picked among the free ones and a lost race
 * ("Address already assigned", port taken) retries with another.
 */
async function startSambaAnywhere(root: string, preferred: string | undefined): Promise<SambaAdDetails> {
  let lastError: unknown
  for (let attempt = 0; attempt < 6; attempt++) {
    const taken = await loopbackAddresses()
    let ip = preferred && attempt === 0 ? preferred : ''
    while (!ip || taken.has(ip)) ip = `127.0.0.${40 + Math.floor(Math.random() * 200)}`
    const dir = path.join(root, `samba-ad-${attempt}`)
    try {
      return await startSambaAd(dir, ip)
    } catch (error) {
      lastError = error
      await stopSambaAd(dir).catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
      if (!/Address already assigned|already taken|did not come up/.test(String(error))) throw error
    }
  }
  throw lastError
}

/**
 * Global-setup entry: both servers start in parallel (slapd ≈ 5 s, Samba ≈ 20 s), once per suite.
 * LDAP_TEST_SAMBA_IP prefers a loopback address for Samba (Default: a free 127.0.0.40–239; added to
 * `lo` and removed on stop).
 */
export async function setupLdapServers(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'dirsync-ldap-'))
  const slapdDir = path.join(root, 'slapd')
  const results = await Promise.allSettled([startSlapd(slapdDir), startSambaAnywhere(root, process.env['LDAP_TEST_SAMBA_IP'])])
  const [slapd, samba] = results
  const teardown = async (): Promise<void> => {
    await Promise.allSettled([stopSlapd(slapdDir), samba.status === 'fulfilled' ? stopSambaAd(samba.value.dir) : Promise.resolve()])
    await rm(root, { recursive: true, force: true })
  }
  if (slapd.status === 'rejected' || samba.status === 'rejected') {
    await teardown()
    throw slapd.status === 'rejected' ? slapd.reason : (samba as PromiseRejectedResult).reason
  }
  project.provide('slapd', slapd.value)
  project.provide('sambaAd', samba.value)
  return teardown
}
