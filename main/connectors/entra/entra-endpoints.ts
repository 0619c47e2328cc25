import type { EntraConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'

/**
 * Where a tenant signs in and where its Graph lives. National clouds are separate instances with
 * their own hosts (Microsoft's "national cloud deployments" table): a token from one is worthless at
 * the other. US Government here is GCC High / L4 (graph.microsoft.us); DoD tenants use
 * dod-graph.microsoft.us and set `graphEndpoint` explicitly.
 */
export const ENTRA_CLOUDS = {
  global: { authorityHost: 'https://login.microsoftonline.com', graphEndpoint: 'https://graph.microsoft.com' },
  usgov: { authorityHost: 'https://login.microsoftonline.us', graphEndpoint: 'https://graph.microsoft.us' },
} as const satisfies Record<EntraConfig['cloud'], { authorityHost: string; graphEndpoint: string }>

export interface EntraEndpoints {
  /** e.g. https://login.microsoftonline.com/contoso.onmicrosoft.com */
  readonly authority: string
  readonly authorityHost: string
  /** e.g. https://graph.microsoft.com (no trailing slash, no version). */
  readonly graphEndpoint: string
  /** The app-only scope: `${graphEndpoint}/.default`. */
  readonly scope: string
  /** True when the hosts were overridden (emulator, proxy): MSAL then trusts the host without instance discovery. */
  readonly custom: boolean
}

function httpsOrigin(value: string, what: string): string {
  const url = new URL(value)
  if (url.protocol !== 'https:') throw new ConnectorError('config', `The ${what} must use https:// (it is ${url.protocol}//).`)
  return url.origin + url.pathname.replace(/\/+$/, '')
}

export function entraEndpoints(settings: Pick<EntraConfig, 'cloud' | 'tenantId' | 'authorityHost' | 'graphEndpoint'>): EntraEndpoints {
  const cloud = ENTRA_CLOUDS[settings.cloud]
  const authorityHost = httpsOrigin(settings.authorityHost ?? cloud.authorityHost, 'sign-in (authority) host')
  const graphEndpoint = httpsOrigin(settings.graphEndpoint ?? cloud.graphEndpoint, 'Graph endpoint')
  return {
    authority: `${authorityHost}/${encodeURIComponent(settings.tenantId)}`,
    authorityHost,
    graphEndpoint,
    scope: `${graphEndpoint}/.default`,
    custom: settings.authorityHost !== undefined,
  }
}
