/**
 * What a promoted read changed in one integration's current snapshot — the contract between the
 * snapshot store (which knows what it wrote) and dirty-set planning (which plans only that).
 *
 * `users` / `groups`: external ids of the integration's users and groups that were added,
 * changed or removed by the promotion (a group whose name, address, aliases or member list
 * changed is in `groups`; a user whose membership changed need not be in `users`).
 * `everything`: the change cannot be bounded (a first read, a snapshot replaced wholesale, a
 * scope change): plan the whole account.
 */
export interface SnapshotDelta {
  readonly everything: boolean
  readonly users: readonly string[]
  readonly groups: readonly string[]
}

/** The delta that bounds nothing: plan everything. */
export const EVERYTHING_CHANGED: SnapshotDelta = { everything: true, users: [], groups: [] }
