import { z } from 'zod'

/**
 * Type-specific, non-secret settings of an integration. Secrets (bind passwords, client secrets,
 * certificate keys, service-account keys) never live here: they are stored apart and the
 * integration only says whether one is set.
 */

const hostname = z
  .string()
  .trim()
  .min(1, 'enter a host name or IP address')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, 'a host name may contain only letters, digits, dots, hyphens and colons')

/**
 * A cloud endpoint override: https only, so a service-account assertion or a client secret never
 * crosses the network in clear text. The test emulators are TLS servers on 127.0.0.1 with a private
 * CA, so there is no http exception, not even for loopback.
 */
const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .url(`the ${what} must be a URL such as https://host.example/`)
    .refine((value) => value.toLowerCase().startsWith('https://'), `the ${what} must use https://`)

/** A loose DN check: comma-separated attr=value pairs (RFC 4514 escapes allowed). */
export const DN_PATTERN = /^\s*[A-Za-z][\w-]*\s*=\s*(?:[^,\\]|\\.)+(?:\s*,\s*[A-Za-z][\w-]*\s*=\s*(?:[^,\\]|\\.)+)*\s*$/
const dn = (what: string) => z.string().trim().regex(DN_PATTERN, `${what} must be a distinguished name such as DC=example,DC=com`)

export const LdapEncryptionSchema = z.enum(['none', 'starttls', 'ldaps'])
export type LdapEncryption = z.infer<typeof LdapEncryptionSchema>

export const LdapConfigSchema = z.object({
  host: hostname,
  /** Tried when the first host does not answer. */
  alternateHost: hostname.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  encryption: LdapEncryptionSchema.default('ldaps'),
  /** PEM of the CA that signed the server certificate; the system store is used when absent. */
  caCertificatePem: z.string().optional(),
  /** Certificate verification (Default: on). Turning it off is shown as a warning. */
  verifyCertificate: z.boolean().default(true),
  bindDn: z.string().trim().min(1, 'enter the bind user (a DN or user@domain)'),
  baseDn: dn('The root DN'),
  userFilter: z.string().trim().optional(),
  groupFilter: z.string().trim().optional(),
  /** Overrides of the preset's attribute names, e.g. { "mail": "mailPrimaryAddress" }. */
  attributeMap: z.record(z.string(), z.string()).default({}),
  /** Paged-results page size (Default: 500). */
  pageSize: z.number().int().min(1).max(5000).default(500),
  /** Per-operation timeout in seconds (Default: 30). */
  timeoutSeconds: z.number().int().min(1).max(3600).default(30),
  /** Domino only: skip people and groups whose "Allow Foreign Directory Synchronization" is No. */
  honourForeignDirectorySync: z.boolean().default(true),
  /** Incremental reads fall back to a full read at least every N runs to see deletions (Default: 6). */
  fullReadEvery: z.number().int().min(1).max(1000).default(6),
})
export type LdapConfig = z.infer<typeof LdapConfigSchema>

/**
 * Microsoft's national clouds as an admin knows them: GCC (moderate) tenants live in the global
 * cloud; `usgov` is GCC High (graph.microsoft.us); DoD tenants pick `usgov` and override the Graph
 * endpoint with https://dod-graph.microsoft.us.
 */
export const ENTRA_CLOUD_LABELS = {
  global: 'Global (commercial and GCC)',
  usgov: 'US Government GCC High (DoD: also set the Graph endpoint)',
} as const satisfies Record<'global' | 'usgov', string>

