// Benchmark of the LDAP connector against a real slapd (issue 4): seeds a fresh instance offline
// (Default: 100,000 users + 10,000 groups, test/servers/seed-ldap.sh), then, in interleaved rounds,
// dumps users + groups with `ldapsearch -E pr=1000/noprompt > /dev/null` and reads the same entries
// with the connector into an in-memory snapshot (in a fresh Node process, so peak RSS is the
// read's alone). Prints both times, the ratio, peak RSS, and a no-change incremental read ÷ full.
// Targets: ratio ≤ 1.3, RSS ≤ 400 MB, incremental ÷ full ≤ 0.05. The instance is deleted afterwards.
//
//   node bench/ldap-read.ts [users] [groups] [rounds]
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLdapConnector } from '../main/connectors/ldap/create-ldap-connector.ts'
import type { DirectoryGroup, DirectoryUser } from '../shared/domain/directory-snapshot.ts'
import { LdapConfigSchema } from '../shared/domain/integration-config.ts'
import { freePortPair } from '../test/servers/ldap-test-servers.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SERVERS = path.resolve(HERE, '../test/servers')
const BASE = 'dc=example,dc=com'
const ADMIN = 'cn=admin,dc=example,dc=com'
const PASSWORD = 'secret'

interface ReadMeasurement {
  readonly users: number
  readonly groups: number
  readonly memberships: number
  readonly seconds: number
  readonly incrementalSeconds: number
  readonly incrementalObjects: number
  readonly peakRssMb: number
}

/** Child mode: one full read into a snapshot, then a no-change incremental read. */
async function child(port: number): Promise<void> {
  const settings = LdapConfigSchema.parse({ host: '127.0.0.1', port, encryption: 'none', bindDn: ADMIN, baseDn: BASE, pageSize: 1000, timeoutSeconds: 120 })
  const connector = createLdapConnector('ldap', settings, PASSWORD)
  const users: DirectoryUser[] = []
  const groups: DirectoryGroup[] = []
  let started = performance.now()
  const full = connector.read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal })
  let next = await full.next()
  while (!next.done) {
    if (next.value.kind === 'users') users.push(...next.value.users)
    else if (next.value.kind === 'groups') groups.push(...next.value.groups)
    next = await full.next()
  }
  const seconds = (performance.now() - started) / 1000
  const cursor = next.value.cursor
  started = performance.now()
  let incrementalObjects = 0
  for await (const batch of connector.read({ cursor, incrementalRunsSinceFull: 0, signal: new AbortController().signal })) {
    incrementalObjects += batch.kind === 'users' ? batch.users.length : batch.kind === 'groups' ? batch.groups.length : 0
  }
  const incrementalSeconds = (performance.now() - started) / 1000
  const result: ReadMeasurement = {
    users: users.length,
    groups: groups.length,
    memberships: groups.reduce((n, g) => n + g.memberIds.length, 0),
    seconds,
    incrementalSeconds,
    incrementalObjects,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }
  process.stdout.write(JSON.stringify(result))
}

function ldapsearchSeconds(port: number): number {
  const started = performance.now()
  for (const filter of ['(objectClass=inetOrgPerson)', '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))']) {
    execFileSync('sh', ['-c', `ldapsearch -x -LLL -H ldap://127.0.0.1:${port} -D '${ADMIN}' -w '${PASSWORD}' -b '${BASE}' -E pr=1000/noprompt '${filter}' > /dev/null`])
  }
  return (performance.now() - started) / 1000
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main(): Promise<void> {
  const [users = '100000', groups = '10000', rounds = '3'] = process.argv.slice(2)
  const dir = await mkdtemp(path.join(tmpdir(), 'dirsync-ldap-bench-'))
  const port = await freePortPair()
  try {
    execFileSync(path.join(SERVERS, 'start-slapd.sh'), [dir, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] })
    let t = performance.now()
    execFileSync(path.join(SERVERS, 'seed-ldap.sh'), [dir, users, groups], { stdio: ['ignore', 'ignore', 'inherit'] })
    console.log(`seeded ${users} users + ${groups} groups in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    const pid = (await readFile(path.join(dir, 'run/slapd.pid'), 'utf8')).trim()
    const ours: ReadMeasurement[] = []
    const theirs: number[] = []
    for (let round = 1; round <= Number(rounds); round++) {
      theirs.push(ldapsearchSeconds(port))
      t = performance.now()
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(port)], { encoding: 'utf8', maxBuffer: 1 << 20 })
      if (run.status !== 0) throw new Error(`connector read failed: ${run.stderr}`)
      const m = JSON.parse(run.stdout) as ReadMeasurement
      ours.push(m)
      console.log(
        `round ${round}: ldapsearch ${theirs.at(-1)!.toFixed(2)} s | connector ${m.seconds.toFixed(2)} s (${m.users} users, ${m.groups} groups, ${m.memberships} memberships), ` +
          `peak RSS ${m.peakRssMb.toFixed(0)} MB, no-change incremental ${m.incrementalSeconds.toFixed(3)} s (${m.incrementalObjects} objects)`,
      )
    }
    const ourMedian = median(ours.map((m) => m.seconds))
    const theirMedian = median(theirs)
    console.log(`median: ldapsearch ${theirMedian.toFixed(2)} s, connector ${ourMedian.toFixed(2)} s, ratio ${(ourMedian / theirMedian).toFixed(2)} (target ≤ 1.3)`)
    console.log(`peak RSS (max) ${Math.max(...ours.map((m) => m.peakRssMb)).toFixed(0)} MB (target ≤ 400); incremental ÷ full ${(median(ours.map((m) => m.incrementalSeconds)) / ourMedian).toFixed(3)} (target ≤ 0.05); slapd pid ${pid}`)
  } finally {
    execFileSync(path.join(SERVERS, 'stop-slapd.sh'), [dir], { stdio: ['ignore', 'ignore', 'inherit'] })
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') await child(Number(process.argv[3]))
else await main()
