import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/**
 * The HTTPS plumbing both cloud emulators share: a real TLS server on 127.0.0.1 (an ephemeral
 * port), a body reader, JSON replies, and a way to cut a connection in the middle of a response
 * (what a proxy timeout or a Wi-Fi drop looks like to the client).
 */
export interface EmulatorRequest {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export interface EmulatorReply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly json?: unknown
  /** Send the headers and half the body, then destroy the socket. */
  readonly dropMidBody?: boolean
}

export type EmulatorHandler = (request: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>

export interface RunningServer {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export async function startEmulatorServer(tls: { certPem: string; keyPem: string }, handler: EmulatorHandler): Promise<RunningServer> {
  const sockets = new Set<Socket>()
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    void serve(req, res, handler)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: EmulatorHandler): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const request: EmulatorRequest = {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', 'https://127.0.0.1'),
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  }
  let reply: EmulatorReply
  try {
    reply = await handler(request)
  } catch (error) {
    reply = { status: 500, json: { error: { code: 'InternalServerError', message: String(error) } } }
  }
  const body = reply.json === undefined ? '' : JSON.stringify(reply.json)
  res.statusCode = reply.status
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
  if (body) res.setHeader('content-type', 'application/json; charset=utf-8')
  if (reply.dropMidBody) {
    // Promise a full body, deliver half of it, then reset: the client sees a truncated response.
    res.setHeader('content-length', String(Buffer.byteLength(body)))
    res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))), () => req.socket.destroy())
    return
  }
  res.end(body)
}

/** base64url JSON, the opaque page/delta tokens both emulators hand out. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function decodeToken<T>(token: string): T | null {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T
  } catch {
    return null
  }
}

export interface ParsedJwt {
  readonly header: Record<string, unknown>
  readonly payload: Record<string, unknown>
  readonly signingInput: string
  readonly signature: Buffer
}

export function parseJwt(jwt: string): ParsedJwt | null {
  const parts = jwt.split('.')
  if (parts.length !== 3) return null
  const [h, p, s] = parts as [string, string, string]
  try {
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
    }
  } catch {
    return null
  }
}
