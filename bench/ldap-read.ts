// Benchmark of the LDAP connector against a real slapd (issue 4): seeds a fresh instance offline
// (Default: 100,000 users + 10,000 groups, test/servers/seed-ldap.sh), then, in interleaved rounds,
// dumps users + groups with `ldapsearch -E pr=1000/noprompt > /dev/null` and reads the same entries
// with the connector (same page size; users on the main connection, groups on a second one in a
// worker thread), in a fresh Node process, so peak RSS is the read's alone; batches are counted
// and dropped, as the engine streams them to disk. Prints
// wall and CPU time of both, slapd's CPU time, the ratio, peak RSS, and a no-change incremental
// read ÷ full. Targets: ratio ≤ 1.3, RSS ≤ 400 MB, incremental ÷ full ≤ 0.05.
// The machine is shared and ldapsearch now and then stalls for seconds with its CPU idle, so the
// ratio is given for the medians (the target) and for the best round of each.
// With --sync it also times a whole `dirsync sync --all` into a fresh data directory.
// The instance is deleted afterwards.
//
//   node bench/ldap-read.ts [users] [groups] [rounds] [--sync] [--port P]
//   --port P: use an already seeded slapd on 127.0.0.1:P (cn=admin/secret) instead of a fresh one
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLdapConnector } from '../main/connectors/ldap/create-ldap-connector.ts'
import { LdapConfigSchema } from '../shared/domain/integration-config.ts'
import { freePortPair } from '../test/servers/ldap-test-servers.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SERVERS = path.resolve(HERE, '../test/servers')
const BASE = 'dc=example,dc=com'
const ADMIN = 'cn=admin,dc=example,dc=com'
const PASSWORD = 'secret'
/**
 * The connector pages as ldapsearch does here (pr=1000; also AD's MaxPageSize). Pages cost the
 * server: slapd re-positions its cursor for every page (~1.0 s CPU at 1,000, ~1.2 s at the
 * default 500, ~1.4 s at 250 for this directory), while larger pages cost the client memory
 * (peak RSS ~350 MB at 1,000, ~290 MB at 500).
 */
const PAGE_SIZE = 1000

interface ReadMeasurement {
  readonly users: number
  readonly groups: number
  readonly memberships: number
  readonly seconds: number
  /** Until the first group arrived: the users part of the read. */
  readonly usersSeconds: number
  /** User + system CPU seconds of the reading process. */
  readonly cpuSeconds: number
  readonly incrementalSeconds: number
  readonly incrementalObjects: number
  readonly peakRssMb: number
}

/** Child mode: one full read (batches counted, then dropped), then a no-change incremental read. */
async function child(port: number): Promise<void> {
  const settings = LdapConfigSchema.parse({ host: '127.0.0.1', port, encryption: 'none', bindDn: ADMIN, baseDn: BASE, pageSize: PAGE_SIZE, timeoutSeconds: 120 })
  const connector = createLdapConnector('ldap', settings, PASSWORD)
  let users = 0
  let groups = 0
  let memberships = 0
  let usersSeconds = 0
  let started = performance.now()
  const cpuStart = process.cpuUsage()
  const full = connector.read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal })
  let next = await full.next()
  while (!next.done) {
    if (next.value.kind === 'users') users += next.value.users.length
    else if (next.value.kind === 'groups') {
      if (groups === 0) usersSeconds = (performance.now() - started) / 1000
      groups += next.value.groups.length
      for (const g of next.value.groups) memberships += g.memberIds.length
    }
    next = await full.next()
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStart)
  const cursor = next.value.cursor
  started = performance.now()
  let incrementalObjects = 0
  for await (const batch of connector.read({ cursor, incrementalRunsSinceFull: 0, signal: new AbortController().signal })) {
    incrementalObjects += batch.kind === 'users' ? batch.users.length : batch.kind === 'groups' ? batch.groups.length : 0
  }
  const incrementalSeconds = (performance.now() - started) / 1000
  const result: ReadMeasurement = {
    users,
    groups,
    memberships,
    seconds,
    usersSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    incrementalSeconds,
    incrementalObjects,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }
  process.stdout.write(JSON.stringify(result))
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function processCpuSeconds(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in clock ticks of 1/100 s
}

/** Runs a command under /usr/bin/time; returns wall, CPU and peak RSS of it and its children. */
function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { wall: number; cpu: number; rssMb: number; stdout: string } {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIMED %e %U %S %M', command, ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 })
  const line = /TIMED ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr)
  if (run.status !== 0 || !line) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr.slice(-2000)}`)
  return { wall: Number(line[1]), cpu: Number(line[2]) + Number(line[3]), rssMb: Number(line[4]) / 1024, stdout: run.stdout }
}

function ldapsearch(port: number): { wall: number; cpu: number } {
  let wall = 0
  let cpu = 0
  for (const filter of ['(objectClass=inetOrgPerson)', '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))']) {
    const t = timed('sh', ['-c', `ldapsearch -x -LLL -H ldap://127.0.0.1:${port} -D '${ADMIN}' -w '${PASSWORD}' -b '${BASE}' -E pr=1000/noprompt '${filter}' > /dev/null`])
    wall += t.wall
    cpu += t.cpu
  }
  return { wall, cpu }
}

