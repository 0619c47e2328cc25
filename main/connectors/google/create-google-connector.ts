import type { GoogleConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryConnector } from '../directory-connector.ts'

// Interim: replaced by the @googleapis/admin connector (issue 5).
export function createGoogleConnector(_settings: GoogleConfig, _secret: string | null): DirectoryConnector {
  throw new ConnectorError('config', 'The Google Directory connector is not available in this build yet.')
}
