/** One user as a directory presents it (already mapped from the vendor's shape). */
export interface DirectoryUser {
  /** Stable id in the source: objectGUID, entryUUID, Graph id, Google id, or the DN for files. */
  readonly externalId: string
  /** Lower-cased primary SMTP address. */
  readonly primaryAddress: string
  /** Lower-cased alias addresses, without the primary. */
  readonly aliases: readonly string[]
  readonly displayName: string
  readonly enabled: boolean
  readonly attributes: Readonly<Record<string, string>>
}

/** One group; `memberIds` are user externalIds, already flattened through nested groups. */
export interface DirectoryGroup {
  readonly externalId: string
  readonly name: string
  readonly address: string | null
  /** Lower-cased alias addresses of the group, without `address` (Entra smtp: proxy addresses, Google aliases). Absent: none. */
  readonly aliases?: readonly string[]
  readonly memberIds: readonly string[]
}

export interface DirectorySnapshotData {
  readonly users: readonly DirectoryUser[]
  readonly groups: readonly DirectoryGroup[]
}
