import type { IntegrationConfig } from './integration-config.ts'

/**
 * The settings that decide WHERE an integration's secret is sent, and to whom it proves itself:
 * the host and port it connects to, how the channel is protected (encryption, certificate
 * verification, the CA it trusts), the identity the secret belongs to (bind DN, tenant), and the
 * token and API endpoints of the cloud directories. A stored secret belongs to the endpoint it was
 * entered for: changing any of these clears it and asks for it again (DESIGN §7). The core, the
 * CLI and the console all read this one table.
 */
const LDAP_ENDPOINT = ['host', 'alternateHost', 'port', 'encryption', 'verifyCertificate', 'caCertificatePem', 'bindDn'] as const

export const ENDPOINT_SETTINGS = {
  'active-directory': LDAP_ENDPOINT,
  ldap: LDAP_ENDPOINT,
  domino: LDAP_ENDPOINT,
  entra: ['tenantId', 'cloud', 'authorityHost', 'graphEndpoint', 'caCertificatePem'],
  google: ['tokenUrl', 'rootUrl', 'caCertificatePem'],
  'ldif-file': [],
} as const satisfies { readonly [T in IntegrationConfig['type']]: ReadonlyArray<keyof Extract<IntegrationConfig, { type: T }>['settings']> }

/** The settings whose values differ between two configurations of the same integration, sorted. */
export function changedSettings(before: IntegrationConfig, after: IntegrationConfig): string[] {
  const a = before.settings as Readonly<Record<string, unknown>>
  const b = after.settings as Readonly<Record<string, unknown>>
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort()
}

/** The endpoint-defining settings (above) that differ between two configurations, in table order. */
export function changedEndpointSettings(before: IntegrationConfig, after: IntegrationConfig): string[] {
  if (before.type !== after.type) return [...ENDPOINT_SETTINGS[after.type]]
  const changed = new Set(changedSettings(before, after))
  return ENDPOINT_SETTINGS[after.type].filter((key) => changed.has(key))
}

/** What the admin reads when a change would move a stored secret to a new endpoint. */
export function endpointChangeReason(changed: readonly string[]): string {
  return `Changing ${changed.join(', ')} changes where the stored secret would be sent, so it is not kept: enter the secret again with this change (or remove it).`
}
