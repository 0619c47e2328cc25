// Benchmark of the LDIF connector: generates an ldifde-style export (Default: 100,000 users, 1,000
// groups) into a temporary folder, reads it in a fresh Node process (so peak RSS is the read's alone),
// and prints users/s and peak RSS. The generated file is deleted afterwards.
//
//   node bench/ldif-read.ts [users] [groups]
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLdifConnector } from '../main/connectors/ldif/create-ldif-connector.ts'
import { generateSampleOrgLdif } from '../main/demo/sample-org-generator.ts'

interface ReadMeasurement {
  readonly users: number
  readonly groups: number
  readonly memberships: number
  readonly seconds: number
  /** CPU time (user + system) of the read: steadier than wall time on a busy machine. */
  readonly cpuSeconds: number
  readonly peakRssMb: number
}

async function measureRead(path: string): Promise<ReadMeasurement> {
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  const reader = createLdifConnector({ path, format: 'auto' }).read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal })
  let users = 0
  let groups = 0
  let memberships = 0
  let next = await reader.next()
  while (next.done !== true) {
    if (next.value.kind === 'users') users += next.value.users.length
    if (next.value.kind === 'groups') {
      groups += next.value.groups.length
      for (const group of next.value.groups) memberships += group.memberIds.length
    }
    next = await reader.next()
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStarted)
  // maxRSS is in kilobytes (KiB) on Linux and macOS.
  return { users, groups, memberships, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 }
}

async function generate(path: string, users: number, groups: number): Promise<void> {
  const out = createWriteStream(path)
  for (const chunk of generateSampleOrgLdif({ users, groups, disabledUsers: Math.floor(users / 20) })) {
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

async function main(): Promise<void> {
  const [first, second, third] = process.argv.slice(2)
  if (first === '--read' && second !== undefined) {
    console.log(JSON.stringify(await measureRead(second)))
    return
  }
  const users = Number(first ?? 100_000)
  const groups = Number(second ?? third ?? 1_000)
  const folder = await mkdtemp(join(tmpdir(), 'ldif-bench-'))
  try {
    const path = join(folder, 'org.ldif')
    const generateStarted = performance.now()
    await generate(path, users, groups)
    const { size } = await stat(path)
    console.log(`generated ${users.toLocaleString('en-US')} users, ${groups.toLocaleString('en-US')} groups: ${(size / 1e6).toFixed(1)} MB in ${((performance.now() - generateStarted) / 1000).toFixed(1)} s`)

    const child = spawnSync(process.execPath, [import.meta.filename, '--read', path], { encoding: 'utf8' })
    if (child.status !== 0) throw new Error(`the read failed:\n${child.stderr}`)
    const result = JSON.parse(child.stdout) as ReadMeasurement
    console.log(
      `read ${result.users.toLocaleString('en-US')} users, ${result.groups.toLocaleString('en-US')} groups, ${result.memberships.toLocaleString('en-US')} memberships in ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s): ` +
        `${Math.round(result.users / result.seconds).toLocaleString('en-US')} users/s, ${(size / 1e6 / result.seconds).toFixed(1)} MB/s, peak RSS ${result.peakRssMb.toFixed(0)} MB`,
    )
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

await main()
