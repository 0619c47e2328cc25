import { execFile } from 'node:child_process'
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { RunSummarySchema, type RunSummary } from '../../shared/domain/run.ts'
import { BACKUP_FOLDER, DATABASE_FILE } from '../../main/store/backup.ts'
import { megabytes } from './measure.ts'
import { timed, type TimedRun } from './timed-process.ts'

const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../../bin/dirsync.js')
/** The variable the bind password reaches the CLI in (`--secret-env`), never an argument. */
export const SECRET_ENV = 'DIRSYNC_BENCH_BIND_PASSWORD'

/** A fresh data directory with one integration, added through the CLI as an admin would. */
export interface BenchDataDir {
  readonly dataDir: string
  readonly env: NodeJS.ProcessEnv
}

export async function createDataDir(type: string, settings: Record<string, unknown>, secret: string): Promise<BenchDataDir> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dirsync-bench-data-'))
  const settingsFile = path.join(dataDir, 'bench-settings.json')
  await writeFile(settingsFile, JSON.stringify(settings))
  // Headless, secrets are encrypted with a key derived from this passphrase (README: Configuration).
  const env = { ...process.env, DIRSYNC_SECRET_KEY: 'dirsync-bench', [SECRET_ENV]: secret }
  await run(process.execPath, [CLI, '--data-dir', dataDir, 'integrations', 'add', '--type', type, '--name', 'bench', '--config', settingsFile, '--secret-env', SECRET_ENV], { env })
  return { dataDir, env }
}

/** The phases a sync reports on stderr (`  reading: …`), in order. */
export const SYNC_PHASES = ['reading', 'validating', 'planning', 'applying', 'done'] as const

export interface TimedSync extends TimedRun {
  readonly summary: RunSummary
}

/**
 * The whole `dirsync sync --all` process, as a user starts it (progress on stderr, the run's
 * description on stdout), under GNU time; then, outside the timed region, the run's summary.
 */
export async function timedSync(data: BenchDataDir): Promise<TimedSync> {
  const t = await timed(process.execPath, [CLI, '--data-dir', data.dataDir, 'sync', '--all'], { env: data.env, marks: /^ {2}([a-z]+): / })
  const id = /^Run (\S+) /m.exec(t.stdout)?.[1]
  if (!id) throw new Error(`dirsync sync --all printed no run: ${t.stdout.slice(0, 500)}`)
  const { stdout } = await run(process.execPath, [CLI, '--data-dir', data.dataDir, 'run', id, '--json'], { env: data.env, maxBuffer: 16 << 20 })
  return { ...t, summary: RunSummarySchema.parse(JSON.parse(stdout)) }
}

/**
 * `dirsync index`: brings every user the runs queued into the directory's search index, as the
 * console's app or browser host does in the background (a CLI sync leaves it to them). Untimed by
 * the callers; returns how many users were queued and how long it took.
 */
export async function completeSearchIndex(data: BenchDataDir): Promise<{ indexed: number; seconds: number }> {
  const started = performance.now()
  const { stdout } = await run(process.execPath, [CLI, '--data-dir', data.dataDir, 'index', '--json'], { env: data.env })
  const { indexed } = JSON.parse(stdout) as { indexed: number }
  return { indexed, seconds: (performance.now() - started) / 1000 }
}

/** One line about what a run did: the read's mode and counts, what was applied and held. */
export function describeSummary(summary: RunSummary): string {
  const read = summary.reads[0]
  const counts = (record: Readonly<Record<string, number>>) =>
    Object.entries(record)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ') || 'nothing'
  // The mode comes with its reason ("incremental: changes since …"); the kind is enough here.
  const mode = read?.mode?.split(':')[0] ?? read?.outcome
  const readText = read ? `${mode} read, ${read.users} users / ${read.groups} groups / ${read.memberships} memberships` : 'no read'
  return `${summary.outcome ?? 'unfinished'}; ${readText}; applied ${counts(summary.applied)}; held ${counts(summary.held)}`
}

/** The store on disk: the database, its write-ahead log (and index), and the backups beside it. */
export interface StoreSize {
  readonly dbMb: number
  readonly walMb: number
  readonly backupsMb: number
  readonly backups: number
}

export async function storeSize(dataDir: string): Promise<StoreSize> {
  const size = async (file: string) => (await stat(path.join(dataDir, file)).catch(() => null))?.size ?? 0
  const backupDir = path.join(dataDir, BACKUP_FOLDER)
  const backupFiles = await readdir(backupDir).catch(() => [] as string[])
  let backupBytes = 0
  for (const file of backupFiles) backupBytes += (await stat(path.join(backupDir, file))).size
  return {
    dbMb: megabytes(await size(DATABASE_FILE)),
    walMb: megabytes((await size(`${DATABASE_FILE}-wal`)) + (await size(`${DATABASE_FILE}-shm`))),
    backupsMb: megabytes(backupBytes),
    backups: backupFiles.length,
  }
}