/** A whole `dirsync sync --all` of the directory into a fresh data directory (read → stage in SQLite → plan → apply). */
async function wholeSync(port: number): Promise<{ wall: number; cpu: number; rssMb: number; run: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dirsync-ldap-bench-data-'))
  try {
    const settingsFile = path.join(dataDir, 'settings.json')
    await writeFile(settingsFile, JSON.stringify({ host: '127.0.0.1', port, encryption: 'none', bindDn: ADMIN, baseDn: BASE, pageSize: PAGE_SIZE, timeoutSeconds: 120 }))
    const env = { ...process.env, DIRSYNC_SECRET_KEY: 'ldap-read-bench', DIRSYNC_BENCH_PW: PASSWORD }
    const cli = [path.resolve(HERE, '../bin/dirsync.js'), '--data-dir', dataDir]
    execFileSync(process.execPath, [...cli, 'integrations', 'add', '--type', 'ldap', '--name', 'bench', '--config', settingsFile, '--secret-env', 'DIRSYNC_BENCH_PW'], { env, stdio: 'ignore' })
    const t = timed(process.execPath, [...cli, 'sync', '--all'], env)
    const run = t.stdout.split('\n').find((l) => l.includes('read bench')) ?? ''
    return { wall: t.wall, cpu: t.cpu, rssMb: t.rssMb, run: run.trim() }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const flag = (name: string) => args.includes(name)
  const portArg = args.indexOf('--port')
  const existingPort = portArg >= 0 ? Number(args[portArg + 1]) : null
  const positional = args.filter((a, i) => !a.startsWith('--') && (portArg < 0 || i !== portArg + 1))
  const [users = '100000', groups = '10000', rounds = '3'] = positional
  const dir = await mkdtemp(path.join(tmpdir(), 'dirsync-ldap-bench-'))
  const port = existingPort ?? (await freePortPair())
  try {
    let pid: string
    if (existingPort === null) {
      execFileSync(path.join(SERVERS, 'start-slapd.sh'), [dir, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] })
      const t = performance.now()
      execFileSync(path.join(SERVERS, 'seed-ldap.sh'), [dir, users, groups], { stdio: ['ignore', 'ignore', 'inherit'] })
      console.log(`seeded ${users} users + ${groups} groups in ${((performance.now() - t) / 1000).toFixed(1)} s`)
      // Entries modified within the clock-skew allowance (5 s) of a read make the next incremental
      // read look back over the whole read (see nextCursor in read-mode.ts) — right after seeding
      // that is thousands of entries. A directory at rest is what is measured: wait that out.
      await new Promise((resolve) => setTimeout(resolve, 6_000))
      pid = (await readFile(path.join(dir, 'run/slapd.pid'), 'utf8')).trim()
    } else {
      pid = execFileSync('sh', ['-c', `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`], { encoding: 'utf8' }).trim()
    }
    const ours: ReadMeasurement[] = []
    const theirs: { wall: number; cpu: number }[] = []
    for (let round = 1; round <= Number(rounds); round++) {
      const before = processCpuSeconds(pid)
      theirs.push(ldapsearch(port))
      const slapdForLdapsearch = processCpuSeconds(pid) - before
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(port)], { encoding: 'utf8', maxBuffer: 1 << 20 })
      if (run.status !== 0) throw new Error(`connector read failed: ${run.stderr}`)
      const slapdForUs = processCpuSeconds(pid) - before - slapdForLdapsearch
      const m = JSON.parse(run.stdout) as ReadMeasurement
      ours.push(m)
      const ls = theirs.at(-1)!
      console.log(
        `round ${round}: ldapsearch ${ls.wall.toFixed(2)} s (CPU ${ls.cpu.toFixed(2)} s, slapd ${slapdForLdapsearch.toFixed(2)} s) | connector ${m.seconds.toFixed(2)} s (CPU ${m.cpuSeconds.toFixed(2)} s, slapd ${slapdForUs.toFixed(2)} s incl. the incremental read; ` +
          `${m.users} users, ${m.groups} groups, ${m.memberships} memberships), peak RSS ${m.peakRssMb.toFixed(0)} MB, no-change incremental ${m.incrementalSeconds.toFixed(3)} s (${m.incrementalObjects} objects)`,
      )
    }
    const ourMedian = median(ours.map((m) => m.seconds))
    const theirMedian = median(theirs.map((t) => t.wall))
    console.log(`median: ldapsearch ${theirMedian.toFixed(2)} s (CPU ${median(theirs.map((t) => t.cpu)).toFixed(2)} s), connector ${ourMedian.toFixed(2)} s (CPU ${median(ours.map((m) => m.cpuSeconds)).toFixed(2)} s), ratio ${(ourMedian / theirMedian).toFixed(2)} (target ≤ 1.3)`)
    const ourBest = Math.min(...ours.map((m) => m.seconds))
    const theirBest = Math.min(...theirs.map((t) => t.wall))
    console.log(`best: ldapsearch ${theirBest.toFixed(2)} s, connector ${ourBest.toFixed(2)} s, ratio ${(ourBest / theirBest).toFixed(2)}`)
    console.log(`peak RSS (max) ${Math.max(...ours.map((m) => m.peakRssMb)).toFixed(0)} MB (target ≤ 400); incremental ÷ full ${(median(ours.map((m) => m.incrementalSeconds)) / ourMedian).toFixed(3)} (target ≤ 0.05); slapd pid ${pid}`)
    if (flag('--sync')) {
      const s = await wholeSync(port)
      console.log(`whole sync (dirsync sync --all, fresh data dir): ${s.wall.toFixed(1)} s, CPU ${s.cpu.toFixed(1)} s, peak RSS ${s.rssMb.toFixed(0)} MB — ${s.run}`)
    }
  } finally {
    if (existingPort === null) execFileSync(path.join(SERVERS, 'stop-slapd.sh'), [dir], { stdio: ['ignore', 'ignore', 'inherit'] })
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') await child(Number(process.argv[3]))
else await main()
