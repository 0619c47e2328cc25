import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { isIpcEvent, type IpcEvent } from '../../shared/ipc/channels.ts'
import type { IpcEventPayload } from '../../shared/ipc/contract.ts'
import { dispatch } from '../ipc/dispatch.ts'
import type { Handlers } from '../ipc/handlers.ts'
import { sameToken } from './access-token.ts'
import { readStatic } from './static-files.ts'

export interface BrowserHostOptions {
  readonly handlers: Handlers
  readonly rendererDir: string
  readonly token: string
  /** Default 127.0.0.1. Anything but loopback needs TLS and `allowRemote`. */
  readonly host?: string
  readonly port?: number
  readonly allowRemote?: boolean
  readonly tls?: { readonly cert: string; readonly key: string }
  readonly onUnexpected?: (error: unknown) => void
}

export interface BrowserHost {
  readonly url: string
  readonly port: number
  broadcast<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void
  close(): Promise<void>
}

const COOKIE = 'dirsync_session'
const MAX_BODY = 1_048_576
/** Failed token attempts allowed per minute before the host answers 429. */
const MAX_FAILURES_PER_MINUTE = 10
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

export class HostConfigError extends Error {}

/**
 * The console for browsers: the built renderer and the same typed contract over HTTP + SSE, on
 * loopback, behind a random token. Opening `/?token=…` trades the token for an HttpOnly,
 * SameSite=Strict session cookie; API calls need that cookie (or `Authorization: Bearer <token>`)
 * plus the `x-dirsync-request` header, and a matching Host/Origin — so neither another site
 * (CSRF, CORS) nor a rebinding DNS name can drive it.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopback(host) && !(options.allowRemote && options.tls)) {
    throw new HostConfigError(`Refusing to listen on ${host}: the browser host serves loopback only. To serve another address, give a TLS certificate and key and --allow-remote (or reach it through an SSH tunnel).`)
  }
  const sessions = new Set<string>()
  const streams = new Set<ServerResponse>()
  let failures: number[] = []
  let port = 0

  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
    ...extra,
  })

  function sendText(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, headers({ 'content-type': 'text/plain; charset=utf-8' }))
    res.end(text)
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, headers({ 'content-type': 'application/json; charset=utf-8' }))
    res.end(JSON.stringify(body))
  }

  function cookieSession(req: IncomingMessage): string | null {
    const header = req.headers.cookie ?? ''
    for (const part of header.split(';')) {
      const [name, value] = part.trim().split('=')
      if (name === COOKIE && value) return value
    }
    return null
  }

  function authenticated(req: IncomingMessage): boolean {
    const session = cookieSession(req)
    if (session && sessions.has(session)) return true
    const auth = req.headers.authorization
    return auth?.startsWith('Bearer ') === true && sameToken(options.token, auth.slice(7))
  }

  function hostAllowed(req: IncomingMessage): boolean {
    const given = req.headers.host ?? ''
    const allowed = [`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]
    return allowed.includes(given)
  }

  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin
    if (origin === undefined) return true
    const scheme = options.tls ? 'https' : 'http'
    return origin === `${scheme}://${req.headers.host ?? ''}`
  }

  function throttled(): boolean {
    const now = Date.now()
    failures = failures.filter((t) => now - t < 60_000)
    return failures.length >= MAX_FAILURES_PER_MINUTE
  }

  async function readBody(req: IncomingMessage): Promise<string | null> {
    let size = 0
    const chunks: Buffer[] = []
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_BODY) return null
      chunks.push(chunk)
    }
    return Buffer.concat(chunks).toString('utf8')
  }

  async function handleInvoke(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.headers['x-dirsync-request'] !== '1' || !originAllowed(req)) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Requests must come from the console itself.' } })
      return
    }
    const text = await readBody(req)
    if (text === null) {
      sendJson(res, 413, { ok: false, error: { code: 'invalid-request', message: 'The request is larger than 1 MB.' } })
      return
    }
    let body: unknown
    try {
      body = text.length > 0 ? JSON.parse(text) : {}
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'invalid-request', message: 'The request body is not valid JSON.' } })
      return
    }
    const result = await dispatch(options.handlers, channel, body, options.onUnexpected)
    sendJson(res, !result.ok && result.error.code === 'invalid-request' ? 400 : 200, result)
  }

  function handleEvents(res: ServerResponse): void {
    res.writeHead(200, headers({ 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' }))
    res.write(': connected\n\n')
    streams.add(res)
    res.on('close', () => streams.delete(res))
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://host.invalid')
      if (!hostAllowed(req)) {
        sendText(res, 421, 'This console only answers to its own address.')
        return
      }
      const token = url.searchParams.get('token')
      if (req.method === 'GET' && token !== null) {
        if (throttled()) {
          sendText(res, 429, 'Too many wrong access tokens in the last minute; wait a minute and use the address printed by `npm run serve`.')
          return
        }
        if (!sameToken(options.token, token)) {
          failures.push(Date.now())
          sendText(res, 401, 'This console address has a wrong or old access token. Use the address printed when the console was started.')
          return
        }
        const session = randomBytes(32).toString('base64url')
        sessions.add(session)
        res.writeHead(302, headers({ location: '/', 'set-cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/${options.tls ? '; Secure' : ''}` }))
        res.end()
        return
      }
      if (!authenticated(req)) {
        if (url.pathname.startsWith('/api/')) sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Open the console through the address printed when it was started (it carries the access token).' } })
        else sendText(res, 401, 'Open the console through the address printed when it was started (it carries the access token).')
        return
      }
      if (req.method === 'POST' && url.pathname.startsWith('/api/invoke/')) {
        await handleInvoke(req, res, decodeURIComponent(url.pathname.slice('/api/invoke/'.length)))
        return
      }
      if (req.method === 'GET' && url.pathname === '/api/events') {
        handleEvents(res)
        return
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(res, 405, 'Method not allowed.')
        return
      }
      const file = readStatic(options.rendererDir, url.pathname)
      if (!file) {
        sendText(res, 404, 'The console has not been built: run `npm run build` first.')
        return
      }
      res.writeHead(200, headers({ 'content-type': file.type, ...(file.html ? { 'content-security-policy': CSP } : { 'cache-control': 'private, max-age=3600' }) }))
      res.end(req.method === 'HEAD' ? undefined : file.body)
    })().catch((error: unknown) => {
      options.onUnexpected?.(error)
      if (!res.headersSent) sendText(res, 500, 'The console hit an internal error; the details are in its log.')
      else res.end()
    })
  }

  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n')
  }, 15_000)
  keepAlive.unref()
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}/?token=${options.token}`,
    port,
    broadcast(event, payload) {
      if (!isIpcEvent(event)) return
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
      for (const stream of streams) stream.write(frame)
    },
    close() {
      clearInterval(keepAlive)
      for (const stream of streams) stream.end()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
