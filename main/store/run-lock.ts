import type { Db } from './open-database.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs never overlap, also across processes (the desktop app, the browser host and a CLI run
 * from the OS scheduler may share one data directory). The lock is a row taken in an immediate
 * transaction; a lock left by a killed process (its pid is gone) is taken over.
 */
export function createRunLock(db: Db) {
  return {
    /** Returns null when acquired, or who holds it. */
    acquire(runId: string, now: string): { pid: number; since: string } | null {
      return db.transaction(() => {
        const row = db.prepare("SELECT value FROM meta WHERE key = 'run-lock'").get() as { value: string } | undefined
        if (row) {
          const held = JSON.parse(row.value) as { pid: number; since: string; runId: string }
          if (held.pid !== process.pid && alive(held.pid)) return { pid: held.pid, since: held.since }
        }
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('run-lock', ?)").run(JSON.stringify({ pid: process.pid, since: now, runId }))
        return null
      }).immediate()
    },
    release(runId: string): void {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'run-lock'").get() as { value: string } | undefined
      if (row && (JSON.parse(row.value) as { runId: string }).runId === runId) db.prepare("DELETE FROM meta WHERE key = 'run-lock'").run()
    },
  }
}
