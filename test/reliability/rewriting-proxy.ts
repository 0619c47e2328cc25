import https from 'node:https'
import type { AddressInfo } from 'node:net'

/**
 * A tiny HTTPS reverse proxy in front of a cloud emulator that can replace ONE response: the Nth
 * request whose path matches `rewrite.path` gets `rewrite.answer(original body)` instead of the
 * emulator's page. Everything else passes through, with the emulator's origin in bodies replaced
 * by the proxy's (so paging links lead back through the proxy). Written by hand (≈ 60 lines)
 * rather than taking a proxy library: it must corrupt bodies on purpose, which proxies exist to avoid.
 */
export interface Rewrite {
  /** Which requests count (tested against the path without the query). */
  readonly path: RegExp
  /** Rewrite the nth matching request, 1-based (Default: 2 — after a first page was read). */
  readonly nth?: number
  /** The body (and optionally status / content type) served instead of the original page. */
  readonly answer: (originalBody: string) => { body: string; status?: number; contentType?: string }
}

export interface RewritingProxy {
  readonly url: string
  /** The rewrite for the next read (null: pass everything through). Resets its request count. */
  set(rewrite: Rewrite | null): void
  /** Whether the current rewrite has been served. */
  readonly served: boolean
  close(): Promise<void>
}

export async function startRewritingProxy(options: { target: string; certPem: string; keyPem: string; caPem: string }): Promise<RewritingProxy> {
  const target = new URL(options.target)
  let rewrite: Rewrite | null = null
  let seen = 0
  let served = false
  let url = ''
  const server = https.createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers = { ...req.headers, host: target.host }
      delete headers['accept-encoding'] // plain bodies, so they can be rewritten
      const upstream = https.request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers, ca: options.caPem }, (up) => {
        const parts: Buffer[] = []
        up.on('data', (c: Buffer) => parts.push(c))
        up.on('end', () => {
          let body = Buffer.concat(parts).toString('utf8').replaceAll(target.origin, url)
          let status = up.statusCode ?? 502
          let contentType = String(up.headers['content-type'] ?? 'application/json')
          const path = new URL(req.url ?? '/', url).pathname
          if (rewrite && status === 200 && rewrite.path.test(path) && ++seen === (rewrite.nth ?? 2)) {
            const answer = rewrite.answer(body)
            served = true
            body = answer.body
            status = answer.status ?? 200
            contentType = answer.contentType ?? contentType
          }
          res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) })
          res.end(body)
        })
      })
      upstream.on('error', () => res.destroy())
      upstream.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    set(next) {
      rewrite = next
      seen = 0
      served = false
    },
    get served() {
      return served
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
