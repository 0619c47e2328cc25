import { ENTRA_CLOUD_LABELS, EntraConfigSchema, GoogleConfigSchema, LdapConfigSchema, LdifFileConfigSchema, type LdapEncryption } from '../../../shared/domain/integration-config.ts'
import type { IntegrationType } from '../../../shared/domain/integration-type.ts'
import type { z } from 'zod'

export const ENCRYPTION_LABELS: Readonly<Record<LdapEncryption, string>> = {
  ldaps: 'LDAPS (TLS from the start, port 636)',
  starttls: 'StartTLS (upgrade on port 389)',
  none: 'None — not recommended (port 389, clear text)',
}

export type FieldValue = string | boolean
export type FieldValues = Readonly<Record<string, FieldValue>>

export interface FieldSpec {
  readonly key: string
  readonly label: string
  readonly kind: 'text' | 'number' | 'select' | 'checkbox' | 'textarea' | 'pem-file'
  readonly options?: readonly { readonly value: string; readonly label: string }[]
  readonly placeholder?: string
  readonly help?: string
  /** Empty means "leave it out" (the schema's default or absence applies). */
  readonly optional?: boolean
  /** Shown under "Advanced" (collapsed). */
  readonly advanced?: boolean
  /** Shown only when this returns true for the current values. */
  readonly when?: (values: FieldValues) => boolean
}

const ldapFields = (type: 'active-directory' | 'ldap' | 'domino'): readonly FieldSpec[] => [
  ...(type === 'domino'
    ? [
        {
          key: 'honourForeignDirectorySync',
          label: 'Domino Foreign Directory Synchronization',
          kind: 'checkbox',
          help: 'Skip people and groups whose “Allow Foreign Directory Synchronization” field is No.',
        } as const,
      ]
    : []),
  { key: 'host', label: 'Hostname / IP Address', kind: 'text', placeholder: type === 'active-directory' ? 'dc1.corp.example.com' : 'ldap.example.com' },
  { key: 'alternateHost', label: 'Alternate hostname', kind: 'text', optional: true, help: 'Tried when the first host does not answer.' },
  { key: 'encryption', label: 'Encryption', kind: 'select', options: Object.entries(ENCRYPTION_LABELS).map(([value, label]) => ({ value, label })) },
  { key: 'port', label: 'Port', kind: 'number', optional: true, placeholder: 'Default for the encryption (636 or 389)' },
  {
    key: 'bindDn',
    label: 'User DN (bind account)',
    kind: 'text',
    placeholder: type === 'active-directory' ? 'CN=svc-sync,OU=Service,DC=corp,DC=example,DC=com' : 'cn=reader,dc=example,dc=com',
    help: 'A read-only account whose password does not expire.',
  },
  { key: 'baseDn', label: 'Root DN', kind: 'text', placeholder: 'DC=corp,DC=example,DC=com', help: 'Where the search starts.' },
  { key: 'verifyCertificate', label: 'Verify the server certificate', kind: 'checkbox', help: 'On by default. Off means anyone in the path can impersonate the server.' },
  { key: 'caCertificatePem', label: 'Custom CA certificate (PEM)', kind: 'pem-file', optional: true, help: 'When the server certificate is signed by a private CA.' },
  { key: 'userFilter', label: 'User filter', kind: 'text', optional: true, advanced: true, placeholder: 'Preset for this directory type' },
  { key: 'groupFilter', label: 'Group filter', kind: 'text', optional: true, advanced: true, placeholder: 'Preset for this directory type' },
  { key: 'pageSize', label: 'Page size', kind: 'number', optional: true, advanced: true, placeholder: '500' },
  { key: 'timeoutSeconds', label: 'Timeout (seconds)', kind: 'number', optional: true, advanced: true, placeholder: '30' },
  { key: 'fullReadEvery', label: 'Full read every N runs', kind: 'number', optional: true, advanced: true, placeholder: '6' },
]

