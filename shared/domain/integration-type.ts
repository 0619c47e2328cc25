import { z } from 'zod'

/** The directory kinds the console can connect. Labels mirror the cloud console's wording. */
export const INTEGRATION_TYPES = ['active-directory', 'ldap', 'domino', 'entra', 'google', 'ldif-file'] as const
export const IntegrationTypeSchema = z.enum(INTEGRATION_TYPES)
export type IntegrationType = z.infer<typeof IntegrationTypeSchema>

export const INTEGRATION_TYPE_LABELS: Readonly<Record<IntegrationType, string>> = {
  'active-directory': 'On-Premises Active Directory (LDAP)',
  ldap: 'LDAP',
  domino: 'Domino Directory (LDAP)',
  entra: 'Microsoft Entra ID',
  google: 'Google Directory',
  'ldif-file': 'LDIF/CSV file',
}
