import { request } from 'node:http'
import { request as tlsRequest } from 'node:https'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface SendOptions {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: string
  /** The local address to send from (127.0.0.x: another client of the same machine). */
  readonly from?: string
  /** Over TLS, trusting this CA (PEM). */
  readonly tls?: string
}

/** One HTTP(S) request to a server on 127.0.0.1, with the Host header a browser would send. */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const make = options.tls ? tlsRequest : request
    const req = make(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', localAddress: options.from, headers: { host: `127.0.0.1:${port}`, ...options.headers }, ...(options.tls ? { ca: options.tls } : {}) },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}
