import { z } from 'zod'

/**
 * - directory: "Extracted From Directory" (backed by at least one snapshot)
 * - transit:   "Created by Message in Transit" (no longer backed by a directory)
 * - manual:    "Manually Created" (by an administrator in the console)
 */
export const ADDRESS_TYPES = ['directory', 'transit', 'manual'] as const
export const AddressTypeSchema = z.enum(ADDRESS_TYPES)
export type AddressType = z.infer<typeof AddressTypeSchema>

export const ADDRESS_TYPE_LABELS: Readonly<Record<AddressType, string>> = {
  directory: 'Extracted From Directory',
  transit: 'Created by Message in Transit',
  manual: 'Manually Created',
}

/** Rank used to tell an upgrade from a downgrade. */
export const ADDRESS_TYPE_RANK: Readonly<Record<AddressType, number>> = { directory: 2, manual: 1, transit: 0 }

export const UserStatusSchema = z.enum(['active', 'disabled', 'deleted'])
export type UserStatus = z.infer<typeof UserStatusSchema>

export const AccountAddressSchema = z.object({ address: z.string(), type: AddressTypeSchema, primary: z.boolean() })
export type AccountAddress = z.infer<typeof AccountAddressSchema>

export const AccountUserSchema = z.object({
  primaryAddress: z.string(),
  displayName: z.string(),
  status: UserStatusSchema,
  deletedAt: z.string().nullable(),
  addresses: z.array(AccountAddressSchema),
  /** Integration ids backing this user now. */
  sources: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
})
export type AccountUser = z.infer<typeof AccountUserSchema>

export const AccountGroupSchema = z.object({
  key: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  /** Alias addresses (mail to them reaches the group), sorted; without `address`. */
  aliases: z.array(z.string()),
  origin: z.enum(['directory', 'manual']),
  sources: z.array(z.string()),
  memberCount: z.number(),
})
export type AccountGroup = z.infer<typeof AccountGroupSchema>

export const ScheduleTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are HH:MM, 24-hour, local time')

export const AccountSettingsSchema = z.object({
  /** Addresses outside these domains are ignored and reported; empty = every domain counts as internal. */
  internalDomains: z.array(z.string().trim().toLowerCase().min(1)).default([]),
  /** Local times of the scheduled Sync All (Default: 08:00, 13:00, 23:00 — three times daily). */
  schedule: z.array(ScheduleTimeSchema).default(['08:00', '13:00', '23:00']),
  scheduleEnabled: z.boolean().default(true),
  /** Days a soft-deleted user is kept before it is purged (Default: 30). */
  retentionDays: z.number().int().min(0).max(3650).default(30),
  /** Days the change journal keeps its entries; older ones are pruned at the end of a run (Default: 400). */
  journalRetentionDays: z.number().int().min(1).max(36500).default(400),
})
export type AccountSettings = z.infer<typeof AccountSettingsSchema>
export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = AccountSettingsSchema.parse({})
