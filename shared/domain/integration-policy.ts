import { z } from 'zod'

/** The cloud console's pick-list for "maximum unlinks" (per integration, per run). */
export const MAX_UNLINKS_CHOICES = [0, 10, 20, 50, 100, 300, 500, 1000, 2000, 5000, 10000, 50000, 100000, 'unlimited'] as const
export const MaxUnlinksSchema = z.union([
  z.literal('unlimited'),
  z.number().int().refine((n) => (MAX_UNLINKS_CHOICES as readonly (number | string)[]).includes(n), {
    message: `maximum unlinks must be one of ${MAX_UNLINKS_CHOICES.join(', ')}`,
  }),
])
export type MaxUnlinks = z.infer<typeof MaxUnlinksSchema>

export const DEFAULT_MAX_UNLINKS = 500
export const DEFAULT_SHRINK_GUARD_PERCENT = 50

export const IntegrationPolicySchema = z.object({
  /** Disabled accounts in the directory become disabled users in the account. (Default: on) */
  acknowledgeDisabledAccounts: z.boolean().default(true),
  /** Users removed from the directory are soft-deleted (then purged after retention) instead of demoted. (Default: off) */
  deleteUsers: z.boolean().default(false),
  /** More destructive actions than this in one run holds all of them for approval. (Default: 500) */
  maxUnlinks: MaxUnlinksSchema.default(DEFAULT_MAX_UNLINKS),
  /** A read that shrinks by more than this percentage of the last snapshot is rejected. (Default: 50) */
  shrinkGuardPercent: z.number().int().min(1).max(100).default(DEFAULT_SHRINK_GUARD_PERCENT),
  /** Only addresses in these domains are taken from this integration; empty = all internal domains. */
  domains: z.array(z.string().min(1)).default([]),
})
export type IntegrationPolicy = z.infer<typeof IntegrationPolicySchema>

export const DEFAULT_POLICY: IntegrationPolicy = IntegrationPolicySchema.parse({})

export const POLICY_KEYS = ['acknowledgeDisabledAccounts', 'deleteUsers', 'maxUnlinks', 'shrinkGuardPercent', 'domains'] as const
export type PolicyKey = (typeof POLICY_KEYS)[number]
