// Worker thread: reads the groups of a full LDAP read on a connection of its own, while the main
// thread reads the users (see parallel-group-read.ts). Its input is a GroupReadRequest in
// workerData; it answers with GroupWorkerMessages.
import { parentPort, workerData } from 'node:worker_threads'
import { ConnectorError } from '../connector-error.ts'
import type { GroupWorkerMessage } from './group-worker-protocol.ts'
import { type GroupReadRequest, readGroups } from './read-groups.ts'

const port = parentPort
if (!port) throw new Error('group-read-worker.ts runs as a worker thread')
const post = (message: GroupWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)
post({ kind: 'ready' })

try {
  const result = await readGroups(workerData as GroupReadRequest, new AbortController().signal, (groups) => post({ kind: 'progress', groups }))
  post({ kind: 'done', result }, [result.collected.members.buffer as ArrayBuffer, result.collected.memberOffsets.buffer as ArrayBuffer, result.collected.uidOffsets.buffer as ArrayBuffer])
} catch (error) {
  const failure = error instanceof ConnectorError ? error : new ConnectorError('incomplete-read', `The group read failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true })
  post({ kind: 'failed', code: failure.code, message: failure.message, retryable: failure.retryable })
}
