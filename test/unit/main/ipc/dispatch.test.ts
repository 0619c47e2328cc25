import { describe, expect, it } from 'vitest'
import { CoreError } from '../../../../main/core/core-errors.ts'
import { ConnectorError } from '../../../../main/connectors/connector-error.ts'
import { dispatch } from '../../../../main/ipc/dispatch.ts'
import type { Handlers } from '../../../../main/ipc/handlers.ts'

function handlersWith(overrides: Partial<Record<keyof Handlers, (request: unknown) => unknown>>): Handlers {
  return new Proxy({} as Handlers, {
    get: (_target, key: string) => overrides[key as keyof Handlers] ?? (() => ({ ok: 'default' })),
  })
}

describe('dispatch', () => {
  it('refuses an unknown channel without calling anything', async () => {
    const result = await dispatch(handlersWith({}), 'fs:read', {})
    expect(result).toEqual({ ok: false, error: { code: 'invalid-request', message: 'Unknown request "fs:read".' } })
  })

  it('parses the request from unknown and names the wrong field', async () => {
    const result = await dispatch(handlersWith({}), 'integrations:set-enabled', { id: 'x', enabled: 'yes' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toMatch(/^Invalid request: enabled: /)
  })

  it('hands the parsed request (with defaults) to the handler', async () => {
    let seen: unknown
    await dispatch(handlersWith({ 'runs:list': (request) => ((seen = request), []) }), 'runs:list', {})
    expect(seen).toEqual({ offset: 0, limit: 100 })
  })

  it('returns core and connector errors as data with their message', async () => {
    const core = await dispatch(handlersWith({ 'status:get': () => { throw new CoreError('busy', 'A sync is already running.') } }), 'status:get', {})
    expect(core).toEqual({ ok: false, error: { code: 'busy', message: 'A sync is already running.' } })
    const connector = await dispatch(handlersWith({ 'status:get': () => { throw new ConnectorError('credentials', 'The bind password was refused.') } }), 'status:get', {})
    expect(connector).toEqual({ ok: false, error: { code: 'connector', message: 'The bind password was refused.' } })
  })

  it('reports an unexpected error generically, never its stack, and tells the caller to log it', async () => {
    const logged: unknown[] = []
    const result = await dispatch(handlersWith({ 'status:get': () => { throw new Error('SQLITE_CORRUPT at /secret/path.ts:12') } }), 'status:get', {}, (e) => logged.push(e))
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('internal')
      expect(result.error.message).not.toMatch(/SQLITE|\.ts/)
    }
    expect(logged).toHaveLength(1)
  })
})
