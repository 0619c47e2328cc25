import { z } from 'zod'
import { AccountAddressSchema, AccountGroupSchema, AccountUserSchema, AddressTypeSchema } from './account.ts'

/** An integration as a source of a user, group, address or membership: its id and its name ("X (deleted)" for a deleted one). */
export const SourceNameSchema = z.object({ id: z.string(), name: z.string() })
export type SourceName = z.infer<typeof SourceNameSchema>

/** What the directory browser's user list is filtered by (besides the search text). */
export const UserFilterSchema = z.object({
  query: z.string().max(200).default(''),
  /** Only users backed by (or deleted on behalf of) this integration id. */
  source: z.string().max(100).nullable().default(null),
  /** Only users with at least one address of this type. */
  addressType: AddressTypeSchema.nullable().default(null),
})

/** One user's page: each address with the integrations whose snapshot holds it, and the user's groups. */
export const AccountUserDetailSchema = AccountUserSchema.omit({ sources: true, addresses: true }).extend({
  sources: z.array(SourceNameSchema),
  addresses: z.array(AccountAddressSchema.extend({ sources: z.array(SourceNameSchema) })),
  groups: z.array(z.object({ key: z.string(), name: z.string(), address: z.string().nullable(), sources: z.array(SourceNameSchema) })),
})
export type AccountUserDetail = z.infer<typeof AccountUserDetailSchema>

/** One group's page: its sources by name (its aliases as the account keeps them); with `members`, every member. */
export const AccountGroupDetailSchema = AccountGroupSchema.omit({ sources: true }).extend({
  sources: z.array(SourceNameSchema),
  members: z.array(z.object({ address: z.string(), displayName: z.string(), sources: z.array(SourceNameSchema) })).optional(),
})
export type AccountGroupDetail = z.infer<typeof AccountGroupDetailSchema>
