import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../../shared/domain/run.ts'
import { openCore } from '../../../../main/core/open-core.ts'
import { syntheticOrg, writeLdifSync } from '../../../helpers/ldif-writer.ts'
import { runCrashSyncChild } from '../../../helpers/run-node-child.ts'
import { dumpAccount, makeTempDir, openRaw, openTestCore, type AccountDump } from '../../../helpers/test-core.ts'

/**
 * DESIGN.md §2.5: "a crash or kill at any moment leaves the account directory exactly as before
 * or exactly as after". A real child process (node + the real core) syncs a few thousand users
 * and is SIGKILLed by its apply probe (test/helpers/kill-at-fault.ts) after the 1st, the middle and the last applied
 * action of the run's transaction; the parent then compares the database with the saved state.
 */

const USERS = 3000
const GROUPS = 30

function integrityCheck(dataDir: string): { dump: AccountDump; integrity: unknown } {
  const db = openRaw(dataDir)
  try {
    return { dump: dumpAccount(db), integrity: db.pragma('integrity_check', { simple: true }) }
  } finally {
    db.close()
  }
}

describe('crash safety: a SIGKILL in the middle of apply leaves the account exactly as before', () => {
  const tmp = makeTempDir('crash-safety')
  const base = join(tmp.path, 'base')
  const ldif = join(tmp.path, 'directory.ldif')
  let before: AccountDump
  let after: AccountDump
  let applied = 0

  beforeAll(async () => {
    // The saved "before" state: 3,000 users in 30 groups, synced once.
    writeLdifSync(ldif, syntheticOrg(USERS, GROUPS))
    const setup = openTestCore(base)
    await setup.addLdif('Directory', ldif, { maxUnlinks: 'unlimited' })
    expect((await setup.core.runSync('all', 'manual')).outcome).toBe('success')
    setup.close()
    before = integrityCheck(base).dump
    // The next read: 300 users leave (demoted, memberships removed), 300 join (created, added).
    writeLdifSync(ldif, syntheticOrg(USERS + 300, GROUPS, 'example.org', new Set(Array.from({ length: 300 }, (_, i) => i))))

    const afterDir = join(tmp.path, 'after')
    cpSync(base, afterDir, { recursive: true })
    const clean = await runCrashSyncChild(afterDir)
    expect(clean.stderr).toBe('')
    expect(clean.code).toBe(0)
    const summary = JSON.parse(clean.stdout) as RunSummary
    expect(summary.outcome).toBe('success')
    expect(summary.applied).toEqual({ 'create-user': 300, 'add-member': 300, 'remove-member': 300, 'demote-address': 300 })
    applied = Object.values(summary.applied).reduce((a, b) => a + b, 0)
    const checked = integrityCheck(afterDir)
    expect(checked.integrity).toBe('ok')
    after = checked.dump
    expect(after).not.toEqual(before)
  }, 120_000)

  afterAll(() => tmp.remove())

  const killPoints: ReadonlyArray<readonly [string, () => number]> = [
    ['the first', () => 1],
    ['the middle', () => Math.floor(applied / 2)],
    ['the last', () => applied],
  ]

  it.each(killPoints)('killed after %s applied action: the database is exactly the before state, integrity_check is ok, and reopening closes the run as failed', async (_label, at) => {
    const n = at()
    const dir = join(tmp.path, `kill-${n}`)
    cpSync(base, dir, { recursive: true })
    const killed = await runCrashSyncChild(dir, `kill-at:apply:${n}`)
    expect(killed.signal).toBe('SIGKILL')
    expect(killed.stdout).toBe('')

    const checked = integrityCheck(dir)
    expect(checked.integrity).toBe('ok')
    expect(checked.dump).toEqual(before)

    const core = await openCore({ dataDir: dir })
    const [run] = core.runs(0, 1)
    expect(run).toMatchObject({ outcome: 'failed', trigger: 'cli' })
    expect(run?.finishedAt).not.toBeNull()
    expect(run?.errors.join(' ')).toMatch(/interrupted .* nothing of it was applied/)
    // The next run, in a process that is not killed, reaches exactly the "after" state.
    const rerun = await core.runSync('all', 'manual')
    expect(rerun.outcome).toBe('success')
    const db = openRaw(dir)
    expect(dumpAccount(db)).toEqual(after)
    db.close()
  }, 60_000)
})
