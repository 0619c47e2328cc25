import { actionId } from '../../shared/domain/action-order.ts'
import { createUserDetail } from '../../shared/domain/action-detail.ts'
import type { ActionKind, SyncAction } from '../../shared/domain/sync-action.ts'
import type { JournalState } from '../../shared/domain/journal.ts'
import { MemberAddition } from '../model/member-addition.ts'
import { UserCreation } from '../model/user-creation.ts'

/**
 * A journal row's `change` column: only what cannot be derived from its kind, target and member.
 * Packing and unpacking are side by side here, so a value is left out only where the reader
 * derives it back the same way. Rows written by earlier versions (which stored more: a
 * create-user's id, detail and its address list twice, ~580 bytes) read the same: a stored value
 * always wins over a derived one.
 */
interface ChangeColumn {
  id?: string
  detail?: string
  addresses?: readonly string[]
  /** A created user's addresses but its primary (the target), when they are sorted and include it. */
  aliases?: readonly string[]
  before?: JournalState | null
  after?: JournalState | null
}

/** What a row's change column says, with everything derivable derived. */
export interface UnpackedChange {
  readonly actionId: string
  readonly detail: string
  readonly before: JournalState | null
  readonly after: JournalState | null
}

const sameList = (a: unknown, b: readonly string[]): boolean => Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i])

/** The detail a reader derives for a row that stores none. */
function derivedDetail(kind: ActionKind, target: string, member: string | undefined, addresses: readonly string[] | undefined, after: JournalState | null | undefined): string | null {
  if (kind === 'create-user') {
    const displayName = after?.['displayName']
    return typeof displayName === 'string' ? createUserDetail(displayName, target, (addresses ?? [target]).length, after?.['status'] === 'disabled') : null
  }
  // Memberships (a compact add-member carries no detail text of its own).
  return `${member ?? ''} → ${target}`
}

/** The change column for one journalled action, or null when every part of it can be derived. */
export function packChange(action: SyncAction, before: JournalState | null, after: JournalState | null): string | null {
  // A compact add-member's id is derived by construction, and its detail is the default one.
  if (action instanceof MemberAddition) return null
  // A compact create-user derives its id and detail by the rules the reader uses (no need to
  // build both texts to compare them, 100k times on a first sync).
  const derived = action instanceof UserCreation
  const change: ChangeColumn = {}
  if (!derived && action.id !== actionId(action.kind, action.target, action.member, action.addresses)) change.id = action.id
  if (action.addresses) {
    const list = action.addresses
    const sorted = list.every((address, i) => i === 0 || (list[i - 1] ?? '') < address)
    if (action.kind === 'create-user' && sorted && list.includes(action.target)) change.aliases = list.filter((address) => address !== action.target)
    else change.addresses = list
  }
  if (before) change.before = before
  if (after) {
    // A created user's addresses are its after-state: kept once.
    const { addresses, ...rest } = after
    change.after = action.kind === 'create-user' && action.addresses && sameList(addresses, action.addresses) ? rest : after
  }
  if (!derived && action.kind !== 'add-member' && action.detail !== derivedDetail(action.kind, action.target, action.member, action.addresses, after)) change.detail = action.detail
  return Object.keys(change).length > 0 ? JSON.stringify(change) : null
}

/** The stored column read back; a value the column lacks is derived as packChange left it out. */
export function unpackChange(kind: ActionKind, target: string, member: string | undefined, column: string | null): UnpackedChange {
  const change = column ? (JSON.parse(column) as ChangeColumn) : {}
  const addresses = change.addresses ?? (change.aliases ? [target, ...change.aliases].sort() : undefined)
  let after = change.after ?? null
  if (kind === 'create-user' && after && addresses && !('addresses' in after)) after = { ...after, addresses }
  return {
    actionId: change.id ?? actionId(kind, target, member, addresses),
    detail: change.detail ?? derivedDetail(kind, target, member, addresses, after) ?? '',
    before: change.before ?? null,
    after,
  }
}