export const FIELDS: Readonly<Record<IntegrationType, readonly FieldSpec[]>> = {
  'active-directory': ldapFields('active-directory'),
  ldap: ldapFields('ldap'),
  domino: ldapFields('domino'),
  entra: [
    { key: 'tenantId', label: 'Tenant ID or domain', kind: 'text', placeholder: 'contoso.onmicrosoft.com' },
    { key: 'clientId', label: 'Application (client) ID', kind: 'text', placeholder: '00000000-0000-0000-0000-000000000000' },
    {
      key: 'cloud',
      label: 'Cloud',
      kind: 'select',
      options: Object.entries(ENTRA_CLOUD_LABELS).map(([value, label]) => ({ value, label })),
      help: 'GCC tenants use Global. DoD tenants choose US Government and set the Graph endpoint (Advanced) to https://dod-graph.microsoft.us.',
    },
    {
      key: 'authMethod',
      label: 'Authentication',
      kind: 'select',
      options: [
        { value: 'client-secret', label: 'Client secret' },
        { value: 'certificate', label: 'Certificate' },
      ],
    },
    { key: 'certificateThumbprint', label: 'Certificate thumbprint', kind: 'text', when: (values) => values['authMethod'] === 'certificate' },
    { key: 'includeGuests', label: 'Sync external users', kind: 'checkbox', help: 'B2B guests and external members of other organisations (a #EXT# sign-in name or an invitation state, including internal accounts invited to sign in with their own organisation’s account), whatever their user type.' },
    { key: 'includeInternalGuests', label: 'Sync internal guests', kind: 'checkbox', help: 'Accounts of type Guest that sign in with this tenant’s own name and were never invited from outside, such as contractors with a mailbox here.' },
    { key: 'transitiveMembers', label: 'Include nested group members', kind: 'checkbox' },
    { key: 'authorityHost', label: 'Login endpoint', kind: 'text', optional: true, advanced: true, placeholder: 'https://login.microsoftonline.com' },
    { key: 'graphEndpoint', label: 'Graph endpoint', kind: 'text', optional: true, advanced: true, placeholder: 'https://graph.microsoft.com' },
    { key: 'caCertificatePem', label: 'Custom CA certificate (PEM)', kind: 'pem-file', optional: true, advanced: true, help: 'When the endpoints above are reached through a private CA (a TLS-inspecting proxy, a test emulator).' },
  ],
  google: [
    { key: 'adminEmail', label: 'Admin email', kind: 'text', placeholder: 'admin@example.com', help: 'The administrator the service account acts for (domain-wide delegation).' },
    { key: 'customerId', label: 'Customer ID', kind: 'text', optional: true, placeholder: 'my_customer' },
    {
      key: 'domain',
      label: 'Domain',
      kind: 'text',
      optional: true,
      placeholder: 'All domains of the customer',
      help: 'Only narrows the import: the whole customer is read, and users and groups outside this domain are left out (each run says how many). Leave it empty to import every domain.',
    },
    { key: 'rootUrl', label: 'API root', kind: 'text', optional: true, advanced: true },
    { key: 'tokenUrl', label: 'Token endpoint', kind: 'text', optional: true, advanced: true },
    { key: 'caCertificatePem', label: 'Custom CA certificate (PEM)', kind: 'pem-file', optional: true, advanced: true, help: 'When the endpoints above are reached through a private CA (a TLS-inspecting proxy, a test emulator).' },
  ],
  'ldif-file': [
    {
      key: 'path',
      label: 'Export file path',
      kind: 'text',
      placeholder: '/srv/exports/org.ldif',
      help: 'Absolute path, on the machine running the sync, of an LDIF (ldifde, slapcat) or CSV (csvde) export.',
    },
    {
      key: 'format',
      label: 'Format',
      kind: 'select',
      options: [
        { value: 'auto', label: 'Detect from the file' },
        { value: 'ldif', label: 'LDIF' },
        { value: 'csv', label: 'CSV' },
      ],
    },
  ],
}

export const SETTINGS_SCHEMAS: Readonly<Record<IntegrationType, z.ZodType>> = {
  'active-directory': LdapConfigSchema,
  ldap: LdapConfigSchema,
  domino: LdapConfigSchema,
  entra: EntraConfigSchema,
  google: GoogleConfigSchema,
  'ldif-file': LdifFileConfigSchema,
}

/** Form values from saved settings (or the schema's defaults for a new integration). */
export function toFieldValues(type: IntegrationType, settings: Readonly<Record<string, unknown>> | null): FieldValues {
  const defaults = defaultSettings(type)
  const source = settings ?? defaults
  const values: Record<string, FieldValue> = {}
  for (const field of FIELDS[type]) {
    const value = source[field.key] ?? defaults[field.key]
    values[field.key] = field.kind === 'checkbox' ? value === true : typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  }
  return values
}

/** What the schema fills in when a field is left out. */
function defaultSettings(type: IntegrationType): Readonly<Record<string, unknown>> {
  const result = SETTINGS_SCHEMAS[type].safeParse({})
  if (result.success) return result.data as Record<string, unknown>
  // Required fields are missing from {}: take the defaults the schema would still apply.
  const shape = (SETTINGS_SCHEMAS[type] as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
  const defaults: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(undefined)
    if (parsed.success && parsed.data !== undefined) defaults[key] = parsed.data
  }
  return defaults
}

/** Settings object for the schema; `keep` carries keys the form does not show (e.g. attributeMap). */
export function fromFieldValues(type: IntegrationType, values: FieldValues, keep: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const fields = FIELDS[type]
  const shown = new Set(fields.map((field) => field.key))
  const settings: Record<string, unknown> = Object.fromEntries(Object.entries(keep).filter(([key]) => !shown.has(key)))
  for (const field of fields) {
    if (field.when && !field.when(values)) continue
    const value = values[field.key]
    if (field.kind === 'checkbox') {
      settings[field.key] = value === true
      continue
    }
    const text = typeof value === 'string' ? value.trim() : ''
    if (text === '') {
      if (!field.optional) settings[field.key] = ''
      continue
    }
    settings[field.key] = field.kind === 'number' ? Number(text) : text
  }
  return settings
}
