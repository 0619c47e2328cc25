import type { ConnectionStep } from '../../shared/domain/connection-test.ts'
import type { DirectoryGroup, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'

/**
 * A page of what a directory holds, streamed as it is read. Incremental reads also send
 * `deleted` batches (externalIds gone since the cursor, or no longer in scope); full reads never
 * do. A deleted user leaves every group of the snapshot: groups are not sent again for it.
 */
export type ReadBatch =
  | { readonly kind: 'users'; readonly users: readonly DirectoryUser[] }
  | {
      readonly kind: 'groups'
      readonly groups: readonly DirectoryGroup[]
      /**
       * Optional, from a read that hands on all its users before any group (the LDAP full read):
       * per group, its members' positions among the users this read handed on (0: the first), in
       * `memberIds` order. A store numbers the members by position instead of looking each id up.
       */
      readonly memberPositions?: readonly Int32Array[]
    }
  | { readonly kind: 'deleted'; readonly userIds: readonly string[]; readonly groupIds: readonly string[] }

/** How the read went. Throw a ConnectorError instead when it failed or ended early. */
export interface ReadSummary {
  readonly mode: 'full' | 'incremental'
  /** Why this mode, in plain language ("first read", "cursor expired (410 Gone)", "DC changed"…). */
  readonly modeReason: string
  /** Opaque cursor for the next incremental read; null when the source has none. */
  readonly cursor: string | null
  /** Non-fatal findings worth showing (skipped entries, ignored referrals…). */
  readonly warnings: readonly string[]
  /** True when the directory refused the cursor it was given (so this read started over): a read rejected later must not keep that cursor. */
  readonly cursorRejected?: boolean
}

export interface ReadOptions {
  /** Cursor from the last complete read; absent → full read. */
  readonly cursor: string | null
  /** How many incremental reads happened since the last full one (connectors force a full read periodically). */
  readonly incrementalRunsSinceFull: number
  readonly signal: AbortSignal
  /** Called as objects arrive; used for progress events. */
  readonly onProgress?: (objectsRead: number, phase: string) => void
  /**
   * The external ids of the snapshot an incremental read builds on. A connector whose directory
   * does not report deletions to this bind account (LDAP, Domino, AD without access to the
   * tombstones) enumerates the ids in scope and reports the missing ones as deleted. Absent: such
   * a connector finds deletions only at full reads (and says so in its warnings).
   */
  readonly knownIds?: () => KnownIds
}

export interface KnownIds {
  readonly users: readonly string[]
  readonly groups: readonly string[]
}

export interface DirectoryConnector {
  /** Runs the ladder (DNS → TCP → TLS → bind/token → base read → sample query → large group), reporting each step as it ends. */
  testConnection(signal: AbortSignal, onStep: (step: ConnectionStep) => void): Promise<readonly ConnectionStep[]>
  /** Streams the directory. The generator's return value says how the read went. */
  read(options: ReadOptions): AsyncGenerator<ReadBatch, ReadSummary, void>
}
