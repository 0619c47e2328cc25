import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { createCore } from '../../main/core/dirsync-core.ts'
import { openCore } from '../../main/core/open-core.ts'
import { createEncryptedFileSecretStore } from '../../main/secrets/encrypted-file-secret-store.ts'
import { createSettingsStore } from '../../main/settings/settings-store.ts'
import { InstanceLockedError } from '../../main/core/instance-lock.ts'
import { AFTER_RUN_BACKUP_SPACING_HOURS, BACKUPS_KEPT, listBackups, restoreLatestBackup } from '../../main/store/backup.ts'
import { DatabaseCorruptError, openDatabase } from '../../main/store/open-database.ts'
import { syntheticOrg, writeLdifSync } from '../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir, memoryBackend, openRaw, openTestCore } from '../helpers/test-core.ts'
import { countFaultsSurvived } from './count-faults.ts'

/**
 * Faults of the store itself: a full disk during apply, a damaged or truncated database at start
 * (refused with a message that names the newest automatic backup; the documented recovery works),
 * and two long-running instances on one data directory (the second refuses, naming the first).
 */
const tmp = makeTempDir('dirsync-store-faults')
afterAll(() => tmp.remove())

async function syncedDir(name: string, users = 200): Promise<{ dir: string; ldif: string }> {
  const dir = join(tmp.path, name)
  const ldif = join(tmp.path, `${name}.ldif`)
  writeLdifSync(ldif, syntheticOrg(users, 10))
  const t = openTestCore(dir)
  await t.addLdif('Directory', ldif, { maxUnlinks: 'unlimited' })
  expect((await t.core.runSync('all', 'manual')).outcome).toBe('success')
  t.close()
  return { dir, ldif }
}

