import type { DirectoryGroup, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import type { DirectoryConnector, KnownIds, ReadSummary } from '../connectors/directory-connector.ts'
import type { IntegrationRecord } from '../store/integration-store.ts'

/** Where a read's batches go: the sync stages them, the preview keeps them in memory. */
export interface ReadSink {
  users(users: readonly DirectoryUser[]): void
  groups(groups: readonly DirectoryGroup[], memberPositions?: readonly Int32Array[]): void
  deleted(userIds: readonly string[], groupIds: readonly string[]): void
}

export interface ReadLoopOptions {
  readonly signal: AbortSignal
  /** The connector's own progress (objects so far, its phase). */
  readonly onConnectorProgress: (objectsRead: number, phase: string) => void
  /** After each batch: how many users and groups were read so far. */
  readonly onBatch: (objectsRead: number) => void
}

/**
 * Reads one integration to its end, handing each batch to `sink`, and returns how the read went.
 * The rule shared by the sync and its preview: the read is incremental from the stored cursor only
 * when there is a snapshot to build on (`known`, the ids of the current snapshot); without one it
 * is a full read. Connector failures are thrown as they come.
 */
export async function readToEnd(connector: DirectoryConnector, record: IntegrationRecord, known: (() => KnownIds) | null, sink: ReadSink, options: ReadLoopOptions): Promise<ReadSummary> {
  const generator = connector.read({
    cursor: known ? record.cursor : null,
    incrementalRunsSinceFull: record.incrementalRuns,
    signal: options.signal,
    onProgress: options.onConnectorProgress,
    knownIds: known ?? undefined,
  })
  let read = 0
  for (;;) {
    const step = await generator.next()
    if (step.done) return step.value
    const batch = step.value
    if (batch.kind === 'users') {
      sink.users(batch.users)
      read += batch.users.length
    } else if (batch.kind === 'groups') {
      sink.groups(batch.groups, batch.memberPositions)
      read += batch.groups.length
    } else sink.deleted(batch.userIds, batch.groupIds)
    options.onBatch(read)
  }
}
