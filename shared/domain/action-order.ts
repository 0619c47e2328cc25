import { ACTION_KIND_TABLE, type ActionKind, type SyncAction } from './sync-action.ts'

/** Code-unit order, as `<` compares (the order every plan sorts its keys in). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The table's apply order, then target, member and id: a deterministic plan. */
export function compareActions(a: SyncAction, b: SyncAction): number {
  return ACTION_KIND_TABLE[a.kind].order - ACTION_KIND_TABLE[b.kind].order || compareStrings(a.target, b.target) || compareStrings(a.member ?? '', b.member ?? '') || compareStrings(a.id, b.id)
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
