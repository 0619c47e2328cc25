import type { DirectoryGroup, DirectorySnapshotData } from '../../shared/domain/directory-snapshot.ts'
import { isIndexedSnapshot, type IndexedDirectoryGroup } from '../model/indexed-snapshot.ts'

/**
 * For one snapshot: which desired user each of its users was filed under (-1: none, e.g. out of
 * scope or in conflict), and so which desired user each group member is. A snapshot loaded by
 * the store carries members as row positions, so this is an Int32Array indexed by row; any other
 * snapshot (built by hand, in tests) is resolved through its external ids, as before.
 */
export class SnapshotRowKeys {
  readonly #byRow: Int32Array | null
  readonly #byExternalId: Map<string, number> | null
  #shared = false

  constructor(snapshot: DirectorySnapshotData) {
    const indexed = isIndexedSnapshot(snapshot)
    this.#byRow = indexed ? new Int32Array(snapshot.users.length).fill(-1) : null
    this.#byExternalId = indexed ? null : new Map<string, number>()
  }

  /** Records that the user at `row` was filed under desired user `number`; `again`: another row of this snapshot was too. */
  file(row: number, externalId: string, number: number, again: boolean): void {
    if (again) this.#shared = true
    if (this.#byRow) this.#byRow[row] = number
    else this.#byExternalId?.set(externalId, number)
  }

  /**
   * Whether a group's members map to distinct desired users without checking: rows are distinct
   * (the snapshot's primary key) and no two rows were filed under one user.
   */
  get distinctMembers(): boolean {
    return this.#byRow !== null && !this.#shared
  }

  /** How many members `group` lists (an upper bound on what it contributes). */
  memberCount(group: DirectoryGroup): number {
    return this.#byRow ? (group as IndexedDirectoryGroup).memberRows.length : group.memberIds.length
  }

  /** Appends the desired users of `group`'s filed members to `into` from `start`; returns the new length. Only when `distinctMembers`. */
  copyMembers(group: DirectoryGroup, into: Int32Array, start: number): number {
    let count = start
    const byRow = this.#byRow as Int32Array
    for (const row of (group as IndexedDirectoryGroup).memberRows) {
      const number = byRow[row] ?? -1
      if (number >= 0) into[count++] = number
    }
    return count
  }

  ofRow(row: number, externalId: string): number {
    if (this.#byRow) return this.#byRow[row] ?? -1
    return this.#byExternalId?.get(externalId) ?? -1
  }

  /** Calls `visit` with the desired user of each member that was filed, in member order. */
  forEachMember(group: DirectoryGroup, visit: (number: number) => void): void {
    if (this.#byRow) {
      // An indexed snapshot's groups are indexed groups (IndexedSnapshotData says so).
      for (const row of (group as IndexedDirectoryGroup).memberRows) {
        const number = this.#byRow[row] ?? -1
        if (number >= 0) visit(number)
      }
      return
    }
    for (const id of group.memberIds) {
      const number = this.#byExternalId?.get(id)
      if (number !== undefined) visit(number)
    }
  }
}
