import type { SyncAction } from '../../shared/domain/sync-action.ts'
import { actionId, compareActions } from '../../shared/domain/action-order.ts'
import type { Plan, SourceLinks } from '../model/plan-types.ts'
import { MemberAddition } from '../model/member-addition.ts'

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer E> ? E[] : T[K] }

/** What the planning steps write into: actions (ids filled in), source links and conflicts. */
export class PlanBuilder {
  readonly actions: SyncAction[] = []
  readonly links: Mutable<SourceLinks> = { users: [], groups: [], memberships: [] }
  readonly conflicts: string[]

  constructor(conflicts: readonly string[]) {
    this.conflicts = [...conflicts]
  }

  push(action: Omit<SyncAction, 'id'> & { id?: string }): void {
    this.actions.push({ ...action, id: action.id ?? actionId(action.kind, action.target, action.member, action.addresses) })
  }

  /** An add-member, the one kind a first sync plans by the million: compact (see MemberAddition). */
  addMember(groupKey: string, groupName: string, member: string, integrationIds: readonly string[]): void {
    this.actions.push(new MemberAddition(groupKey, groupName, member, integrationIds))
  }

  finish(ignored: Plan['ignored']): Plan {
    this.actions.sort(compareActions)
    return { actions: this.actions, links: this.links, ignored, conflicts: this.conflicts }
  }
}
