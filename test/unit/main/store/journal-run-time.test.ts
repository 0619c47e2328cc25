import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION } from '../../../../main/store/migrations.ts'
import { syntheticOrg, writeLdifSync } from '../../../helpers/ldif-writer.ts'
import { makeTempDir, openTestCore, testClock } from '../../../helpers/test-core.ts'
import { storeAtSchema } from '../../../helpers/store-at-schema.ts'

const tmp = makeTempDir('dirsync-journal-run-time')
afterAll(() => tmp.remove())

/** Journal rows as schema 14 wrote them: each with its own time, the run without one. */
function storeWithOldJournal(dataDir: string): void {
  storeAtSchema(dataDir, 14, (db) => {
    db.exec(`
    INSERT INTO journal_keys (id, key) VALUES (1, 'old@example.org');
    INSERT INTO journal_runs (id, run_id, first_seq, last_seq) VALUES (1, 'old-run', 1, 2);
    INSERT INTO journal_notes (id, body) VALUES (1, '[{"id":"hr","name":"HR"}]');
    INSERT INTO journal (seq, at, run, event, kind, target, member, attribution, reason, change) VALUES
      (1, ${Date.parse('2025-01-01T10:00:00.000Z')}, 1, 0, 1, 1, NULL, 1, NULL, '{"detail":"Old <old@example.org>","after":{"displayName":"Old","status":"active","addresses":["old@example.org"]}}'),
      (2, ${Date.parse('2025-01-01T10:00:00.000Z')}, 1, 0, 5, 1, NULL, 1, NULL, '{"detail":"renamed","after":{"displayName":"Older"}}');
  `)
  })
}

describe("a journal row's time", () => {
  it('is kept once per run for new runs (0 on the row), reads as before for rows of a store made before, and both prune by it', async () => {
    const dataDir = join(tmp.path, 'data')
    storeWithOldJournal(dataDir)
    const clock = testClock('2025-03-01T08:00:00.000Z')
    const t = openTestCore(dataDir, clock)
    expect(t.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const old = t.core.journal({ user: 'old@example.org', newestFirst: false, offset: 0, limit: 10 }).entries
    expect(old.map((e) => [e.at, e.runId, e.kind, e.detail])).toEqual([
      ['2025-01-01T10:00:00.000Z', 'old-run', 'create-user', 'Old <old@example.org>'],
      ['2025-01-01T10:00:00.000Z', 'old-run', 'update-user', 'renamed'],
    ])

    const ldif = join(tmp.path, 'org.ldif')
    writeLdifSync(ldif, syntheticOrg(3, 1))
    await t.addLdif('Directory', ldif)
    const run = await t.core.runSync('all', 'manual')
    const entries = t.core.journal({ runId: run.id, newestFirst: false, offset: 0, limit: 100 }).entries
    expect(entries.length).toBeGreaterThan(3)
    expect(new Set(entries.map((e) => e.at))).toEqual(new Set([entries[0]?.at]))
    expect(Date.parse(entries[0]?.at ?? '')).toBe(Date.parse('2025-03-01T08:00:00.000Z'))
    // On disk: the run has the time, its rows 0.
    expect(t.db.prepare('SELECT DISTINCT at FROM journal WHERE run = (SELECT id FROM journal_runs WHERE run_id = ?)').pluck().all(run.id)).toEqual([0])
    expect(t.db.prepare('SELECT at FROM journal_runs WHERE run_id = ?').pluck().get(run.id)).toBe(Date.parse('2025-03-01T08:00:00.000Z'))

    // Retention 30 days: the old run's rows (two months old) go at the next run, the new run's stay.
    t.core.setAccount({ journalRetentionDays: 30 })
    clock.advanceDays(1)
    writeLdifSync(ldif, syntheticOrg(4, 1))
    const next = await t.core.runSync('all', 'manual')
    const left = t.core.journal({ newestFirst: false, offset: 0, limit: 1000 }).entries
    expect(new Set(left.map((e) => e.runId))).toEqual(new Set([run.id, next.id]))
    expect(t.core.journal({ user: 'old@example.org', newestFirst: false, offset: 0, limit: 10 }).total).toBe(0)
    // 31 more days: only the last run is left.
    clock.advanceDays(31)
    writeLdifSync(ldif, syntheticOrg(5, 1))
    const last = await t.core.runSync('all', 'manual')
    expect(new Set(t.core.journal({ newestFirst: false, offset: 0, limit: 1000 }).entries.map((e) => e.runId))).toEqual(new Set([last.id]))
    t.close()
  })
})
