import { Worker } from 'node:worker_threads'
import { ConnectorError } from '../connector-error.ts'
import type { GroupWorkerMessage } from './group-worker-protocol.ts'
import { type GroupReadRequest, type GroupReadResult, readGroups } from './read-groups.ts'

/**
 * Where the worker script is. Running from source (Node strips the types) it is the .ts file
 * beside this one; the Electron bundle has it as a separate entry and sets the bundled path at
 * start-up (main/index.ts).
 */
let workerUrl: URL | string = new URL('./group-read-worker.ts', import.meta.url)

const WORKER_YOUNG_GENERATION_MB = 8

export function setGroupReadWorkerUrl(url: URL | string): void {
  workerUrl = url
}

export interface GroupReadHandle {
  /** Settles when the groups have been read (or the read failed or was cancelled). */
  readonly result: Promise<GroupReadResult>
  /** The failure, as soon as it is known (so the user half can stop early). */
  readonly failure: ConnectorError | null
  /** Where the read runs: 'worker' once the worker thread has started, 'main-thread' after a fallback. */
  readonly runsIn: 'starting' | 'worker' | 'main-thread'
  /** Stops the group read (terminates the worker); idempotent. */
  cancel(): void
}

/**
 * Starts reading the groups beside the user search: in a worker thread, so that decoding ~1.2M
 * member values and numbering their DNs (a 100k-user directory) uses the second core while the
 * main thread decodes and maps the users — the read then takes about as long as the longer half
 * instead of both. Where no worker can be started (its script missing from a build), the same
 * read runs on the main thread, concurrently with the users on its own connection.
 */
export function startGroupRead(request: GroupReadRequest, signal: AbortSignal, onProgress?: (groups: number) => void): GroupReadHandle {
  const local = new AbortController()
  const abort = () => local.abort()
  signal.addEventListener('abort', abort, { once: true })
  let failure: ConnectorError | null = null
  let worker: Worker | null = null
  let runsIn: GroupReadHandle['runsIn'] = 'starting'

  const result = new Promise<GroupReadResult>((resolve, reject) => {
    let settled = false
    const settle = (outcome: { value: GroupReadResult } | { error: ConnectorError }) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', abort)
      void worker?.terminate()
      if ('value' in outcome) resolve(outcome.value)
      else {
        failure = outcome.error
        reject(outcome.error)
      }
    }
    const inThread = () => {
      runsIn = 'main-thread'
      readGroups(request, local.signal, onProgress).then(
        (value) => settle({ value }),
        (error: unknown) => settle({ error: error instanceof ConnectorError ? error : new ConnectorError('incomplete-read', `The group read failed: ${String(error)}`, { retryable: true }) }),
      )
    }
    local.signal.addEventListener('abort', () => settle({ error: new ConnectorError('cancelled', 'The read was cancelled.') }), { once: true })
    if (local.signal.aborted) return settle({ error: new ConnectorError('cancelled', 'The read was cancelled.') })

    let ready = false
    try {
      // A small young generation: the worker's garbage is member strings that die within a page,
      // and V8's default (tens of MB per isolate, sized for a main thread) would add that much to
      // the process for nothing. The old generation is left unbounded: a huge directory must not
      // turn into an out-of-memory failure.
      worker = new Worker(workerUrl, { workerData: request, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } })
    } catch {
      inThread()
      return
    }
    worker.on('message', (message: GroupWorkerMessage) => {
      switch (message.kind) {
        case 'ready':
          ready = true
          runsIn = 'worker'
          break
        case 'progress':
          onProgress?.(message.groups)
          break
        case 'done':
          settle({ value: message.result })
          break
        case 'failed':
          settle({ error: new ConnectorError(message.code, message.message, { retryable: message.retryable }) })
          break
      }
    })
    worker.on('error', (error: Error) => {
      if (!ready) {
        // The worker could not even load its modules: read on this thread instead.
        worker = null
        if (!settled) inThread()
        return
      }
      settle({ error: new ConnectorError('incomplete-read', `The group read stopped: ${error.message}. The read is incomplete and was discarded.`, { retryable: true }) })
    })
    worker.on('exit', (code) => {
      if (ready) settle({ error: new ConnectorError('incomplete-read', `The group read stopped unexpectedly (exit code ${code}). The read is incomplete and was discarded.`, { retryable: true }) })
    })
  })
  // Awaited later (after the users); until then a failure must not count as unhandled.
  result.catch(() => undefined)
  return {
    result,
    get failure() {
      return failure
    },
    get runsIn() {
      return runsIn
    },
    cancel: () => local.abort(),
  }
}
