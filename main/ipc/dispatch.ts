import type { z } from 'zod'
import { isIpcChannel } from '../../shared/ipc/channels.ts'
import { ipcContract } from '../../shared/ipc/contract.ts'
import { fail, ok, type IpcResult } from '../../shared/ipc/result.ts'
import { ConnectorError } from '../connectors/connector-error.ts'
import { CoreError } from '../core/core-errors.ts'
import { SecretStoreUnavailableError } from '../secrets/secret-store.ts'
import type { Handlers } from './handlers.ts'

/** "name: too long; config.settings.port: must be ≤ 65535" — the zod issues an admin can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

/**
 * The one door for every transport (Electron IPC, the browser host): the channel is checked,
 * the request parsed from `unknown` with the channel's schema, and every failure returned as
 * data with a plain message — never a stack trace. Unexpected errors are logged by the caller
 * (`onUnexpected`) and reported generically.
 */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown, onUnexpected: (error: unknown) => void = () => undefined): Promise<IpcResult<unknown>> {
  // typeof first: String() throws on some objects (a null prototype), and this door must never throw.
  if (!isIpcChannel(channel)) return fail('invalid-request', `Unknown request "${typeof channel === 'string' ? channel.slice(0, 60) : typeof channel}".`)
  const parsed = ipcContract[channel].request.safeParse(raw ?? {})
  if (!parsed.success) return fail('invalid-request', `Invalid request: ${describeIssues(parsed.error)}`)
  try {
    const handler = handlers[channel] as (request: unknown) => unknown
    return ok(await handler(parsed.data))
  } catch (error) {
    if (error instanceof CoreError) return fail(error.code, error.message)
    if (error instanceof ConnectorError) return fail('connector', error.message)
    if (error instanceof SecretStoreUnavailableError) return fail('forbidden', error.message)
    onUnexpected(error)
    return fail('internal', 'Something went wrong inside the sync service; the details are in its log.')
  }
}
