import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { isIpcEvent, type IpcEvent } from '../../shared/ipc/channels.ts'
import type { IpcEventPayload } from '../../shared/ipc/contract.ts'
import { dispatch } from '../ipc/dispatch.ts'
import type { Handlers } from '../ipc/handlers.ts'
import { sameToken } from './access-token.ts'
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts'
import { createSessions, DEFAULT_SESSION_IDLE_MS, type Session } from './sessions.ts'
import { readStatic } from './static-files.ts'
import { createTokenThrottle } from './token-throttle.ts'

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
  /** A session ends after this long without a request (Default: 12 hours). */
  readonly sessionIdleMs?: number
  /** Time to receive a request's headers (Default: 10 s) and the whole request (Default: 30 s), in ms. */
  readonly headersTimeoutMs?: number
  readonly requestTimeoutMs?: number
  /** Open connections at most; more are dropped (Default: 64). */
  readonly maxConnections?: number
  /** The clock sessions and the token throttle read (tests move it). */
  readonly now?: () => number
}

export interface BrowserHost {
  readonly url: string
  readonly port: number
  broadcast<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void
  close(): Promise<void>
}

const MAX_BODY = 1_048_576
/** The header (and, for the event stream, query parameter) that carries the page token. */
const PAGE_HEADER = 'x-dirsync-page'

function withPageToken(html: Buffer, pageToken: string): Buffer {
  const meta = `<meta name="dirsync-page-token" content="${pageToken}">`
  const text = html.toString('utf8')
  const head = /<head[^>]*>/i.exec(text) ?? /^<!doctype[^>]*>/i.exec(text)
  const at = head ? head.index + head[0].length : 0
  return Buffer.from(text.slice(0, at) + meta + text.slice(at), 'utf8')
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

export class HostConfigError extends Error {}

/**
 * The console for browsers: the built renderer and the same typed contract over HTTP + SSE, on
 * loopback, behind a random token. Opening `/?token=…` trades the token for an HttpOnly,
 * SameSite=Strict session cookie (idle expiry 12 h); API calls need that cookie plus the page
 * token the page was served with (or `Authorization: Bearer <token>`), the `x-dirsync-request`
 * header, and a matching Host/Origin — so neither another site (CSRF, CORS), nor a rebinding DNS
 * name, nor another local server that was sent the cookie can drive it. Slow or piled-up
 * connections are cut (headers 10 s, request 30 s, 64 connections).
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopback(host) && !(options.allowRemote && options.tls)) {
    throw new HostConfigError(`Refusing to listen on ${host}: the browser host serves loopback only. To serve another address, give a TLS certificate and key and --allow-remote (or reach it through an SSH tunnel).`)
  }
  const now = options.now ?? Date.now
  const sessions = createSessions({ idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS, now })
  const throttle = createTokenThrottle(now)
  const streams = new Set<ServerResponse>()
  let port = 0
  // With TLS: `__Host-` (Secure, Path=/, no Domain: only this origin over https may set or read it).
  // Without: a name per port, so two consoles on one machine do not overwrite each other's session;
  // the cookie alone is not enough (cookies reach every port), the page token is needed too.
  const cookieName = (): string => (options.tls ? '__Host-dirsync_session' : `dirsync_session_${port}`)

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
      if (name === cookieName() && value) return value
    }
    return null
  }

  /** The session of a signed-in browser, or null; API calls must also carry its page token. */
  function sessionOf(req: IncomingMessage, pageToken: string | null | undefined, needPageToken: boolean): Session | null {
    const session = sessions.touch(cookieSession(req))
    if (!session) return null
    return !needPageToken || sessions.pageTokenMatches(session, pageToken) ? session : null
  }

  function bearer(req: IncomingMessage): boolean {
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
        const client = req.socket.remoteAddress ?? 'unknown'
        // The right token is checked first: guesses from elsewhere never lock the admin out.
        if (!sameToken(options.token, token)) {
          if (throttle.blocked(client)) {
            sendText(res, 429, 'Too many wrong access tokens from this address in the last minute; wait a minute and use the address printed by `npm run serve`.')
            return
          }
          throttle.failed(client)
          sendText(res, 401, 'This console address has a wrong or old access token. Use the address printed when the console was started.')
          return
        }
        const session = sessions.create()
        res.writeHead(302, headers({ location: '/', 'set-cookie': `${cookieName()}=${session.id}; HttpOnly; SameSite=Strict; Path=/${options.tls ? '; Secure' : ''}` }))
        res.end()
        return
      }
      const isApi = url.pathname.startsWith('/api/')
      const pageToken = url.pathname === '/api/events' ? url.searchParams.get('page') : req.headers[PAGE_HEADER]
      const session = sessionOf(req, typeof pageToken === 'string' ? pageToken : null, isApi)
      if (!session && !(isApi && bearer(req))) {
        if (isApi) sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Open the console through the address printed when it was started (it carries the access token); sessions end after 12 hours without use.' } })
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
      // The page learns its session's page token from a meta tag and sends it back as a header.
      const body = file.html && session ? withPageToken(file.body, session.pageToken) : file.body
      res.writeHead(200, headers({ 'content-type': file.type, ...(file.html ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : { 'cache-control': 'private, max-age=3600' }) }))
      res.end(req.method === 'HEAD' ? undefined : body)
    })().catch((error: unknown) => {
      options.onUnexpected?.(error)
      if (!res.headersSent) sendText(res, 500, 'The console hit an internal error; the details are in its log.')
      else res.end()
    })
  }

  // The header and request timeouts are enforced when Node checks connections: every second, not every 30 s.
  const checking = { connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs ?? 1_000) }
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, ...checking }, listener) : createServer(checking, listener)
  server.headersTimeout = options.headersTimeoutMs ?? 10_000
  server.requestTimeout = options.requestTimeoutMs ?? 30_000
  server.maxConnections = options.maxConnections ?? 64
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n')
    sessions.prune()
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
