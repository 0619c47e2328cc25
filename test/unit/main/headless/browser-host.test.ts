import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../../main/core/dirsync-core.ts'
import { openCore } from '../../../../main/core/open-core.ts'
import { startBrowserHost, type BrowserHost } from '../../../../main/headless/browser-host.ts'
import { createHandlers } from '../../../../main/ipc/handlers.ts'
import { send } from '../../../helpers/http-send.ts'


describe('the browser host', () => {
  const token = 'test-token-0123456789'
  let dir: string
  let core: Core
  let host: BrowserHost
  let cookie = ''
  let pageToken = ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-host-'))
    const renderer = join(dir, 'renderer')
    mkdirSync(renderer)
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>console</title>')
    core = await openCore({ dataDir: join(dir, 'data'), demo: true })
    host = await startBrowserHost({ handlers: createHandlers(core, { version: 'test', dataDir: dir, host: 'browser', demo: true }), rendererDir: renderer, token, port: 0 })
    const login = await send(host.port, `/?token=${token}`)
    cookie = String(login.headers['set-cookie']).split(';')[0] ?? ''
    pageToken = /name="dirsync-page-token" content="([\w-]+)"/.exec((await send(host.port, '/', { headers: { cookie } })).body)?.[1] ?? ''
  })
  afterAll(async () => {
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const invoke = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    send(host.port, `/api/invoke/${channel}`, { method: 'POST', headers: { cookie, 'x-dirsync-request': '1', 'x-dirsync-page': pageToken, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

  it('prints a loopback URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${token}`)
  })

  it('trades the right token for an HttpOnly, SameSite=Strict session cookie', () => {
    expect(cookie).toMatch(new RegExp(`^dirsync_session_${host.port}=`))
  })

  it('answers a wrong token with 401 and a plain message', async () => {
    const reply = await send(host.port, '/?token=wrong')
    expect(reply.status).toBe(401)
    expect(reply.body).toMatch(/wrong or old access token/)
  })

  it('refuses API calls without a session with 401', async () => {
    const reply = await send(host.port, '/api/invoke/integrations:list', { method: 'POST', headers: { 'x-dirsync-request': '1' }, body: '{}' })
    expect(reply.status).toBe(401)
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
  })

  it('serves the console page with a strict CSP once signed in', async () => {
    const reply = await send(host.port, '/', { headers: { cookie } })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'")
    expect(reply.headers['content-security-policy']).not.toContain('unsafe-eval')
  })

  it('carries the contract: lists the demo integration', async () => {
    const reply = await invoke('integrations:list', {})
    expect(reply.status).toBe(200)
    const result = JSON.parse(reply.body) as { ok: boolean; value: Array<{ name: string }> }
    expect(result.ok).toBe(true)
    expect(result.value.map((i) => i.name)).toEqual(['Sample directory'])
  })

  it('answers an invalid payload with 400 and says which field is wrong', async () => {
    const reply = await invoke('integrations:create', { name: '', config: { type: 'ldif-file', settings: {} } })
    expect(reply.status).toBe(400)
    const result = JSON.parse(reply.body) as { ok: false; error: { code: string; message: string } }
    expect(result.error.code).toBe('invalid-request')
    expect(result.error.message).toMatch(/name: enter a name/)
    expect(result.error.message).not.toMatch(/at .*\.ts/)
  })

  it('answers a body that is not JSON with 400', async () => {
    const reply = await send(host.port, '/api/invoke/status:get', { method: 'POST', headers: { cookie, 'x-dirsync-request': '1', 'x-dirsync-page': pageToken }, body: '{not json' })
    expect(reply.status).toBe(400)
    expect(reply.body).toMatch(/not valid JSON/)
  })

  it('answers an unknown channel with a plain error', async () => {
    const reply = await invoke('shell:exec', {})
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })

  it('refuses a call without the console header (CSRF) with 403', async () => {
    const reply = await send(host.port, '/api/invoke/status:get', { method: 'POST', headers: { cookie, 'x-dirsync-page': pageToken }, body: '{}' })
    expect(reply.status).toBe(403)
  })

  it('refuses a call from another origin with 403', async () => {
    const reply = await invoke('status:get', {}, { origin: 'https://evil.example' })
    expect(reply.status).toBe(403)
  })

  it('refuses a request for another host name (DNS rebinding) with 421', async () => {
    const reply = await send(host.port, '/', { headers: { cookie, host: `attacker.example:${host.port}` } })
    expect(reply.status).toBe(421)
  })

  it('accepts the token as a bearer header for scripts', async () => {
    const reply = await send(host.port, '/api/invoke/status:get', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-dirsync-request': '1' }, body: '{}' })
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true })
  })

  it('pushes events to the page as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?page=${pageToken}`, headers: { host: `127.0.0.1:${host.port}`, cookie } }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.includes('event: state:changed')) {
            req.destroy()
            resolve(text)
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    host.broadcast('state:changed', { reason: 'test' })
    expect(await received).toContain('data: {"reason":"test"}')
  })

  it('refuses to listen on a non-loopback address without TLS and --allow-remote', async () => {
    await expect(startBrowserHost({ handlers: createHandlers(core, { version: 't', dataDir: dir, host: 'browser', demo: false }), rendererDir: dir, token, host: '0.0.0.0' })).rejects.toThrow(/loopback only/)
  })

  it('rate-limits wrong tokens per address: after ten failures in a minute it answers 429, yet the right token still signs in', async () => {
    for (let i = 0; i < 10; i++) await send(host.port, '/?token=nope')
    expect((await send(host.port, '/?token=nope')).status).toBe(429)
    expect((await send(host.port, `/?token=${token}`)).status).toBe(302)
  })
})
