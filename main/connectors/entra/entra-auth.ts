import { ConfidentialClientApplication, type Configuration, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node'
import { ConnectorError } from '../connector-error.ts'
import { networkError, type FetchLike } from '../https-transport.ts'
import type { EntraCredential } from './entra-credential.ts'
import type { EntraEndpoints } from './entra-endpoints.ts'

/**
 * App-only tokens for Graph through MSAL's client-credentials flow. MSAL caches the token and
 * renews it ahead of expiry; `getToken(true)` skips the cache, used when Graph says the token it
 * was given has expired (revoked, clock skew, a long run) — one refresh per failed request.
 */
export interface TokenSource {
  getToken(forceRefresh: boolean): Promise<string>
}

/** MSAL's network hook on top of our fetch, so a private CA applies to the login endpoint too. */
function msalNetworkClient(fetchLike: FetchLike): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await fetchLike(url, { method, headers: options?.headers, body: options?.body })
    const text = await response.text()
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => (headers[name] = value))
    let body: unknown = {}
    try {
      body = text ? JSON.parse(text) : {}
    } catch {
      body = {}
    }
    return { status: response.status, headers, body: body as T }
  }
  return { sendGetRequestAsync: (url, options) => send('GET', url, options), sendPostRequestAsync: (url, options) => send('POST', url, options) }
}

export function createTokenSource(clientId: string, credential: EntraCredential, endpoints: EntraEndpoints, fetchLike: FetchLike, useCustomNetwork: boolean): TokenSource {
  const config: Configuration = {
    auth: {
      clientId,
      authority: endpoints.authority,
      // An overridden host (emulator, sovereign proxy) is unknown to MSAL's instance discovery.
      ...(endpoints.custom ? { knownAuthorities: [new URL(endpoints.authorityHost).host] } : {}),
      ...(credential.kind === 'client-secret'
        ? { clientSecret: credential.clientSecret }
        : { clientCertificate: { thumbprintSha256: credential.thumbprintSha256, privateKey: credential.privateKeyPem, x5c: credential.certificatePem } }),
    },
    system: {
      ...(useCustomNetwork ? { networkClient: msalNetworkClient(fetchLike) } : {}),
      // Our own bounded retry policy applies; MSAL's silent retry would hide throttling.
      disableInternalRetries: true,
    },
  }
  const app = new ConfidentialClientApplication(config)
  return {
    async getToken(forceRefresh) {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [endpoints.scope], skipCache: forceRefresh })
        if (!result?.accessToken) throw new ConnectorError('protocol', 'The sign-in endpoint returned no access token.')
        return result.accessToken
      } catch (error) {
        throw await mapMsalError(error, endpoints, fetchLike, credential.kind)
      }
    },
  }
}

/** The AADSTS code in an MSAL error, e.g. 7000215. */
function aadstsCode(text: string): number | null {
  const match = /AADSTS(\d+)/.exec(text)
  return match ? Number(match[1]) : null
}

export async function mapMsalError(error: unknown, endpoints: EntraEndpoints, fetchLike: FetchLike, kind: EntraCredential['kind']): Promise<ConnectorError> {
  if (error instanceof ConnectorError) return error
  const e = error as { errorCode?: string; errorMessage?: string; message?: string }
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`
  const host = new URL(endpoints.authorityHost).host
  switch (aadstsCode(text)) {
    case 7000215:
      return new ConnectorError('credentials', 'The client secret was rejected (invalid client secret). Copy the secret VALUE (not its ID) from the app registration and store it again.')
    case 7000222:
      return new ConnectorError('credentials', 'The client secret has expired. Create a new one in the app registration and store it here.')
    case 700016:
      return new ConnectorError('credentials', 'No application with this client id exists in the tenant. Check the application (client) id and the tenant.')
    case 90002:
      return new ConnectorError('not-found', 'The tenant was not found (unknown tenant). Check the tenant id or domain and the cloud (global or US Government).')
    case 700027:
    case 700023:
    case 700024:
      return new ConnectorError('credentials', 'The certificate was rejected: it is not registered on the app registration, or the private key does not match it. Upload the certificate to the app and check the stored key.')
    case 7000218:
      return new ConnectorError('credentials', 'The sign-in endpoint expected a client secret or certificate and got neither.')
    case null:
    default:
      break
  }
  if (e.errorCode === 'invalid_client') return new ConnectorError('credentials', kind === 'certificate' ? 'The certificate credentials were rejected (invalid_client).' : 'The client secret was rejected (invalid_client).')
  if (e.errorCode === 'endpoints_resolution_error' || e.errorCode === 'network_error' || e.errorCode === 'openIdConfigError') {
    // MSAL hides the reason (unknown tenant vs. network vs. certificate); ask the metadata endpoint ourselves.
    try {
      const response = await fetchLike(`${endpoints.authority}/v2.0/.well-known/openid-configuration`)
      const body = await response.text()
      if (aadstsCode(body) === 90002 || response.status === 400) return new ConnectorError('not-found', 'The tenant was not found (unknown tenant). Check the tenant id or domain and the cloud (global or US Government).')
      return new ConnectorError('protocol', `The sign-in endpoint ${host} could not be used (metadata answered HTTP ${response.status}).`)
    } catch (probeError) {
      return networkError(probeError, 'The Microsoft sign-in endpoint', host, false)
    }
  }
  return new ConnectorError('credentials', `Signing in to ${host} failed (${e.errorCode ?? 'unknown error'}).`, { cause: error })
}

/** The claims of a JWT access token, without verifying it (Graph verifies; we only read `roles`). */
export function decodeTokenClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return null
  }
}
