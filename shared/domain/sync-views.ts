import { z } from 'zod'
import { HeldActionSchema, SyncActionSchema } from './sync-action.ts'
import { IntegrationStatusSchema } from './integration-status.ts'
import { RunReadSchema, SyncProgressSchema, RunSummarySchema } from './run.ts'

const countsByKind = z.record(z.string(), z.number())

/** A dry run: exactly what the next run would do, from the same code path minus the write. */
export const PlanPreviewSchema = z.object({
  scope: z.string(),
  plannedAt: z.string(),
  /**
   * What the plan was made against: `read` — the directories, read just now (read-only), as the
   * next sync will read them; `snapshots` — the stored snapshots of the last sync (offline).
   */
  basis: z.enum(['read', 'snapshots']),
  /** The reads a `read` preview made, one per integration in scope ([] for `snapshots`). */
  reads: z.array(RunReadSchema),
  toApply: countsByKind,
  toHold: countsByKind,
  /** The first `limit` actions that would apply and that would be held, sorted. */
  actions: z.array(SyncActionSchema),
  held: z.array(HeldActionSchema),
  totalActions: z.number(),
  totalHeld: z.number(),
  ignoredAddresses: z.array(z.object({ address: z.string(), integrationId: z.string(), reason: z.string() })),
  conflicts: z.array(z.string()),
})
export type PlanPreview = z.infer<typeof PlanPreviewSchema>

/** What deleting an integration will cause at the next sync. */
export const DeletePreviewSchema = z.object({
  integrationId: z.string(),
  integrationName: z.string(),
  usersDemoted: z.array(z.string()),
  usersDeleted: z.array(z.string()),
  membershipsRemoved: z.array(z.object({ group: z.string(), member: z.string() })),
  groupsDeleted: z.array(z.string()),
  /** Memberships that go with the deleted groups (no remove-member action of their own), per group label. */
  membershipsOfDeletedGroups: z.array(z.object({ group: z.string(), members: z.number() })),
  /** Users of this integration that another integration still backs: they stay as they are. */
  usersStillBacked: z.array(z.object({ user: z.string(), by: z.array(z.string()) })),
  /** True when this integration is disabled/errored and is the only one blocking destructive actions. */
  liftsBlock: z.boolean(),
  /** Other integrations that will still block after the deletion. */
  remainingBlockers: z.array(z.string()),
  /** Whether the next run would hold these actions anyway (threshold or another blocker), and why. */
  holdNote: z.string().nullable(),
})
export type DeletePreview = z.infer<typeof DeletePreviewSchema>

export const BlockerSchema = z.object({
  integrationId: z.string(),
  name: z.string(),
  status: IntegrationStatusSchema,
  since: z.string(),
  reason: z.string().nullable(),
})
export type Blocker = z.infer<typeof BlockerSchema>

/** Everything the warning banners and the status line need. */
export const AccountStatusSchema = z.object({
  blockers: z.array(BlockerSchema),
  heldByKind: countsByKind,
  heldByReason: z.object({ blocked: z.number(), threshold: z.number() }),
  /** `name` is the display label: a deleted integration's reads "Sample directory (deleted)". */
  thresholdHolds: z.array(z.object({ integrationId: z.string(), name: z.string(), deleted: z.boolean(), count: z.number(), limit: z.union([z.number(), z.literal('unlimited')]) })),
  running: SyncProgressSchema.nullable(),
  lastRun: RunSummarySchema.nullable(),
  nextScheduledRun: z.string().nullable(),
  internalDomainsConfigured: z.boolean(),
  counts: z.object({ users: z.number(), groups: z.number(), integrations: z.number() }),
})
export type AccountStatus = z.infer<typeof AccountStatusSchema>

export const ApprovalSchema = z.object({
  id: z.string(),
  actionId: z.string(),
  kind: z.string(),
  target: z.string(),
  approvedBy: z.string(),
  approvedAt: z.string(),
  /** Set when a run applied it. */
  appliedAt: z.string().nullable(),
  appliedInRun: z.string().nullable(),
})
export type Approval = z.infer<typeof ApprovalSchema>
