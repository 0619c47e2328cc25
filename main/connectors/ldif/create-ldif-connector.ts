import type { LdifFileConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector } from '../directory-connector.ts'

// Interim: replaced by the LDIF/CSV connector (issue 2).
export function createLdifConnector(_settings: LdifFileConfig): DirectoryConnector {
  throw new ConnectorError('config', 'The LDIF/CSV connector is not available in this build yet.')
}
