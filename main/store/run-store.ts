import type { RunSummary } from '../../shared/domain/run.ts'
import type { Db } from './open-database.ts'

/** A stored summary; runs recorded before `warnings` existed get an empty list. */
function parseRun(json: string): RunSummary {
  const run = JSON.parse(json) as RunSummary & { warnings?: string[] }
  return { ...run, warnings: run.warnings ?? [] }
}

/** Run history: the whole summary as JSON plus the columns lists sort and filter on. */
export function createRunStore(db: Db) {
  return {
    save(run: RunSummary): void {
      db.prepare('INSERT OR REPLACE INTO runs (id, trigger, scope, started_at, finished_at, outcome, summary) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        run.id,
        run.trigger,
        run.scope,
        run.startedAt,
        run.finishedAt,
        run.outcome,
        JSON.stringify(run),
      )
    },
    get(id: string): RunSummary | null {
      const row = db.prepare('SELECT summary FROM runs WHERE id = ?').get(id) as { summary: string } | undefined
      return row ? parseRun(row.summary) : null
    },
    /** Newest first. */
    list(offset: number, limit: number): RunSummary[] {
      return (db.prepare('SELECT summary FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?').all(limit, offset) as Array<{ summary: string }>).map((r) => parseRun(r.summary))
    },
    latest(): RunSummary | null {
      return this.list(0, 1)[0] ?? null
    },
    /** Runs left unfinished by a crash or kill: closed as failed at the next start. */
    closeUnfinished(now: string): number {
      const rows = db.prepare('SELECT summary FROM runs WHERE finished_at IS NULL').all() as Array<{ summary: string }>
      for (const row of rows) {
        const run = parseRun(row.summary)
        this.save({ ...run, finishedAt: now, outcome: 'failed', errors: [...run.errors, 'The run was interrupted (the app closed or was killed); nothing of it was applied.'] })
      }
      return rows.length
    },
  }
}
export type RunStore = ReturnType<typeof createRunStore>
