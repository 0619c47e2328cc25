import { z } from 'zod'

export const INTEGRATION_STATUSES = ['ok', 'syncing', 'disabled', 'error', 'never-synced'] as const
export const IntegrationStatusSchema = z.enum(INTEGRATION_STATUSES)
export type IntegrationStatus = z.infer<typeof IntegrationStatusSchema>

/** A disabled or errored integration pauses every destructive action of every integration. */
export function isBlockingStatus(status: IntegrationStatus): boolean {
  return status === 'disabled' || status === 'error'
}