describe('disk full', () => {
  countFaultsSurvived('disk full (apply, read)')
  /** The real core on `dir` whose database may grow by only `pages` more pages once `phase` starts (a disk with a few KiB left). */
  function coreFillingUpAt(dir: string, phase: 'reading' | 'applying', pages = 2) {
    const db = openDatabase(dir)
    const core = createCore({
      db,
      dataDir: dir,
      secrets: createEncryptedFileSecretStore(dir, 'test-passphrase'),
      settings: createSettingsStore(memoryBackend()),
      actor: 'test-admin',
      emit: (event, payload) => {
        if (event === 'sync:progress' && (payload as { phase: string }).phase === phase) db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + pages}`)
      },
    })
    return { db, core }
  }

  it('during apply: the run fails with a plain "disk is full" message, applies nothing, loses nothing; with space again the next run succeeds', async () => {
    const { dir, ldif } = await syncedDir('disk-full-apply')
    writeLdifSync(ldif, syntheticOrg(2200, 10))
    const { db, core } = coreFillingUpAt(dir, 'applying')
    const before = dumpAccount(db)
    const error = await core.runSync('all', 'manual').then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'internal', message: expect.stringMatching(/disk .* is full .* Nothing of this run was applied and nothing already stored was lost; free some space and sync again/) as string })
    expect(dumpAccount(db)).toEqual(before)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    // Space again (a new connection has no page limit): the next start closes the interrupted run, the next sync applies.
    const again = openTestCore(dir)
    expect(again.core.runs(0, 1)[0]).toMatchObject({ outcome: 'failed' })
    expect((await again.core.runSync('all', 'manual')).outcome).toBe('success')
    expect(dumpAccount(again.db).users).toHaveLength(2200)
    again.close()
  })

  it('while staging the read snapshot: the read fails with the reason, the integration goes to error, the old snapshot and the account stay', async () => {
    const { dir, ldif } = await syncedDir('disk-full-read')
    writeLdifSync(ldif, syntheticOrg(2200, 10))
    const { db, core } = coreFillingUpAt(dir, 'reading')
    const before = dumpAccount(db)
    const snapshotBefore = core.listIntegrations()[0]?.snapshot
    const run = await core.runSync('all', 'manual')
    expect(run.outcome).toBe('failed')
    expect(run.errors.join(' ')).toMatch(/disk is full/)
    expect(core.listIntegrations()[0]).toMatchObject({ status: 'error', snapshot: snapshotBefore })
    expect(dumpAccount(db)).toEqual(before)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })
})

describe('automatic backups', () => {
  it(`keeps a consistent copy after runs that applied changes, at least ${AFTER_RUN_BACKUP_SPACING_HOURS} hours apart, at most ${BACKUPS_KEPT}, newest first, each passing integrity_check`, async () => {
    const { dir, ldif } = await syncedDir('backups', 50)
    const t = openTestCore(dir)
    const runs = BACKUPS_KEPT + 2
    for (let i = 1; i <= runs; i++) {
      t.clock.advanceMinutes(AFTER_RUN_BACKUP_SPACING_HOURS * 60)
      // One more user each time: every run applies a change.
      writeLdifSync(ldif, syntheticOrg(50 + i, 10))
      expect((await t.core.runSync('all', 'manual')).applied).toMatchObject({ 'create-user': 1 })
    }
    t.close()
    const backups = listBackups(dir)
    expect(backups).toHaveLength(BACKUPS_KEPT)
    expect(backups.every((b) => b.reason === 'after-run')).toBe(true)
    expect(backups.map((b) => b.file)).toEqual([...backups.map((b) => b.file)].sort().reverse())
    const users = backups.map((backup) => {
      const copy = new Database(backup.path, { readonly: true })
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      const n = copy.prepare('SELECT count(*) FROM users').pluck().get()
      copy.close()
      return n
    })
    // Newest first: the copies after the last five runs.
    expect(users).toEqual(Array.from({ length: BACKUPS_KEPT }, (_, k) => 50 + runs - k))
  })

  it('does not copy the store again for runs closer together than the spacing, nor after runs that applied nothing', async () => {
    const { dir, ldif } = await syncedDir('backups-spacing', 20)
    const t = openTestCore(dir)
    const first = listBackups(dir).length
    expect(first).toBe(1)
    for (let i = 1; i <= 3; i++) {
      t.clock.advanceMinutes(10)
      writeLdifSync(ldif, syntheticOrg(20 + i, 10))
      await t.core.runSync('all', 'manual')
    }
    expect(listBackups(dir).length).toBe(first)
    // Nothing changed in the directory: no copy, however long since the last one.
    t.clock.advanceMinutes(AFTER_RUN_BACKUP_SPACING_HOURS * 60 * 3)
    expect((await t.core.runSync('all', 'manual')).applied).toEqual({})
    expect(listBackups(dir).length).toBe(first)
    t.close()
  })

  it('takes a copy before migrating an older schema', async () => {
    const { dir } = await syncedDir('migrate', 20)
    const raw = openRaw(dir)
    // Pretend the file was written by a build one schema version older (the newest migration not yet run).
    const version = raw.pragma('user_version', { simple: true }) as number
    raw.pragma(`user_version = ${version - 1}`)
    raw.close()
    const before = listBackups(dir).length
    try {
      openDatabase(dir).close()
    } catch {
      // Re-running the newest migration on a database that already has it may fail; the copy comes first either way.
    }
    expect(listBackups(dir).filter((b) => b.reason === 'before-migration')).toHaveLength(1)
    expect(listBackups(dir).length).toBe(before + 1)
  })
})

describe('a damaged database at start', () => {
  countFaultsSurvived('damaged database at start')
  const damage: ReadonlyArray<readonly [string, (file: string) => void]> = [
    ['truncated to half', (file) => truncateSync(file, Math.floor(statSync(file).size / 2))],
    ['truncated inside the header', (file) => truncateSync(file, 50)],
    ['its header overwritten', (file) => overwrite(file, 0, Buffer.from('this is not an SQLite file at all'))],
    ['a whole page in the middle overwritten with garbage (a bad sector)', (file) => overwrite(file, Math.floor(statSync(file).size / 4096 / 2) * 4096, Buffer.alloc(4096, 0xa5))],
  ]

  it.each(damage)('%s: refused with a clear message naming the newest backup; the documented recovery restores it and the account comes back', async (_label, hurt) => {
    const { dir } = await syncedDir(`damaged-${_label.replace(/\W+/g, '-')}`, 300)
    const file = join(dir, 'dirsync.db')
    // Fold the WAL into the main file first (as a clean shutdown does), so the damage hits the data.
    const raw = openRaw(dir)
    const good = dumpAccount(raw)
    raw.pragma('wal_checkpoint(TRUNCATE)')
    raw.close()
    hurt(file)
    const latest = listBackups(dir)[0]
    expect(latest).toBeDefined()

    const refused = await openCore({ dataDir: dir }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(DatabaseCorruptError)
    const message = (refused as Error).message
    expect(message).toContain(`The account store ${file} is damaged`)
    expect(message).toContain(latest?.path)
    expect(message).toMatch(/move .* aside, and copy the newest automatic backup/)
    // The refusal left the data directory free: recovery needs no other process to let go.
    const result = restoreLatestBackup(dir)
    expect(result?.restored).toBe(latest?.path)
    expect(result?.damagedCopy && existsSync(result.damagedCopy)).toBe(true)
    const core = await openCore({ dataDir: dir, instanceLock: false })
    expect(core.directory.counts().users).toBe(300)
    const reopened = openRaw(dir)
    expect(dumpAccount(reopened)).toEqual(good)
    reopened.close()
  })

  it('with no backup at all: still refused clearly, and the message says how to start again', () => {
    const dir = join(tmp.path, 'no-backup')
    openDatabase(dir).close()
    overwrite(join(dir, 'dirsync.db'), 0, Buffer.from('garbage garbage garbage garbage!'))
    expect(() => openDatabase(dir)).toThrow(/is damaged .* No automatic backup exists .* a first sync rebuilds the account directory/)
  })
})

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+')
  writeSync(fd, bytes, 0, bytes.length, at)
  closeSync(fd)
}

describe('two instances on one data directory', () => {
  countFaultsSurvived('second instance / copied lock')
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL')
  })

  /** A real second process holding the data directory the way the browser host does (openCore, default lock). */
  function holdInChild(dir: string): Promise<ChildProcess> {
    const code = `import { openCore } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'main', 'core', 'open-core.ts'))}; await openCore({ dataDir: ${JSON.stringify(dir)} }); process.stdout.write('ready\\n'); setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(child)
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child))
      child.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)))
    })
  }

  it('the second refuses with a clear message naming the first; the CLI may still inspect; after the first dies (SIGKILL) the directory is free again', async () => {
    const { dir } = await syncedDir('two-instances', 20)
    const first = await holdInChild(dir)
    const refused = await openCore({ dataDir: dir }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(InstanceLockedError)
    expect((refused as Error).message).toMatch(new RegExp(`Another Directory Sync Console \\(the browser host, process ${first.pid} on .*, since .*\\) is already using the data directory ${dir.replace(/[/\\]/g, '.')}`))
    expect((refused as InstanceLockedError).code).toBe('busy')
    // Short CLI commands do not take the lock: inspection works while the app runs.
    const cli = await openCore({ dataDir: dir, instanceLock: false })
    expect(cli.directory.counts().users).toBe(20)
    // A second holder in the same process is refused too (the lock is not per-process only).
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    const next = await openCore({ dataDir: dir })
    expect(next.status().counts.users).toBe(20)
    await expect(openCore({ dataDir: dir })).rejects.toBeInstanceOf(InstanceLockedError)
    expect(readFileSync(join(dir, 'instance.lock')).length).toBeGreaterThan(0)
  })

  it('a copied data directory is a different directory: copying the lock file copies no lock', async () => {
    const { dir } = await syncedDir('copy-source', 10)
    await openCore({ dataDir: dir })
    const copy = join(tmp.path, 'copy-target')
    await openCore({ dataDir: copy, instanceLock: false })
    copyFileSync(join(dir, 'instance.lock'), join(copy, 'instance.lock'))
    await expect(openCore({ dataDir: copy })).resolves.toBeDefined()
  })
})
