import { z } from 'zod'

/** The closed set of things a sync may do to the account directory. */
export const NON_DESTRUCTIVE_KINDS = [
  'create-user',
  'add-address',
  'promote-address',
  'update-user',
  'disable-user',
  'enable-user',
  'create-group',
  'update-group',
  'add-member',
] as const
export const DESTRUCTIVE_KINDS = ['remove-member', 'demote-address', 'delete-user', 'purge-user', 'delete-group'] as const
export const ACTION_KINDS = [...NON_DESTRUCTIVE_KINDS, ...DESTRUCTIVE_KINDS] as const
export const ActionKindSchema = z.enum(ACTION_KINDS)
export type ActionKind = z.infer<typeof ActionKindSchema>
export type DestructiveKind = (typeof DESTRUCTIVE_KINDS)[number]

export const ACTION_KIND_LABELS: Readonly<Record<ActionKind, string>> = {
  'create-user': 'Create user',
  'add-address': 'Add address',
  'promote-address': 'Promote address to directory',
  'update-user': 'Update user',
  'disable-user': 'Disable user',
  'enable-user': 'Re-enable user',
  'create-group': 'Create group',
  'update-group': 'Update group',
  'add-member': 'Add member',
  'remove-member': 'Remove member',
  'demote-address': 'Downgrade address type',
  'delete-user': 'Delete user',
  'purge-user': 'Purge user',
  'delete-group': 'Delete group',
}

export function isDestructiveKind(kind: ActionKind): kind is DestructiveKind {
  switch (kind) {
    case 'remove-member':
    case 'demote-address':
    case 'delete-user':
    case 'purge-user':
    case 'delete-group':
      return true
    case 'create-user':
    case 'add-address':
    case 'promote-address':
    case 'update-user':
    case 'disable-user':
    case 'enable-user':
    case 'create-group':
    case 'update-group':
    case 'add-member':
      return false
  }
}

/**
 * One planned change. `id` is stable: the same change planned in two runs has the same id, so an
 * approval given today still names it tomorrow. `integrationIds` is the attribution.
 */
export const SyncActionSchema = z.object({
  id: z.string(),
  kind: ActionKindSchema,
  /** The user's primary address, or the group key. */
  target: z.string(),
  /** For memberships: the user's primary address. */
  member: z.string().optional(),
  /** For address changes: the addresses concerned. */
  addresses: z.array(z.string()).optional(),
  /** Human-readable summary, e.g. "Display name 'A' → 'B'". */
  detail: z.string(),
  integrationIds: z.array(z.string()),
  /** Data the applier needs (new display name, attributes, group name…). */
  payload: z.record(z.string(), z.unknown()).optional(),
})
export type SyncAction = z.infer<typeof SyncActionSchema>

export const HoldReasonSchema = z.enum(['blocked', 'threshold'])
export type HoldReason = z.infer<typeof HoldReasonSchema>

export const HeldActionSchema = SyncActionSchema.extend({
  reason: HoldReasonSchema,
  /** Plain-language reason: which integration blocks, or which threshold was passed. */
  reasonText: z.string(),
  /** Integrations whose state blocks it (for `blocked`). */
  blockingIntegrationIds: z.array(z.string()),
  heldSince: z.string(),
  approved: z.boolean(),
})
export type HeldAction = z.infer<typeof HeldActionSchema>
