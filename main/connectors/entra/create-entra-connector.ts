import type { EntraConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector } from '../directory-connector.ts'

// Interim: replaced by the msal-node + Graph connector (issue 5).
export function createEntraConnector(_settings: EntraConfig, _secret: string | null): DirectoryConnector {
  throw new ConnectorError('config', 'The Microsoft Entra ID connector is not available in this build yet.')
}
