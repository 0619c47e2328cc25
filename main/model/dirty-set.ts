/**
 * What a dirty-set plan must decide again, as the store's subset loader reads it
 * (plan-subset-loader.ts). Everything the planner's rules need to decide these objects — every
 * user connected to them by an address in any snapshot or the account, their groups' rows — is
 * read with them; the planner then runs unchanged on that restricted input.
 */
export interface DirtySet {
  /**
   * Addresses whose users must be re-planned (in every snapshot and the account). `true`: the
   * set of users connected to it may have changed (an address added, removed or moved, a user
   * appeared or vanished), so their memberships in every group are re-planned too.
   */
  readonly addresses: ReadonlyMap<string, boolean>
  /** Group keys (address, or `integrationId:externalId`) re-planned as a whole: the group and all its members. */
  readonly groups: ReadonlySet<string>
  /** Group keys whose group-level actions only are re-planned (a held group deletion). */
  readonly groupRows: ReadonlySet<string>
  /** Single memberships re-planned: [group key, member address] (a held removal). */
  readonly memberships: ReadonlyArray<readonly [group: string, member: string]>
}

export function isEmptyDirtySet(set: DirtySet): boolean {
  return set.addresses.size === 0 && set.groups.size === 0 && set.groupRows.size === 0 && set.memberships.length === 0
}
