import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector } from '../directory-connector.ts'

// Interim: replaced by the ldapts connector (issue 4).
export function createLdapConnector(_type: 'active-directory' | 'ldap' | 'domino', _settings: LdapConfig, _secret: string | null): DirectoryConnector {
  throw new ConnectorError('config', 'The LDAP connector is not available in this build yet.')
}
