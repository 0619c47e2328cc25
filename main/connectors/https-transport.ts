import { request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent, request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import { ConnectorError } from './connector-error.ts'

/**
 * The HTTP transport of the cloud connectors (Graph, Google). Node's global `fetch` takes its trust
 * store from the process (NODE_EXTRA_CA_CERTS, read once at start-up); it has no per-request CA
 * without adding `undici` as a dependency. When an integration names its own CA (a TLS-inspecting
 * proxy, or the test emulators) this fetch-compatible function runs over `node:https` with an
 * Agent that trusts the system roots plus that CA — verification stays on, and nothing is changed
 * process-wide. Without a private CA it is plain `fetch`.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export function createFetch(caCertificatePem: string | undefined): FetchLike {
  if (!caCertificatePem?.trim()) return (input, init) => fetch(input, init)
  // keepAlive: Graph and Google reads are thousands of small sequential requests.
  const agent = new Agent({ ca: [...rootCertificates, caCertificatePem], keepAlive: true, maxSockets: 4 })
  return (input, init) => nodeFetch(agent, input, init)
}

function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  throw new TypeError('unsupported request body type')
}

function nodeFetch(agent: Agent, input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input))
  const headers = new Headers(input instanceof Request ? input.headers : undefined)
  new Headers(init?.headers).forEach((value, name) => headers.set(name, value))
  const body = bodyOf(init?.body)
  if (body !== undefined && typeof body === 'string' && init?.body instanceof URLSearchParams && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
  }
  const signal = init?.signal ?? undefined
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(
      url,
      { method: init?.method ?? 'GET', headers: Object.fromEntries(headers), ...(url.protocol === 'https:' ? { agent } : {}) },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })))
        res.on('close', () => {
          // A response cut short (socket reset, proxy timeout) must never look like a complete one.
          if (!res.complete) return reject(new TypeError('fetch failed', { cause: Object.assign(new Error('response ended early'), { code: 'ECONNRESET' }) }))
          const status = res.statusCode ?? 0
          const responseHeaders = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value)
          }
          const nullBody = status === 204 || status === 304 || init?.method === 'HEAD'
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: responseHeaders }))
        })
      },
    )
    req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })))
    signal?.addEventListener('abort', () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true })
    if (body !== undefined) req.write(body)
    req.end()
  })
}

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'UNABLE_TO_GET_ISSUER_CERT',
])

/** The innermost `code` of an error chain (fetch wraps the socket error in `cause`). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'ERR_INVALID_STATE') return code
    current = current.cause
  }
  return undefined
}

/**
 * A transport failure in plain words. `midRead` = the connection was up and the read had begun:
 * a reset then means the read is incomplete (retryable), not that the host is unreachable.
 */
export function networkError(error: unknown, service: string, host: string, midRead: boolean): ConnectorError {
  if (error instanceof ConnectorError) return error
  if (error instanceof Error && error.name === 'AbortError') return new ConnectorError('cancelled', 'The read was cancelled.')
  const code = errorCode(error)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectorError('dns', `The name ${host} could not be resolved. Check the network, DNS or proxy settings.`, { retryable: true, cause: error })
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new ConnectorError('unreachable', `${service} at ${host} could not be reached (${code}). Check the network, firewall or proxy.`, { retryable: true, cause: error })
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return new ConnectorError('timeout', `${service} at ${host} did not answer in time.`, { retryable: true, cause: error })
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return new ConnectorError('certificate', `The certificate presented by ${host} is not trusted (${code}). If a proxy inspects TLS, add its CA certificate to the integration's settings.`, { cause: error })
  }
  if (midRead) return new ConnectorError('incomplete-read', `The connection to ${service} was cut in the middle of a page (${code ?? 'connection reset'}). The read is incomplete and was discarded.`, { retryable: true, cause: error })
  return new ConnectorError('unreachable', `${service} at ${host} could not be reached (${code ?? 'network error'}).`, { retryable: true, cause: error })
}

/** Waits `ms`, or rejects with a ConnectorError('cancelled') when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConnectorError('cancelled', 'The read was cancelled.'))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new ConnectorError('cancelled', 'The read was cancelled.'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
