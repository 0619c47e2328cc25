import { randomUUID } from 'node:crypto'
import type { Approval } from '../../shared/domain/sync-views.ts'
import type { HeldAction } from '../../shared/domain/sync-action.ts'
import { compareActions } from '../../shared/domain/action-order.ts'
import type { Db } from './open-database.ts'

/**
 * Held actions of the latest run (replaced as a whole each run; `held_since` survives for
 * actions held again), and the administrators' approvals, which the next run consumes.
 */
export function createHeldStore(db: Db) {
  return {
    replace(held: readonly HeldAction[]): void {
      db.prepare('DELETE FROM held_actions').run()
      const insert = db.prepare('INSERT INTO held_actions (id, kind, reason, held_since, integration_ids, body) VALUES (?, ?, ?, ?, ?, ?)')
      for (const action of held) insert.run(action.id, action.kind, action.reason, action.heldSince, JSON.stringify(action.integrationIds), JSON.stringify(action))
    },
    heldSince(): Map<string, string> {
      const rows = db.prepare('SELECT id, held_since FROM held_actions').all() as Array<{ id: string; held_since: string }>
      return new Map(rows.map((r) => [r.id, r.held_since]))
    },
    /** One page of the matching actions, how many match, and how many of those an approval would take (threshold holds not yet approved). */
    list(filter: { integrationId?: string; kind?: string; reason?: string }, offset: number, limit: number): { actions: HeldAction[]; total: number; approvable: number } {
      const pending = this.pendingApprovalIds()
      // held_actions is WITHOUT ROWID (no insertion order to sort by): list in the plan's own order.
      const all = (db.prepare('SELECT body FROM held_actions').all() as Array<{ body: string }>)
        .map((r) => JSON.parse(r.body) as HeldAction)
        .sort(compareActions)
        .filter((a) => (!filter.integrationId || a.integrationIds.includes(filter.integrationId)) && (!filter.kind || a.kind === filter.kind) && (!filter.reason || a.reason === filter.reason))
        .map((a) => ({ ...a, approved: pending.has(a.id) }))
      const approvable = all.filter((a) => a.reason === 'threshold' && !a.approved).length
      return { actions: all.slice(offset, offset + limit), total: all.length, approvable }
    },
    all(): HeldAction[] {
      return (db.prepare('SELECT body FROM held_actions').all() as Array<{ body: string }>).map((r) => JSON.parse(r.body) as HeldAction)
    },
    countsByKind(): Record<string, number> {
      const rows = db.prepare('SELECT kind, count(*) AS n FROM held_actions GROUP BY kind').all() as Array<{ kind: string; n: number }>
      return Object.fromEntries(rows.map((r) => [r.kind, r.n]))
    },
    countsByReason(): { blocked: number; threshold: number } {
      const rows = db.prepare('SELECT reason, count(*) AS n FROM held_actions GROUP BY reason').all() as Array<{ reason: string; n: number }>
      const map = Object.fromEntries(rows.map((r) => [r.reason, r.n]))
      return { blocked: map['blocked'] ?? 0, threshold: map['threshold'] ?? 0 }
    },
    pendingApprovalIds(): Set<string> {
      return new Set((db.prepare('SELECT action_id FROM approvals WHERE applied_at IS NULL').all() as Array<{ action_id: string }>).map((r) => r.action_id))
    },
    approve(actions: readonly HeldAction[], by: string, now: string): number {
      const pending = this.pendingApprovalIds()
      const insert = db.prepare('INSERT INTO approvals (id, action_id, kind, target, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?)')
      // Each approval is also an append-only audit row (what, why it was held, attribution, by whom).
      const audit = db.prepare("INSERT INTO audit (at, actor, event, subject, detail) VALUES (?, ?, 'action-approved', ?, ?)")
      let count = 0
      db.transaction(() => {
        for (const a of actions) {
          if (pending.has(a.id)) continue
          const target = a.member ? `${a.target} / ${a.member}` : a.target
          insert.run(randomUUID(), a.id, a.kind, target, by, now)
          audit.run(now, by, target, JSON.stringify({ actionId: a.id, kind: a.kind, integrations: a.integrationIds, why: a.detail, heldBecause: a.reasonText, heldSince: a.heldSince }))
          count++
        }
      })()
      return count
    },
    /** Pending approvals by action id: who approved, when (the journal names them when the action is applied). */
    pendingApprovals(): Map<string, { by: string; at: string }> {
      const rows = db.prepare('SELECT action_id, approved_by, approved_at FROM approvals WHERE applied_at IS NULL ORDER BY approved_at').all() as Array<{ action_id: string; approved_by: string; approved_at: string }>
      return new Map(rows.map((r) => [r.action_id, { by: r.approved_by, at: r.approved_at }]))
    },
    markApplied(actionIds: readonly string[], runId: string, now: string): void {
      const update = db.prepare('UPDATE approvals SET applied_at = ?, applied_in_run = ? WHERE action_id = ? AND applied_at IS NULL')
      for (const id of actionIds) update.run(now, runId, id)
    },
    approvals(offset: number, limit: number): Approval[] {
      type Row = { id: string; action_id: string; kind: string; target: string; approved_by: string; approved_at: string; applied_at: string | null; applied_in_run: string | null }
      return (db.prepare('SELECT * FROM approvals ORDER BY approved_at DESC, rowid DESC LIMIT ? OFFSET ?').all(limit, offset) as Row[]).map((r) => ({
        id: r.id,
        actionId: r.action_id,
        kind: r.kind,
        target: r.target,
        approvedBy: r.approved_by,
        approvedAt: r.approved_at,
        appliedAt: r.applied_at,
        appliedInRun: r.applied_in_run,
      }))
    },
  }
}
export type HeldStore = ReturnType<typeof createHeldStore>
