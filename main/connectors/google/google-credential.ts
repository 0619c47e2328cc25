import { createPrivateKey } from 'node:crypto'
import { ConnectorError } from '../connector-error.ts'

/**
 * The stored secret of a Google integration: the service account's JSON key file, exactly as the
 * Google Cloud console downloads it ({"type":"service_account","client_email":…,"private_key":…}).
 */
export interface ServiceAccountCredential {
  readonly clientEmail: string
  readonly privateKeyPem: string
  readonly privateKeyId: string | undefined
}

export function parseServiceAccountKey(secret: string | null): ServiceAccountCredential {
  if (secret === null || secret.trim() === '') throw new ConnectorError('config', 'No service account key is stored for this integration. Paste the JSON key file of the service account.')
  let json: unknown
  try {
    json = JSON.parse(secret)
  } catch {
    throw new ConnectorError('config', 'The stored service account key is not valid JSON. Paste the whole key file as downloaded from the Google Cloud console.')
  }
  const key = json as Record<string, unknown>
  if (key['type'] !== 'service_account') throw new ConnectorError('config', 'The stored key is not a service account key (its "type" is not "service_account").')
  const clientEmail = key['client_email']
  const privateKey = key['private_key']
  if (typeof clientEmail !== 'string' || !clientEmail.includes('@')) throw new ConnectorError('config', 'The service account key has no "client_email".')
  if (typeof privateKey !== 'string') throw new ConnectorError('config', 'The service account key has no "private_key".')
  try {
    createPrivateKey(privateKey)
  } catch {
    throw new ConnectorError('config', 'The private key in the service account key file could not be read.')
  }
  return { clientEmail, privateKeyPem: privateKey, privateKeyId: typeof key['private_key_id'] === 'string' ? key['private_key_id'] : undefined }
}
