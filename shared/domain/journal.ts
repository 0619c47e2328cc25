import { z } from 'zod'
import { ActionKindSchema, HoldReasonSchema } from './sync-action.ts'

/**
 * The change journal (DESIGN.md §6): what happened to each object, per run. An action is
 * - `applied` when a run wrote it to the account directory,
 * - `held` when the gate first held it (later runs that keep holding it add nothing),
 * - `approved` when an administrator approved the hold,
 * - `released` when a held action stopped being held without being applied (no longer planned).
 */
export const JOURNAL_EVENTS = ['applied', 'held', 'approved', 'released'] as const
export const JournalEventSchema = z.enum(JOURNAL_EVENTS)
export type JournalEvent = z.infer<typeof JournalEventSchema>

/** An integration as it was named when the entry was written (later renames do not rewrite history). */
export const JournalIntegrationSchema = z.object({ id: z.string(), name: z.string() })
export type JournalIntegration = z.infer<typeof JournalIntegrationSchema>

/** Why an action was held, approved or applied late: the blocker and since when, or the threshold. */
export const JournalReasonSchema = z.object({
  /** `blocked` (an integration disabled or in error) or `threshold` (maximum unlinks passed); null for an approval note alone. */
  hold: HoldReasonSchema.nullable(),
  /** Plain language, as the held-actions page shows it. */
  text: z.string(),
  /** The integrations whose state blocks it, with their names then and since when they block (null: not known any more). */
  blocking: z.array(JournalIntegrationSchema.extend({ since: z.string().nullable() })),
  /** When it was first held (null if never held). */
  heldSince: z.string().nullable(),
  /** Who approved it, when (threshold holds only). */
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
})
export type JournalReason = z.infer<typeof JournalReasonSchema>

/** A value before or after the change: display name, status, address types, group name… (absent keys did not change). */
export const JournalStateSchema = z.record(z.string(), z.unknown())
export type JournalState = z.infer<typeof JournalStateSchema>

export const JournalEntrySchema = z.object({
  /** Position in time order; stable, so it also serves as a paging cursor. */
  seq: z.number().int(),
  at: z.string(),
  /** The run that applied or held it; null for an approval given between runs. */
  runId: z.string().nullable(),
  event: JournalEventSchema,
  kind: ActionKindSchema,
  /** The planned action's stable id (the held-actions page links entries by it). */
  actionId: z.string(),
  /** The user's primary address, or the group key. */
  target: z.string(),
  /** For memberships: the member's primary address. */
  member: z.string().nullable(),
  /** One line, as the plan said it ("Display name 'A' → 'B'"). */
  detail: z.string(),
  /** The attribution: the integration(s) the action came from, by id and by name as they were then. */
  integrations: z.array(JournalIntegrationSchema),
  before: JournalStateSchema.nullable(),
  after: JournalStateSchema.nullable(),
  reason: JournalReasonSchema.nullable(),
})
export type JournalEntry = z.infer<typeof JournalEntrySchema>

/**
 * Filters combine (AND). `user`: entries about the user or its memberships (primary address);
 * `group`: entries about the group or its memberships (group key); `object`: either, named as an
 * admin types it (any address of a user; a group's name, address or key) — nothing matches when
 * it names nothing; `actionId`: the entries of one planned action (a held action's id), meant
 * with `user` or `group` (it is checked per entry). Time order, oldest first unless
 * `newestFirst`; page with offset/limit, or with `afterSeq` (the last `seq` seen) for long scans.
 */
export const JournalQuerySchema = z.object({
  runId: z.string().min(1).optional(),
  user: z.string().min(1).max(320).optional(),
  group: z.string().min(1).max(500).optional(),
  object: z.string().trim().min(1).max(500).optional(),
  actionId: z.string().min(1).max(4000).optional(),
  integrationId: z.string().min(1).optional(),
  kind: ActionKindSchema.optional(),
  event: JournalEventSchema.optional(),
  newestFirst: z.boolean().default(false),
  afterSeq: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
})
export type JournalQuery = z.output<typeof JournalQuerySchema>

export const JournalPageSchema = z.object({
  entries: z.array(JournalEntrySchema),
  /** How many entries match the filters (all pages). */
  total: z.number().int(),
})
export type JournalPage = z.infer<typeof JournalPageSchema>
