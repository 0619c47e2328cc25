import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeLdifSync, type LdifOrg } from '../helpers/ldif-writer.ts'
import type { Db } from '../../main/store/open-database.ts'
import { runNodeChild } from '../helpers/run-node-child.ts'
import { makeTempDir, openTestCore, readStore } from '../helpers/test-core.ts'
import { recordFigures } from './figures.ts'

/**
 * SIGKILL of a real child process mid-read (after the first page is staged) and mid-promotion
 * (inside the promotion transaction, after the difference was written into the current snapshot,
 * just before COMMIT). Each time: `integrity_check` is ok and the current snapshot — its row and
 * every user, group and member row — is byte-identical to before; the next start discards the
 * staged rows, and the next sync reaches exactly the snapshot an unkilled read makes.
 */
const CHILD = join(import.meta.dirname, '..', 'helpers', 'crash-read-child.ts')
const POINTS = ['read', 'promote'] as const

function org(version: 1 | 2): LdifOrg {
  const users = Array.from({ length: 300 }, (_, i) => ({ uid: `u${i}`, mail: `u${i}@example.org`, displayName: version === 2 && i % 10 === 5 ? `Renamed ${i}` : `User ${i}` }))
    .filter((_, i) => version === 1 || i % 10 !== 3)
  const extra = version === 2 ? Array.from({ length: 20 }, (_, i) => ({ uid: `new${i}`, mail: `new${i}@example.org`, displayName: `New ${i}` })) : []
  const all = [...users, ...extra]
  const groups = Array.from({ length: version === 1 ? 8 : 7 }, (_, g) => ({ cn: `group${g}`, mail: `group${g}@example.org`, members: all.filter((_, k) => k % (version === 1 ? 8 : 9) === g).map((u) => u.uid) }))
  return { users: all, groups }
}

/** The current snapshot: its row and all of its rows, as stored. */
function currentSnapshot(db: Db): unknown {
  const snapshot = db.prepare("SELECT * FROM snapshots WHERE state = 'current'").get() as { key: number } | undefined
  if (!snapshot) return null
  return {
    snapshot,
    users: db.prepare('SELECT * FROM snapshot_users WHERE snap = ? ORDER BY user').all(snapshot.key),
    // Each group row carries its member list.
    groups: db.prepare('SELECT * FROM snapshot_groups WHERE snap = ? ORDER BY grp').all(snapshot.key),
  }
}

/** The current snapshot's content, without its id and read time (a later read has its own). */
function content(db: Db): unknown {
  const stored = currentSnapshot(db) as { snapshot: Record<string, unknown> } | null
  if (!stored) return null
  return { ...stored, snapshot: { ...stored.snapshot, id: 'a later read', taken_at: 'a later read' } }
}

function inspect(dataDir: string): { integrity: unknown; current: unknown; staged: unknown } {
  return readStore(dataDir, (db) => ({
    integrity: db.pragma('integrity_check', { simple: true }),
    current: currentSnapshot(db),
    staged: db.prepare("SELECT count(*) FROM snapshots WHERE state = 'staged'").pluck().get(),
  }))
}

describe('SIGKILL mid-read and mid-promotion', () => {
  const tmp = makeTempDir('dirsync-sigkill-read')
  const base = join(tmp.path, 'base')
  const ldif = join(tmp.path, 'directory.ldif')
  let after: unknown

  beforeAll(async () => {
    writeLdifSync(ldif, org(1))
    const setup = openTestCore(base)
    await setup.addLdif('Directory', ldif)
    expect((await setup.core.runSync('all', 'manual')).outcome).toBe('success')
    setup.close()
    writeLdifSync(ldif, org(2))
    const clean = join(tmp.path, 'clean')
    cpSync(base, clean, { recursive: true })
    const read = await runNodeChild(CHILD, [clean])
    expect(read.stderr).toBe('')
    expect(JSON.parse(read.stdout)).toMatchObject({ outcome: 'read' })
    after = readStore(clean, content)
  }, 120_000)

  afterAll(() => tmp.remove())

  it('each kill leaves integrity_check ok and the current snapshot byte-identical; the next start drops the staged rows and the next sync makes exactly the unkilled snapshot', async () => {
    const before = inspect(base).current
    expect(before).not.toBeNull()
    const survived: string[] = []
    for (const point of POINTS) {
      const dir = join(tmp.path, `kill-${point}`)
      cpSync(base, dir, { recursive: true })
      const killed = await runNodeChild(CHILD, [dir, point])
      expect(killed.signal, `kill at ${point}`).toBe('SIGKILL')
      const checked = inspect(dir)
      expect(checked.integrity, `integrity after kill at ${point}`).toBe('ok')
      expect(checked.current, `current snapshot after kill at ${point}`).toEqual(before)
      expect(checked.staged, `staged reads left by the kill at ${point}`).toBe(1)
      // The next start (the core) discards what the killed read staged; the current snapshot stays.
      const restarted = openTestCore(dir)
      expect(restarted.db.prepare("SELECT count(*) FROM snapshots WHERE state = 'staged'").pluck().get()).toBe(0)
      expect(currentSnapshot(restarted.db)).toEqual(before)
      expect((await restarted.core.runSync('all', 'manual')).outcome).toBe('success')
      expect(content(restarted.db)).toEqual(after)
      restarted.close()
      survived.push(point)
    }
    recordFigures('SIGKILL mid-read and mid-promotion', { faultsSurvived: survived.length })
  }, 120_000)
})
