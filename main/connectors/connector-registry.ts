import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import type { DirectoryConnector } from './directory-connector.ts'
import { createLdifConnector } from './ldif/create-ldif-connector.ts'
import { createLdapConnector } from './ldap/create-ldap-connector.ts'
import { createEntraConnector } from './entra/create-entra-connector.ts'
import { createGoogleConnector } from './google/create-google-connector.ts'

/** What a connector is built from: the integration's settings and its secret (never logged). */
export interface ConnectorContext {
  readonly integrationId: string
  readonly config: IntegrationConfig
  readonly secret: string | null
}

/** kind → factory. The only place that knows every connector. */
export function createConnector(context: ConnectorContext): DirectoryConnector {
  const { config } = context
  switch (config.type) {
    case 'ldif-file':
      return createLdifConnector(config.settings)
    case 'active-directory':
    case 'ldap':
    case 'domino':
      return createLdapConnector(config.type, config.settings, context.secret)
    case 'entra':
      return createEntraConnector(config.settings, context.secret)
    case 'google':
      return createGoogleConnector(config.settings, context.secret)
  }
}
