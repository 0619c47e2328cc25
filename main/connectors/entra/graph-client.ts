import { ConnectorError } from '../connector-error.ts'
import { networkError, sleep, type FetchLike } from '../https-transport.ts'
import type { TokenSource } from './entra-auth.ts'

/** How hard to try before giving up on a throttled Graph (Defaults suit a nightly sync). */
export interface GraphRetryPolicy {
  /** Retries of one request after 429/503/504 (Default: 6). */
  readonly maxRetries: number
  /** Longest single wait honoured from Retry-After, in seconds (Default: 120). Longer asks fail the read. */
  readonly maxRetryAfterSeconds: number
  /** Wait when Graph sends no Retry-After: base × 2^attempt, in ms (Default: 1000). */
  readonly backoffBaseMs: number
}

export const DEFAULT_GRAPH_RETRY: GraphRetryPolicy = { maxRetries: 6, maxRetryAfterSeconds: 120, backoffBaseMs: 1000 }

/**
 * Graph's answers that mean "this delta or skip token is no longer valid, start over without one":
 * 400 syncStateNotFound (a directory delta link unused for more than 7 days), 400 syncStateInvalid,
 * and 410 resyncRequired. Any 4xx with one of these codes counts, and any 410.
 */
const RESYNC_CODES = new Set(['syncStateNotFound', 'syncStateInvalid', 'resyncRequired'])

/** A delta or skip token Graph no longer knows: the caller must start over with a full read. */
export class DeltaTokenExpired extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string) {
    super(`delta token rejected (HTTP ${status} ${code})`)
    this.name = 'DeltaTokenExpired'
    this.status = status
    this.code = code
  }

  /** Plain words for the run's read detail. */
  get explanation(): string {
    const why = this.code === 'syncStateNotFound' ? ' (a delta link expires after 7 days without a sync)' : ''
    return `Microsoft Graph no longer accepts the stored delta link (HTTP ${this.status} ${this.code})${why}`
  }
}

export interface GraphPage {
  readonly value: readonly Record<string, unknown>[]
  readonly nextLink: string | null
  readonly deltaLink: string | null
}

/** Counts the client keeps so a run can report what it took (and tests can check it). */
export interface GraphCounters {
  requests: number
  throttleRetries: number
  tokenRefreshes: number
}

export class GraphClient {
  readonly counters: GraphCounters = { requests: 0, throttleRetries: 0, tokenRefreshes: 0 }
  private readonly base: string
  private readonly tokens: TokenSource
  private readonly fetchLike: FetchLike
  private readonly retry: GraphRetryPolicy
  private readonly host: string

  constructor(graphEndpoint: string, tokens: TokenSource, fetchLike: FetchLike, retry: GraphRetryPolicy) {
    this.base = `${graphEndpoint}/v1.0`
    this.host = new URL(graphEndpoint).host
    this.tokens = tokens
    this.fetchLike = fetchLike
    this.retry = retry
  }

  /** A path below /v1.0 (with its query) or an absolute nextLink/deltaLink, followed verbatim. */
  url(pathOrLink: string): string {
    return pathOrLink.startsWith('https://') ? pathOrLink : `${this.base}${pathOrLink}`
  }

  async page(pathOrLink: string, what: string, signal: AbortSignal, pageSize?: number): Promise<GraphPage> {
    const json = await this.get(pathOrLink, what, signal, pageSize)
    const value = Array.isArray(json['value']) ? (json['value'] as Record<string, unknown>[]) : null
    if (!value) throw new ConnectorError('malformed-data', `Microsoft Graph answered without a "value" list while reading ${what}.`)
    // A non-object item, or a paging link that is not text, would otherwise crash the mapper or end the read early (a silently shorter snapshot).
    if (!value.every(isObject)) throw new ConnectorError('malformed-data', `Microsoft Graph sent an entry that is not an object while reading ${what}.`)
    const next = json['@odata.nextLink']
    const delta = json['@odata.deltaLink']
    if ((next != null && typeof next !== 'string') || (delta != null && typeof delta !== 'string')) {
      throw new ConnectorError('malformed-data', `Microsoft Graph sent a paging link that is not a URL while reading ${what}.`)
    }
    return { value, nextLink: typeof next === 'string' ? next : null, deltaLink: typeof delta === 'string' ? delta : null }
  }

