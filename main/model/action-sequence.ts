import { ACTION_KIND_TABLE, type ActionKind, type SyncAction } from '../../shared/domain/sync-action.ts'
import { NO_ADDITIONS, type MemberAdditions } from './member-additions.ts'

const ADD_MEMBER_ORDER = ACTION_KIND_TABLE['add-member'].order

/**
 * Actions in apply order, the add-members kept compact (MemberAdditions): what the planner
 * returns, the gate lets through and the applier walks. Walking it yields every action in order —
 * the other kinds before add-member in the table's order, the add-members, then the rest.
 */
export class ActionSequence implements Iterable<SyncAction> {
  /** Every action but the compact add-members, in order. */
  readonly others: readonly SyncAction[]
  readonly additions: MemberAdditions
  /** Where in `others` the kinds that apply after add-member start. */
  readonly #split: number

  /** `others` in apply order when there are `additions` (an array alone is walked as it is). */
  constructor(others: readonly SyncAction[], additions: MemberAdditions = NO_ADDITIONS) {
    this.others = others
    this.additions = additions
    let split = 0
    if (additions.length > 0) while (split < others.length && ACTION_KIND_TABLE[(others[split] as SyncAction).kind].order <= ADD_MEMBER_ORDER) split++
    this.#split = split
  }

  get length(): number {
    return this.others.length + this.additions.length
  }

  *[Symbol.iterator](): Iterator<SyncAction> {
    for (let i = 0; i < this.#split; i++) yield this.others[i] as SyncAction
    yield* this.additions
    for (let i = this.#split; i < this.others.length; i++) yield this.others[i] as SyncAction
  }

  /** How many actions of each kind (without walking the add-members one by one). */
  countByKind(): Partial<Record<ActionKind, number>> {
    const counts: Partial<Record<ActionKind, number>> = {}
    // Keys in the order the kinds come (a run record lists them so).
    const count = (kind: ActionKind, n: number): void => void (counts[kind] = (counts[kind] ?? 0) + n)
    for (let i = 0; i < this.#split; i++) count((this.others[i] as SyncAction).kind, 1)
    if (this.additions.length > 0) count('add-member', this.additions.length)
    for (let i = this.#split; i < this.others.length; i++) count((this.others[i] as SyncAction).kind, 1)
    return counts
  }

  /** Every action as an array (previews, tests): a first sync's add-members become objects here. */
  toArray(): SyncAction[] {
    return [...this]
  }
}

export const NO_ACTIONS = new ActionSequence([])
