import type { ConnectorErrorCode } from '../connector-error.ts'
import type { GroupReadResult } from './read-groups.ts'

/** Messages from the group-read worker thread to the main thread. */
export type GroupWorkerMessage =
  /** The worker's modules loaded: from here on a failure is the read's, not the worker's set-up. */
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly groups: number }
  | { readonly kind: 'done'; readonly result: GroupReadResult }
  | { readonly kind: 'failed'; readonly code: ConnectorErrorCode; readonly message: string; readonly retryable: boolean }