  async get(pathOrLink: string, what: string, signal: AbortSignal, pageSize?: number): Promise<Record<string, unknown>> {
    const url = this.url(pathOrLink)
    if (!url.startsWith(this.base)) throw new ConnectorError('protocol', `Microsoft Graph sent a paging link to another host (${new URL(url).host}); refusing to follow it.`)
    let refreshed = false
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new ConnectorError('cancelled', 'The read was cancelled.')
      const token = await this.tokens.getToken(false)
      let response: Response
      let text: string
      try {
        this.counters.requests++
        response = await this.fetchLike(url, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            // Delta queries take their page size from this header, not from $top.
            ...(pageSize ? { prefer: `odata.maxpagesize=${pageSize}` } : {}),
          },
          signal,
        })
        text = await response.text()
      } catch (error) {
        throw networkError(signal.aborted ? Object.assign(new Error('aborted'), { name: 'AbortError' }) : error, 'Microsoft Graph', this.host, true)
      }
      const status = response.status
      if (status >= 200 && status < 300) {
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          throw new ConnectorError('malformed-data', `Microsoft Graph sent a response that is not JSON while reading ${what}.`)
        }
        if (!isObject(parsed)) throw new ConnectorError('malformed-data', `Microsoft Graph sent a response that is not a JSON object while reading ${what}.`)
        return parsed
      }
      const error = graphErrorOf(text)
      if (status === 429 || status === 503 || status === 504) {
        if (attempt >= this.retry.maxRetries) {
          throw new ConnectorError('throttled', `Microsoft Graph kept throttling the requests (HTTP ${status}) after ${this.retry.maxRetries} retries while reading ${what}. Try again later.`, { retryable: true })
        }
        const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? this.retry.backoffBaseMs * 2 ** attempt
        if (waitMs > this.retry.maxRetryAfterSeconds * 1000) {
          throw new ConnectorError('throttled', `Microsoft Graph asked to wait ${Math.round(waitMs / 1000)} s (HTTP ${status}), longer than the ${this.retry.maxRetryAfterSeconds} s allowed. Try again later.`, { retryable: true })
        }
        this.counters.throttleRetries++
        await sleep(waitMs, signal)
        continue
      }
      if (status === 401 && !refreshed) {
        // Expired or revoked mid-run: ask the sign-in endpoint for a fresh token, once per request.
        refreshed = true
        this.counters.tokenRefreshes++
        await this.tokens.getToken(true)
        continue
      }
      if (status === 410 || (status >= 400 && status < 500 && RESYNC_CODES.has(error.code))) throw new DeltaTokenExpired(status, error.code)
      if (status === 401) throw new ConnectorError('credentials', `Microsoft Graph rejected a freshly issued token (${error.code}: ${error.message}).`)
      if (status === 403) {
        throw new ConnectorError('permission', `Microsoft Graph refused to read ${what} (${error.code}: ${error.message}). Grant the app the Microsoft Graph application permissions User.Read.All and GroupMember.Read.All (or Group.Read.All, or Directory.Read.All) with admin consent.`)
      }
      if (status === 404) throw new ConnectorError('not-found', `Microsoft Graph could not find ${what} (${error.code}).`)
      throw new ConnectorError('protocol', `Microsoft Graph answered HTTP ${status} while reading ${what} (${error.code}: ${error.message}).`, { retryable: status >= 500 })
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function graphErrorOf(text: string): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    const code = body.error?.code
    const message = body.error?.message
    return { code: typeof code === 'string' ? code : 'unknown', message: typeof message === 'string' ? message.slice(0, 300) : '' }
  } catch {
    return { code: 'unknown', message: text.slice(0, 120) }
  }
}

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}
