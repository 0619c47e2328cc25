import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import type { DirectoryConnector } from './directory-connector.ts'

/** What a connector is built from: the integration's settings and its secret (never logged). */
export interface ConnectorContext {
  readonly integrationId: string
  readonly config: IntegrationConfig
  readonly secret: string | null
}

/**
 * kind → factory. The only place that knows every connector. Each is loaded when first asked for:
 * the Entra and Google SDKs (MSAL, google-auth-library: ~250 modules) took ~0.3 s of every `dirsync`
 * command's start-up, also for an account that syncs only LDAP.
 */
export async function createConnector(context: ConnectorContext): Promise<DirectoryConnector> {
  const { config } = context
  switch (config.type) {
    case 'ldif-file':
      return (await import('./ldif/create-ldif-connector.ts')).createLdifConnector(config.settings)
    case 'active-directory':
    case 'ldap':
    case 'domino':
      return (await import('./ldap/create-ldap-connector.ts')).createLdapConnector(config.type, config.settings, context.secret)
    case 'entra':
      return (await import('./entra/create-entra-connector.ts')).createEntraConnector(config.settings, context.secret)
    case 'google':
      return (await import('./google/create-google-connector.ts')).createGoogleConnector(config.settings, context.secret)
  }
}
