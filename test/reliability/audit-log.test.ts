import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../shared/domain/audit.ts'
import type { RunSummary } from '../../shared/domain/run.ts'
import { runCli } from '../../main/cli/dirsync-main.ts'
import { dispatch } from '../../main/ipc/dispatch.ts'
import { createHandlers } from '../../main/ipc/handlers.ts'
import { writeLdifSync, type LdifOrg } from '../helpers/ldif-writer.ts'
import { makeTempDir, openTestCore } from '../helpers/test-core.ts'

/**
 * DESIGN/issue 8: every applied destructive action and every approval is written to an
 * append-only audit log (what, when, why, attributed integration, approved by) that survives
 * purges, and is viewable (audit:list, `dirsync audit`) and exportable (`dirsync audit --all --json`).
 */
const EVENT_OF_KIND: Record<string, string> = {
  'remove-member': 'member-removed',
  'demote-address': 'address-demoted',
  'delete-user': 'user-deleted',
  'purge-user': 'user-purged',
  'delete-group': 'group-deleted',
}

function org(users: number[], groups: Array<{ cn: string; members: number[] }>): LdifOrg {
  return {
    users: users.map((i) => ({ uid: `u${i}`, mail: `u${i}@example.org`, displayName: `User ${i}` })),
    groups: groups.map((g) => ({ cn: g.cn, mail: `${g.cn}@example.org`, members: g.members.map((i) => `u${i}`) })),
  }
}

