import { z } from 'zod'

/** What a journal entry of this kind is about: the object whose history it belongs to. */
export type JournalSubject = 'user' | 'address' | 'group' | 'membership'

export interface ActionKindInfo {
  /** The kind's number in the change journal's rows. Stored on disk: never change or reuse one. */
  readonly code: number
  /** Held while any integration is disabled/errored, counted against "maximum unlinks" (DESIGN.md §2.3). */
  readonly destructive: boolean
  /** What an administrator reads in the console, the CLI and exports. */
  readonly label: string
  /** Apply order: creates, then adds, then updates, then removals, then deletions (Terraform's and LSC's order). */
  readonly order: number
  /** Whose history an entry of this kind belongs to (a membership is in both the user's and the group's). */
  readonly subject: JournalSubject
  /** The append-only audit event written when it is applied (destructive kinds only). */
  readonly auditEvent: string | null
  /**
   * Deletes an account row whose addresses, memberships and aliases go with it (ON DELETE CASCADE):
   * the applier keeps the store's foreign-key checks on for a run with such an action.
   */
  readonly cascades: boolean
}

/**
 * The closed set of things a sync may do to the account directory: ONE table, read by the gate
 * (destructive), the planner and the applier (order), the journal (subject), the audit log
 * (auditEvent) and every view (label). Adding a kind here is the whole change.
 */
export const ACTION_KIND_TABLE = {
  'create-group': { code: 0, destructive: false, label: 'Create group', order: 0, subject: 'group', auditEvent: null, cascades: false },
  'create-user': { code: 1, destructive: false, label: 'Create user', order: 1, subject: 'user', auditEvent: null, cascades: false },
  'enable-user': { code: 2, destructive: false, label: 'Re-enable user', order: 2, subject: 'user', auditEvent: null, cascades: false },
  'add-address': { code: 3, destructive: false, label: 'Add address', order: 3, subject: 'address', auditEvent: null, cascades: false },
  'promote-address': { code: 4, destructive: false, label: 'Promote address to directory', order: 4, subject: 'address', auditEvent: null, cascades: false },
  'update-user': { code: 5, destructive: false, label: 'Update user', order: 5, subject: 'user', auditEvent: null, cascades: false },
  'update-group': { code: 6, destructive: false, label: 'Update group', order: 6, subject: 'group', auditEvent: null, cascades: false },
  'add-group-alias': { code: 14, destructive: false, label: 'Add group alias', order: 7, subject: 'group', auditEvent: null, cascades: false },
  'disable-user': { code: 7, destructive: false, label: 'Disable user', order: 8, subject: 'user', auditEvent: null, cascades: false },
  'add-member': { code: 8, destructive: false, label: 'Add member', order: 9, subject: 'membership', auditEvent: null, cascades: false },
  'remove-member': { code: 9, destructive: true, label: 'Remove member', order: 10, subject: 'membership', auditEvent: 'member-removed', cascades: false },
  'demote-address': { code: 10, destructive: true, label: 'Downgrade address type', order: 11, subject: 'address', auditEvent: 'address-demoted', cascades: false },
  // Destructive: once a group alias is gone, mail to it is no longer recognised as the group's —
  // the same loss as an address downgrade, so it is held the same way (a disabled or errored
  // integration, maximum unlinks) and audited. A directory read that lost a group's proxy
  // addresses must not silently drop them.
  'remove-group-alias': { code: 15, destructive: true, label: 'Remove group alias', order: 12, subject: 'group', auditEvent: 'group-alias-removed', cascades: false },
  'delete-user': { code: 11, destructive: true, label: 'Delete user', order: 13, subject: 'user', auditEvent: 'user-deleted', cascades: false },
  'purge-user': { code: 12, destructive: true, label: 'Purge user', order: 14, subject: 'user', auditEvent: 'user-purged', cascades: true },
  'delete-group': { code: 13, destructive: true, label: 'Delete group', order: 15, subject: 'group', auditEvent: 'group-deleted', cascades: true },
} as const satisfies Record<string, ActionKindInfo>

export type ActionKind = keyof typeof ACTION_KIND_TABLE
type KindsWhere<D extends boolean> = { [K in ActionKind]: (typeof ACTION_KIND_TABLE)[K]['destructive'] extends D ? K : never }[ActionKind]
export type DestructiveKind = KindsWhere<true>

/** Every kind, in apply order. */
export const ACTION_KINDS = (Object.keys(ACTION_KIND_TABLE) as ActionKind[]).sort((a, b) => ACTION_KIND_TABLE[a].order - ACTION_KIND_TABLE[b].order) as [ActionKind, ...ActionKind[]]
export const ActionKindSchema = z.enum(ACTION_KINDS)

const KIND_BY_CODE: ReadonlyMap<number, ActionKind> = new Map(ACTION_KINDS.map((k) => [ACTION_KIND_TABLE[k].code, k]))

/** The kind a journal row's code stands for. */
export function actionKindOfCode(code: number): ActionKind {
  const kind = KIND_BY_CODE.get(code)
  if (!kind) throw new Error(`Unknown action kind code ${code} in the change journal.`)
  return kind
}

export function isDestructiveKind(kind: ActionKind): kind is DestructiveKind {
  return ACTION_KIND_TABLE[kind].destructive
}

export const DESTRUCTIVE_KINDS: readonly DestructiveKind[] = ACTION_KINDS.filter(isDestructiveKind)

export const ACTION_KIND_LABELS: Readonly<Record<ActionKind, string>> = Object.fromEntries(ACTION_KINDS.map((k) => [k, ACTION_KIND_TABLE[k].label])) as Record<ActionKind, string>

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
