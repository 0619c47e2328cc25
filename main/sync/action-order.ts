import type { ActionKind, SyncAction } from '../../shared/domain/sync-action.ts'

/** Creates, then adds, then updates, then removals, then deletions (Terraform's and LSC's order). */
const KIND_ORDER: Readonly<Record<ActionKind, number>> = {
  'create-group': 0,
  'create-user': 1,
  'enable-user': 2,
  'add-address': 3,
  'promote-address': 4,
  'update-user': 5,
  'update-group': 6,
  'disable-user': 7,
  'add-member': 8,
  'remove-member': 9,
  'demote-address': 10,
  'delete-user': 11,
  'purge-user': 12,
  'delete-group': 13,
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function compareActions(a: SyncAction, b: SyncAction): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareStrings(a.target, b.target) || compareStrings(a.member ?? '', b.member ?? '') || compareStrings(a.id, b.id)
}

/**
 * A stable, readable id: the same change planned in two runs gets the same id, so an approval
 * given between runs still names it.
 */
export function actionId(kind: ActionKind, target: string, member?: string, addresses?: readonly string[]): string {
  let id = `${kind}:${target}`
  if (member !== undefined) id += `:${member}`
  if (addresses && addresses.length > 0) id += `:${[...addresses].sort().join(',')}`
  return id
}
