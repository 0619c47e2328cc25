import type { AuditEntry } from '../../shared/domain/audit.ts'
import type { Db } from './open-database.ts'

/**
 * The append-only audit log (triggers in open-database.ts refuse UPDATE and DELETE on it):
 * administrators' changes and every applied destructive action, newest first when listed.
 */
export function createAuditStore(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, event, subject, detail) VALUES (?, ?, ?, ?, ?)')
  return {
    append(at: string, actor: string, event: string, subject: string, detail: unknown = {}): void {
      insert.run(at, actor, event, subject, JSON.stringify(detail))
    },
    /** Filtered by exact event and by subject substring, newest first. */
    list(filter: { event?: string | undefined; subject?: string | undefined }, offset: number, limit: number): { entries: AuditEntry[]; total: number } {
      const where = 'WHERE (? IS NULL OR event = ?) AND (? IS NULL OR instr(subject, ?) > 0)'
      const args = [filter.event ?? null, filter.event ?? null, filter.subject ?? null, filter.subject ?? null]
      const total = (db.prepare(`SELECT count(*) AS n FROM audit ${where}`).get(...args) as { n: number }).n
      const rows = db.prepare(`SELECT seq, at, actor, event, subject, detail FROM audit ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as Array<Omit<AuditEntry, 'detail'> & { detail: string }>
      return { entries: rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })), total }
    },
  }
}
