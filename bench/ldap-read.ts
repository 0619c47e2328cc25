// The LDAP connector's read against a real slapd (issues 4 and 13), next to the physical limit.
//
// Seeds a fresh slapd offline with the project's generator (Default: 100,000 users + 10,000 groups),
// then in interleaved rounds (odd rounds dump first) measures:
//   - the dump: two `ldapsearch` paged dumps, users and groups at the same time, asking for exactly
//     the connector's attributes at its default page size, written to files (support/ldap-dump.ts);
//   - the connector's full read alone (users on the main connection, groups on a second one in a
//     worker thread; batches counted and dropped), then a no-change incremental read;
//   - the same read staged into a fresh store (`readOnly`: read → stage → validate → promote the
//     snapshot, without planning or applying), then a no-change incremental read staged.
// Each reader runs in a fresh Node process under GNU time, so its peak RSS is its own. Prints wall
// and CPU time, slapd's CPU time, the ratios to the dump, and peak RSS.
// Targets: connector read ÷ dump ≤ 1.3, RSS ≤ 400 MB, incremental ÷ full ≤ 0.05.
//
//   npm run bench -- ldap [--users 100000] [--groups users/10] [--rounds 3]
//
// The machine is shared: run it under `flock /tmp/dirsync-heavy.lock`, and read the load averages.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLdapConnector } from '../main/connectors/ldap/create-ldap-connector.ts'
import { openCore } from '../main/core/open-core.ts'
import { LdapConfigSchema } from '../shared/domain/integration-config.ts'
import { benchOptions } from './support/bench-options.ts'
import { processCpuSeconds, startBenchSlapd, stopBenchSlapd, type BenchSlapd } from './support/bench-slapd.ts'
import { createDataDir, SECRET_ENV } from './support/dirsync-cli.ts'
import { benchLdapSettings, connectorSearches, dumpDirectory, type DumpMeasurement } from './support/ldap-dump.ts'
import { describeLoad, describeMachine } from './support/machine.ts'
import { median, ratio, verdict } from './support/measure.ts'
import { timed } from './support/timed-process.ts'

const TARGETS = { readRatio: 1.3, peakRssMb: 400, incrementalShare: 0.05 } as const

/** What a child process reports of its two reads. */
interface ChildReport {
  readonly users: number
  readonly groups: number
  readonly memberships: number
  readonly seconds: number
  readonly incrementalSeconds: number
  /** Objects the incremental read fetched; null where only the promoted totals are known (staged). */
  readonly incrementalObjects: number | null
}

interface ReaderMeasurement extends ChildReport {
  /** User + system CPU of the whole child process (start-up included). */
  readonly cpuSeconds: number
  readonly peakRssMb: number
  readonly slapdCpuSeconds: number
}

type Reader = 'connector' | 'staged'
const READER_LABELS: Readonly<Record<Reader, string>> = { connector: 'connector read', staged: 'read + staged' }

/** Child: the connector's full read (batches counted, then dropped, as the engine streams them to disk), then a no-change incremental read. */
async function connectorChild(settingsJson: string, password: string): Promise<ChildReport> {
  const connector = createLdapConnector('ldap', LdapConfigSchema.parse(JSON.parse(settingsJson)), password)
  let users = 0
  let groups = 0
  let memberships = 0
  let started = performance.now()
  const full = connector.read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal })
  let next = await full.next()
  while (!next.done) {
    if (next.value.kind === 'users') users += next.value.users.length
    else if (next.value.kind === 'groups') {
      groups += next.value.groups.length
      for (const g of next.value.groups) memberships += g.memberIds.length
    }
    next = await full.next()
  }
  const seconds = (performance.now() - started) / 1000
  started = performance.now()
  let incrementalObjects = 0
  for await (const batch of connector.read({ cursor: next.value.cursor, incrementalRunsSinceFull: 0, signal: new AbortController().signal })) {
    incrementalObjects += batch.kind === 'users' ? batch.users.length : batch.kind === 'groups' ? batch.groups.length : 0
  }
  return { users, groups, memberships, seconds, incrementalSeconds: (performance.now() - started) / 1000, incrementalObjects }
}

/** Child: the read staged into the store of `dataDir` (a full read), then again (a no-change incremental read). */
async function stagedChild(dataDir: string): Promise<ChildReport> {
  const core = await openCore({ dataDir, instanceLock: false })
  let started = performance.now()
  const full = await core.readOnly('bench', 'cli')
  const seconds = (performance.now() - started) / 1000
  started = performance.now()
  const incremental = await core.readOnly('bench', 'cli')
  const incrementalSeconds = (performance.now() - started) / 1000
  const read = full.reads[0]
  const again = incremental.reads[0]
  if (read?.outcome !== 'read' || again?.outcome !== 'read') throw new Error(`the staged read failed: ${read?.message ?? again?.message ?? 'no read'}`)
  // An incremental read reports the promoted snapshot's totals; what it fetched is not counted apart.
  return { users: read.users, groups: read.groups, memberships: read.memberships, seconds, incrementalSeconds, incrementalObjects: null }
}

