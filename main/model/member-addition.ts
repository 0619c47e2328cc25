import { actionId } from '../../shared/domain/action-order.ts'
import type { SyncAction } from '../../shared/domain/sync-action.ts'

/**
 * An add-member action, compact: a first sync plans one per membership (1.2M at 100k users), and
 * as plain objects with their id and detail texts they took ~290 bytes each. This one holds four
 * references (the group key, name and member are strings the plan holds anyway; the source list
 * is the planner's interned array) and derives `id` and `detail` when asked, with the same values
 * `PlanBuilder.push` would have given. Getters live on the prototype, so a spread or a structured
 * clone would lose them: anything that leaves the process goes through `plainAction` (or
 * JSON.stringify, which uses `toJSON`).
 */
export class MemberAddition implements SyncAction {
  readonly kind = 'add-member' as const
  readonly target: string
  readonly member: string
  readonly integrationIds: string[]
  readonly #groupName: string
  readonly #memberNumber: number

  constructor(groupKey: string, groupName: string, member: string, integrationIds: readonly string[], memberNumber = -1) {
    this.target = groupKey
    this.member = member
    this.#memberNumber = memberNumber
    this.#groupName = groupName
    // Shared and frozen: nothing mutates an action's attribution (a write would throw, not corrupt).
    this.integrationIds = integrationIds as string[]
  }

  /**
   * The number the plan knows the member by (the same for every addition of one member within a
   * plan; -1 when not known): the applier looks a member's ids up once per member by it, not once
   * per membership by address (store/member-memo.ts). Not part of the action: a getter, so two
   * plans that number members differently still give equal actions.
   */
  get memberNumber(): number {
    return this.#memberNumber
  }

  get id(): string {
    return actionId('add-member', this.target, this.member)
  }

  get detail(): string {
    return `${this.member} → ${this.#groupName}`
  }

  toJSON(): SyncAction {
    return plainAction(this)
  }
}

/** The action as a plain object with every field its own (for IPC, structured clones and spreads): compact actions (MemberAddition, UserCreation) derive some on their prototype. */
export function plainAction(action: SyncAction): SyncAction {
  if (Object.getPrototypeOf(action) === Object.prototype) return action
  return {
    id: action.id,
    kind: action.kind,
    target: action.target,
    ...(action.member === undefined ? {} : { member: action.member }),
    ...(action.addresses === undefined ? {} : { addresses: [...action.addresses] }),
    detail: action.detail,
    integrationIds: [...action.integrationIds],
    ...(action.payload === undefined ? {} : { payload: action.payload }),
  }
}