describe('the audit log', () => {
  const tmp = makeTempDir('dirsync-audit')
  afterAll(() => tmp.remove())
  const dataDir = join(tmp.path, 'data')
  const hrFile = join(tmp.path, 'hr.ldif')
  const itFile = join(tmp.path, 'it.ldif')
  const t = openTestCore(dataDir, undefined, 'alice.admin')
  const runs: RunSummary[] = []
  const audit = (): AuditEntry[] => t.core.auditLog({}, 0, 1000).entries

  it('records every applied destructive action of every kind, with what, when, why, the attributed integration and who approved it', async () => {
    // HR deletes users it no longer lists (then purges after the retention); IT demotes them (the default).
    writeLdifSync(hrFile, org([1, 2, 3, 4, 5], [{ cn: 'staff', members: [1, 2, 3, 4, 5] }, { cn: 'leavers', members: [5] }]))
    writeLdifSync(itFile, org([10, 11, 12], [{ cn: 'it', members: [10, 11, 12] }]))
    const hr = await t.addLdif('HR', hrFile, { deleteUsers: true, maxUnlinks: 0 })
    const it_ = await t.addLdif('IT', itFile)
    runs.push(await t.core.runSync('all', 'manual'))
    const seeded = audit().length

    // u5 leaves HR (deleted), u4 leaves the staff group (membership removed), group "leavers" goes; u12 leaves IT (demoted).
    writeLdifSync(hrFile, org([1, 2, 3, 4], [{ cn: 'staff', members: [1, 2, 3] }]))
    writeLdifSync(itFile, org([10, 11], [{ cn: 'it', members: [10, 11] }]))
    t.clock.advanceMinutes(60)
    const heldRun = await t.core.runSync('all', 'manual')
    // HR's maximum unlinks is 0: all of its destructive actions are held for approval; IT's demotion applies.
    // (u5's membership of "leavers" goes with the group; u5 and u4 leave "staff".)
    expect(heldRun.held).toEqual({ 'delete-user': 1, 'remove-member': 2, 'delete-group': 1 })
    expect(heldRun.applied['demote-address']).toBe(1)
    const approval = t.core.approve({ integrationId: hr })
    expect(approval).toEqual({ approved: 4, refused: [] })
    t.clock.advanceMinutes(5)
    runs.push(heldRun, await t.core.runSync('all', 'manual'))
    // After the retention (30 days), the deleted user is purged — held by HR's threshold, approved, applied.
    t.clock.advanceDays(31)
    const purgeHeld = await t.core.runSync('all', 'manual')
    expect(purgeHeld.held).toEqual({ 'purge-user': 1 })
    expect(t.core.approve({ integrationId: hr, kind: 'purge-user' })).toEqual({ approved: 1, refused: [] })
    runs.push(purgeHeld, await t.core.runSync('all', 'manual'))

    const entries = audit().slice(0, audit().length - seeded)
    const applied: Record<string, number> = {}
    for (const run of runs) for (const [kind, n] of Object.entries(run.applied)) if (kind in EVENT_OF_KIND) applied[kind] = (applied[kind] ?? 0) + n
    expect(Object.keys(applied).sort()).toEqual(Object.keys(EVENT_OF_KIND).sort())
    for (const [kind, n] of Object.entries(applied)) expect(entries.filter((e) => e.event === EVENT_OF_KIND[kind]), kind).toHaveLength(n)

    const deleted = entries.find((e) => e.event === 'user-deleted')
    expect(deleted).toMatchObject({ actor: 'sync', subject: 'u5@example.org', detail: { kind: 'delete-user', integrations: [hr], approvedBy: 'alice.admin', why: expect.any(String) as string } })
    expect(Date.parse(deleted?.at ?? '')).toBe(Date.parse('2025-03-01T09:05:00.000Z'))
    const demoted = entries.find((e) => e.event === 'address-demoted')
    expect(demoted).toMatchObject({ subject: 'u12@example.org', detail: { integrations: [it_], approvedBy: null, addresses: ['u12@example.org'] } })
    expect(entries.find((e) => e.event === 'member-removed' && e.subject.includes('u4@example.org'))?.detail).toMatchObject({ approvedBy: 'alice.admin' })
    expect(entries.find((e) => e.event === 'group-deleted')?.subject).toMatch(/leavers/)
  })

  it('records every approval: who, when, which action, why it was held, attribution', () => {
    const approvals = audit().filter((e) => e.event === 'action-approved')
    expect(approvals).toHaveLength(5)
    for (const a of approvals) {
      expect(a.actor).toBe('alice.admin')
      expect(a.detail).toMatchObject({ actionId: expect.any(String) as string, kind: expect.any(String) as string, integrations: [expect.any(String)], heldBecause: expect.stringMatching(/maximum unlinks|threshold/i) as string })
    }
  })

  it('survives the purge: the user row is gone, its audit rows stay', () => {
    expect(t.core.directory.users('u5@', 0, 10).total).toBe(0)
    expect(audit().filter((e) => e.subject === 'u5@example.org').map((e) => e.event).sort()).toEqual(['action-approved', 'action-approved', 'user-deleted', 'user-purged'])
  })

  it('is append-only: the database refuses to change or delete an audit row, from any code path', () => {
    expect(() => t.db.prepare("UPDATE audit SET actor = 'mallory'").run()).toThrow(/append-only/)
    expect(() => t.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/)
    expect(audit().every((e) => e.actor !== 'mallory')).toBe(true)
  })

  it('is viewable through the audit:list channel (newest first, filtered) and exportable with `dirsync audit --all --json`', async () => {
    const handlers = createHandlers(t.core, { version: 'test', dataDir, host: 'browser', demo: false })
    const listed = await dispatch(handlers, 'audit:list', { event: 'user-deleted' })
    expect(listed).toMatchObject({ ok: true, value: { total: 1, entries: [{ subject: 'u5@example.org' }] } })
    const all = await dispatch(handlers, 'audit:list', { limit: 1000 })
    const seqs = (all as { value: { entries: AuditEntry[] } }).value.entries.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))
    t.close()

    let stdout = ''
    const code = await runCli(['--data-dir', dataDir, 'audit', '--all', '--json'], { stdout: (s) => void (stdout += s), stderr: () => undefined })
    expect(code).toBe(0)
    const exported = JSON.parse(stdout) as { total: number; entries: AuditEntry[] }
    expect(exported.entries).toHaveLength(exported.total)
    expect(exported.entries.map((e) => e.seq)).toEqual(seqs)
    let table = ''
    expect(await runCli(['--data-dir', dataDir, 'audit', '--event', 'user-purged'], { stdout: (s) => void (table += s), stderr: () => undefined })).toBe(0)
    expect(table).toMatch(/1 audit entry\n#\s+WHEN\s+WHO\s+EVENT\s+WHAT/)
    expect(table).toContain('u5@example.org')
  })
})
