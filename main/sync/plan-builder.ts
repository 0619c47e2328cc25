import type { SyncAction } from '../../shared/domain/sync-action.ts'
import { actionId, compareActions } from '../../shared/domain/action-order.ts'
import { planOf, type Plan, type SourceLinks } from '../model/plan-types.ts'
import { ActionSequence } from '../model/action-sequence.ts'
import { MemberAdditionsBuilder } from '../model/member-additions.ts'
import { UserCreation } from '../model/user-creation.ts'

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer E> ? E[] : T[K] }

/** What the planning steps write into: actions (ids filled in), source links and conflicts. */
export class PlanBuilder {
  readonly actions: SyncAction[] = []
  readonly links: Mutable<SourceLinks> = { users: [], groups: [], memberships: [] }
  readonly conflicts: string[]
  readonly #additions: MemberAdditionsBuilder

  /** `members`: the numbers `addMember` names members by are below it; `additions`: at most about this many add-members. */
  constructor(conflicts: readonly string[], members: number, additions = 0) {
    this.conflicts = [...conflicts]
    this.#additions = new MemberAdditionsBuilder(members, additions)
  }

  push(action: Omit<SyncAction, 'id'> & { id?: string }): void {
    this.actions.push({ ...action, id: action.id ?? actionId(action.kind, action.target, action.member, action.addresses) })
  }

  /** A create-user, one per user on a first sync: compact (see UserCreation). */
  createUser(user: ConstructorParameters<typeof UserCreation>[0], addresses: string[], integrationIds: readonly string[], disabled: boolean): void {
    this.actions.push(new UserCreation(user, addresses, integrationIds, disabled))
  }

  /** An add-member, the one kind a first sync plans by the million: kept as columns (see MemberAdditions). */
  addMember(groupKey: string, groupName: string, number: number, member: string, integrationIds: readonly string[]): void {
    this.#additions.add(groupKey, groupName, number, member, integrationIds)
  }

  finish(ignored: Plan['ignored']): Plan {
    this.actions.sort(compareActions)
    return planOf(new ActionSequence(this.actions, this.#additions.finish()), this.links, ignored, this.conflicts)
  }
}
