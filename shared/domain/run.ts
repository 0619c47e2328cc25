import { z } from 'zod'
import { RunOutcomeSchema } from './integration.ts'

export const RunTriggerSchema = z.enum(['manual', 'schedule', 'missed-schedule', 'cli', 'approval', 'migration'])
export type RunTrigger = z.infer<typeof RunTriggerSchema>

export const RunReadSchema = z.object({
  integrationId: z.string(),
  integrationName: z.string(),
  outcome: z.enum(['read', 'rejected', 'failed', 'skipped']),
  /** full or incremental, and why. */
  mode: z.string().nullable(),
  message: z.string().nullable(),
  /**
   * Failed and rejected reads: since when the integration has been in error — the first failed
   * read of this error, which failed runs after it do not move. Absent in runs recorded before it existed.
   */
  errorSince: z.string().nullable().optional(),
  snapshotId: z.string().nullable(),
  users: z.number(),
  groups: z.number(),
  memberships: z.number(),
})
export type RunRead = z.infer<typeof RunReadSchema>

export const RunSummarySchema = z.object({
  id: z.string(),
  trigger: RunTriggerSchema,
  scope: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: RunOutcomeSchema.nullable(),
  applied: z.record(z.string(), z.number()),
  held: z.record(z.string(), z.number()),
  /** What stopped a read or the run (a directory that could not be read, a refused snapshot). */
  errors: z.array(z.string()),
  /**
   * Findings that did not stop anything: address conflicts between people (an address that is one
   * person's primary and another's alias), resolved as the message says. Absent in runs recorded
   * before it existed.
   */
  warnings: z.array(z.string()).default([]),
  reads: z.array(RunReadSchema),
  /** Snapshot ids the plan was built from (integration id → snapshot id). */
  snapshots: z.record(z.string(), z.string()),
  ignoredAddresses: z.number(),
})
export type RunSummary = z.infer<typeof RunSummarySchema>

export const SyncProgressSchema = z.object({
  runId: z.string(),
  integrationId: z.string().nullable(),
  phase: z.enum(['queued', 'reading', 'validating', 'planning', 'applying', 'done', 'failed']),
  objectsRead: z.number(),
  message: z.string(),
})
export type SyncProgress = z.infer<typeof SyncProgressSchema>
