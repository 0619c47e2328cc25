import { createUserDetail } from '../../shared/domain/action-detail.ts'
import { actionId } from '../../shared/domain/action-order.ts'
import type { SyncAction } from '../../shared/domain/sync-action.ts'
import { plainAction } from './member-addition.ts'

/**
 * A create-user action, compact: a first sync plans one per user (100k; a million at the large
 * benchmark), and as plain objects each carried its own id and detail texts, a payload object and
 * a copy of its source list. This one refers to the user's data (display name and attributes are
 * the snapshot's, the source list is the planner's interned array) and derives `id`, `detail` and
 * `payload` when asked, with the values a plain action would have held. As MemberAddition: the
 * getters live on the prototype, so anything that leaves the process goes through `plainAction`
 * (or JSON.stringify, which uses `toJSON`).
 */
export class UserCreation implements SyncAction {
  readonly kind = 'create-user' as const
  readonly target: string
  readonly addresses: string[]
  readonly integrationIds: string[]
  readonly #displayName: string
  readonly #attributes: Readonly<Record<string, string>>
  readonly #disabled: boolean

  /** `addresses` sorted, the primary among them; `integrationIds` shared and frozen (nothing mutates an action's attribution). */
  constructor(user: { readonly address: string; readonly displayName: string; readonly attributes: Readonly<Record<string, string>> }, addresses: string[], integrationIds: readonly string[], disabled: boolean) {
    this.target = user.address
    this.addresses = addresses
    this.integrationIds = integrationIds as string[]
    this.#displayName = user.displayName
    this.#attributes = user.attributes
    this.#disabled = disabled
  }

  get id(): string {
    return actionId('create-user', this.target, undefined, this.addresses)
  }

  get detail(): string {
    return createUserDetail(this.#displayName, this.target, this.addresses.length, this.#disabled)
  }

  get payload(): Record<string, unknown> {
    return { displayName: this.#displayName, attributes: this.#attributes, status: this.#disabled ? 'disabled' : 'active' }
  }

  toJSON(): SyncAction {
    return plainAction(this)
  }
}