export const EntraConfigSchema = z.object({
  tenantId: z.string().trim().min(1, 'enter the tenant id (a GUID or a domain such as contoso.onmicrosoft.com)'),
  clientId: z.string().trim().uuid('the application (client) id is a GUID'),
  cloud: z.enum(['global', 'usgov']).default('global'),
  authMethod: z.enum(['client-secret', 'certificate']).default('client-secret'),
  /** SHA-1 or SHA-256 thumbprint of the certificate when authMethod is certificate. */
  certificateThumbprint: z.string().trim().optional(),
  /**
   * Import external identities: B2B guests and external members of other organisations, known by a
   * `#EXT#` user principal name or an externalUserState (an internal account invited to B2B
   * collaboration included: it signs in with its home organisation's account), whatever their
   * userType (Default: off).
   */
  includeGuests: z.boolean().default(false),
  /** Import internal guests: userType Guest with this tenant's own UPN and no externalUserState, e.g. contractors with a mailbox here (Default: on). */
  includeInternalGuests: z.boolean().default(true),
  /** Read transitive (nested) group members (Default: on). */
  transitiveMembers: z.boolean().default(true),
  /** For emulators and sovereign clouds: overrides of the login and Graph endpoints (https only). */
  authorityHost: httpsUrl('sign-in (authority) host').optional(),
  graphEndpoint: httpsUrl('Graph endpoint').optional(),
  /** PEM of a private CA to trust for the login and Graph endpoints (a TLS-inspecting proxy, an emulator); the system store is used when absent. */
  caCertificatePem: z.string().optional(),
  /** Objects per Graph page ($top / odata.maxpagesize; Default: 999, Graph's maximum). */
  pageSize: z.number().int().min(1).max(999).default(999),
  /** Delta reads fall back to a full read at least every N runs, to converge what replication lag hid (Default: 6). */
  fullReadEvery: z.number().int().min(1).max(1000).default(6),
})
export type EntraConfig = z.infer<typeof EntraConfigSchema>

export const GoogleConfigSchema = z.object({
  /** The administrator the service account impersonates (domain-wide delegation). */
  adminEmail: z.string().trim().email('enter the admin email address the service account acts for'),
  customerId: z.string().trim().optional(),
  /** Imports only users and groups whose address is in this domain; the whole customer is still read (Default: every domain). */
  domain: z.string().trim().optional(),
  /** For emulators: overrides of the API root and token endpoint (https only). */
  rootUrl: httpsUrl('API root').optional(),
  tokenUrl: httpsUrl('token endpoint').optional(),
  /** PEM of a private CA to trust for the token and API endpoints; the system store is used when absent. */
  caCertificatePem: z.string().optional(),
  /** Users per page (Default: 500, the API's maximum; groups and members are capped at 200 by the API). */
  pageSize: z.number().int().min(1).max(500).default(500),
})
export type GoogleConfig = z.infer<typeof GoogleConfigSchema>

export const LdifFileConfigSchema = z.object({
  /** Absolute path of an LDIF (ldifde/slapcat) or CSV (csvde) export. */
  path: z.string().trim().min(1, 'choose the export file'),
  format: z.enum(['auto', 'ldif', 'csv']).default('auto'),
})
export type LdifFileConfig = z.infer<typeof LdifFileConfigSchema>

export const IntegrationConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('active-directory'), settings: LdapConfigSchema }),
  z.object({ type: z.literal('ldap'), settings: LdapConfigSchema }),
  z.object({ type: z.literal('domino'), settings: LdapConfigSchema }),
  z.object({ type: z.literal('entra'), settings: EntraConfigSchema }),
  z.object({ type: z.literal('google'), settings: GoogleConfigSchema }),
  z.object({ type: z.literal('ldif-file'), settings: LdifFileConfigSchema }),
])
export type IntegrationConfig = z.infer<typeof IntegrationConfigSchema>

/** Which integration types take a secret, and what the console calls it. */
export const SECRET_LABELS: Readonly<Record<IntegrationConfig['type'], string | null>> = {
  'active-directory': 'Bind password',
  ldap: 'Bind password',
  domino: 'Bind password',
  entra: 'Client secret or certificate private key (PEM)',
  google: 'Service account key (JSON)',
  'ldif-file': null,
}