async function measureReader(slapd: BenchSlapd, reader: Reader): Promise<ReaderMeasurement> {
  const settings = benchLdapSettings(slapd)
  const self = fileURLToPath(import.meta.url)
  const data = reader === 'staged' ? await createDataDir('ldap', settings, slapd.adminPassword) : null
  try {
    const args = data ? [self, '--child-staged', data.dataDir] : [self, '--child-connector', JSON.stringify(settings)]
    const before = await processCpuSeconds(slapd.pid)
    const run = await timed(process.execPath, args, { env: { ...(data?.env ?? process.env), [SECRET_ENV]: slapd.adminPassword } })
    const slapdCpuSeconds = (await processCpuSeconds(slapd.pid)) - before
    return { ...(JSON.parse(run.stdout) as ChildReport), cpuSeconds: run.cpuSeconds, peakRssMb: run.peakRssMb, slapdCpuSeconds }
  } finally {
    if (data) await rm(data.dataDir, { recursive: true, force: true })
  }
}

async function dump(slapd: BenchSlapd): Promise<DumpMeasurement & { slapdCpuSeconds: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dirsync-bench-dump-'))
  try {
    const before = await processCpuSeconds(slapd.pid)
    const measured = await dumpDirectory(slapd, dir)
    return { ...measured, slapdCpuSeconds: (await processCpuSeconds(slapd.pid)) - before }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const s = (n: number) => `${n.toFixed(2)} s`
const mb = (n: number) => `${n.toFixed(0)} MB`
const x = (n: number) => `${n.toFixed(2)}×`

async function main(): Promise<void> {
  const { users, groups, rounds } = benchOptions(10, { rounds: 3 })
  console.log(`${describeMachine()}; load averages at start ${describeLoad()}`)
  const slapd = await startBenchSlapd(users, groups)
  try {
    const searches = connectorSearches(benchLdapSettings(slapd))
    console.log(`slapd on ${slapd.url}: seeded ${users} users + ${groups} groups (gen-ldif.sh) in ${s(slapd.seedSeconds)}`)
    console.log(`dump: ldapsearch -E pr=${searches.users.pageSize}/noprompt, users [${searches.users.attributes.join(' ')}] and groups [${searches.groups.attributes.join(' ')}] at the same time, to files`)
    const dumps: DumpMeasurement[] = []
    const reads: Record<Reader, ReaderMeasurement[]> = { connector: [], staged: [] }
    for (let round = 1; round <= rounds; round++) {
      const dumpFirst = round % 2 === 1
      const d = dumpFirst ? await dump(slapd) : null
      const connector = await measureReader(slapd, 'connector')
      const staged = await measureReader(slapd, 'staged')
      const measuredDump = d ?? (await dump(slapd))
      dumps.push(measuredDump)
      reads.connector.push(connector)
      reads.staged.push(staged)
      console.log(`round ${round} (${dumpFirst ? 'dump first' : 'readers first'}):`)
      console.log(`  dump            ${s(measuredDump.seconds)} (users ${s(measuredDump.usersSeconds)}, groups ${s(measuredDump.groupsSeconds)}; CPU ${s(measuredDump.cpuSeconds)}, slapd ${s(measuredDump.slapdCpuSeconds)}; peak RSS ${mb(measuredDump.peakRssMb)})`)
      for (const reader of ['connector', 'staged'] as const) {
        const m = reader === 'connector' ? connector : staged
        const incremental = m.incrementalObjects === null ? '' : `, ${m.incrementalObjects} objects`
        console.log(
          `  ${READER_LABELS[reader].padEnd(16)}${s(m.seconds)} = ${x(ratio(m.seconds, measuredDump.seconds))} dump (process CPU ${s(m.cpuSeconds)}, slapd ${s(m.slapdCpuSeconds)} incl. the incremental read; peak RSS ${mb(m.peakRssMb)}); ` +
            `${m.users} users, ${m.groups} groups, ${m.memberships} memberships; no-change incremental ${s(m.incrementalSeconds)}${incremental}`,
        )
      }
    }
    const dumpMedian = median(dumps.map((d) => d.seconds))
    console.log(`\nmedians of ${rounds} rounds: dump ${s(dumpMedian)} (CPU ${s(median(dumps.map((d) => d.cpuSeconds)))})`)
    const lines: string[] = []
    for (const reader of ['connector', 'staged'] as const) {
      const m = reads[reader]
      const wall = median(m.map((r) => r.seconds))
      const peak = Math.max(...m.map((r) => r.peakRssMb))
      console.log(`  ${READER_LABELS[reader].padEnd(16)}${s(wall)} = ${x(ratio(wall, dumpMedian))} dump; peak RSS (max) ${mb(peak)}; no-change incremental ${s(median(m.map((r) => r.incrementalSeconds)))}`)
      if (reader === 'connector') lines.push(verdict({ what: 'connector read ÷ dump', measured: ratio(wall, dumpMedian), limit: TARGETS.readRatio, unit: '×' }))
      lines.push(verdict({ what: `peak RSS, ${READER_LABELS[reader]}`, measured: peak, limit: TARGETS.peakRssMb, unit: ' MB' }, 0))
      lines.push(verdict({ what: `no-change incremental ÷ full, ${READER_LABELS[reader]}`, measured: ratio(median(m.map((r) => r.incrementalSeconds)), wall), limit: TARGETS.incrementalShare, unit: '' }, 3))
    }
    console.log('targets:')
    for (const line of lines) console.log(`  ${line}`)
  } finally {
    await stopBenchSlapd(slapd.dir)
  }
  console.log(`load averages at the end ${describeLoad()}`)
}

const [mode, argument] = process.argv.slice(2)
if (mode === '--child-connector') process.stdout.write(JSON.stringify(await connectorChild(argument ?? '{}', process.env[SECRET_ENV] ?? '')))
else if (mode === '--child-staged') process.stdout.write(JSON.stringify(await stagedChild(argument ?? '')))
else await main()
