import { z } from 'zod'

/**
 * One row of the append-only audit log: every applied destructive action (member-removed,
 * address-demoted, group-alias-removed, user-deleted, user-purged, group-deleted), every approval (action-approved)
 * and every administrative change (integration-created/updated/enabled/disabled/deleted,
 * account-settings-changed). Rows are never updated or deleted, and survive purges.
 */
export const AuditEntrySchema = z.object({
  /** Increasing sequence number: the order things happened in. */
  seq: z.number().int(),
  at: z.string(),
  /** Who: the administrator (OS user) for console/CLI actions, `sync` for the applier. */
  actor: z.string(),
  event: z.string(),
  /** What: the user's primary address, `group / member`, an integration id, `account`… */
  subject: z.string(),
  /** Why and for whom: attributed integrations, the plan's reason, who approved it… */
  detail: z.record(z.string(), z.unknown()),
})
export type AuditEntry = z.infer<typeof AuditEntrySchema>
