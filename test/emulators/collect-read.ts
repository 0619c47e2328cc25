import type { DirectoryGroup, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import type { DirectoryConnector, ReadOptions, ReadSummary } from '../../main/connectors/directory-connector.ts'

/** Everything one `read()` streamed, gathered for assertions. */
export interface CollectedRead {
  readonly users: DirectoryUser[]
  readonly groups: DirectoryGroup[]
  readonly deletedUserIds: string[]
  readonly deletedGroupIds: string[]
  readonly batches: number
  readonly summary: ReadSummary
}

export async function collectRead(connector: DirectoryConnector, options: Partial<ReadOptions> = {}): Promise<CollectedRead> {
  const generator = connector.read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal, ...options })
  const out = { users: [] as DirectoryUser[], groups: [] as DirectoryGroup[], deletedUserIds: [] as string[], deletedGroupIds: [] as string[], batches: 0 }
  for (;;) {
    const step = await generator.next()
    if (step.done) return { ...out, summary: step.value }
    out.batches++
    const batch = step.value
    if (batch.kind === 'users') out.users.push(...batch.users)
    else if (batch.kind === 'groups') out.groups.push(...batch.groups)
    else {
      out.deletedUserIds.push(...batch.userIds)
      out.deletedGroupIds.push(...batch.groupIds)
    }
  }
}
