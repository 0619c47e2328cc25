import { z } from 'zod'
import { IntegrationConfigSchema } from './integration-config.ts'
import { IntegrationPolicySchema } from './integration-policy.ts'
import { IntegrationStatusSchema } from './integration-status.ts'

export const IntegrationNameSchema = z.string().trim().min(1, 'enter a name').max(120, 'a name has at most 120 characters')
export const IntegrationDescriptionSchema = z.string().trim().max(240, 'a description has at most 240 characters')

export const RunOutcomeSchema = z.enum(['success', 'partial', 'held', 'failed', 'rejected'])
export type RunOutcome = z.infer<typeof RunOutcomeSchema>

/** What the renderer and the CLI see of an integration: never the secret, only whether one is set. */
export const IntegrationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  config: IntegrationConfigSchema,
  policy: IntegrationPolicySchema,
  hasSecret: z.boolean(),
  status: IntegrationStatusSchema,
  /** Plain-language reason for `error` (and for `disabled`: who disabled it). */
  statusReason: z.string().nullable(),
  /** When the current status began (ISO 8601). */
  statusSince: z.string(),
  lastSyncAt: z.string().nullable(),
  lastOutcome: RunOutcomeSchema.nullable(),
  nextSyncAt: z.string().nullable(),
  snapshot: z
    .object({ id: z.string(), takenAt: z.string(), users: z.number(), groups: z.number(), memberships: z.number(), mode: z.string() })
    .nullable(),
  createdAt: z.string(),
  /**
   * Set while an open migration stages this integration as the replacement of another (named
   * here): it is read and compared, but contributes nothing to the account until the cut-over.
   */
  stagedBehind: z.object({ id: z.string(), name: z.string() }).nullable(),
})
export type IntegrationView = z.infer<typeof IntegrationViewSchema>

/** Any integration an id may still name (held actions, history, sources): deleted ones keep their name. */
export const IntegrationNameEntrySchema = z.object({ id: z.string(), name: z.string(), deleted: z.boolean() })
export type IntegrationNameEntry = z.infer<typeof IntegrationNameEntrySchema>

/** How the console and the CLI name an integration, live or deleted: "Sample directory (deleted)". */
export function integrationLabel(entry: { readonly name: string; readonly deleted: boolean }): string {
  return entry.deleted ? `${entry.name} (deleted)` : entry.name
}
