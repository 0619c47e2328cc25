import { auth } from '@googleapis/admin'
import { ConnectorError } from '../connector-error.ts'
import { createFetch, networkError, type FetchLike } from '../https-transport.ts'
import type { ServiceAccountCredential } from './google-credential.ts'

/** What the connector reads; both are read-only scopes an admin delegates to the service account. */
export const DIRECTORY_SCOPES = {
  users: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  groups: 'https://www.googleapis.com/auth/admin.directory.group.readonly',
} as const

/** google-auth-library posts the JWT to this URL; it is hard-coded there (the key file's token_uri is ignored). */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'

export type GoogleJwt = InstanceType<typeof auth.JWT>

/**
 * A JWT client for domain-wide delegation (`subject` = the admin it acts for). Its transport is our
 * fetch (private CA when configured) with Google's token URL redirected to `tokenUrl` when the
 * integration overrides it (emulators, a token-endpoint proxy).
 */
export function createJwtClient(credential: ServiceAccountCredential, adminEmail: string, scopes: readonly string[], options: { tokenUrl?: string; caCertificatePem?: string }): GoogleJwt {
  const base = createFetch(options.caCertificatePem)
  const fetchImplementation: FetchLike = options.tokenUrl
    ? (input, init) => {
        const url = input instanceof Request ? input.url : String(input)
        return base(url === GOOGLE_TOKEN_URL ? (options.tokenUrl as string) : input, init)
      }
    : base
  return new auth.JWT({
    email: credential.clientEmail,
    key: credential.privateKeyPem,
    keyId: credential.privateKeyId,
    subject: adminEmail,
    scopes: [...scopes],
    transporterOptions: { fetchImplementation },
  })
}

interface GaxiosLikeError {
  status?: number
  code?: string | number
  message?: string
  response?: { status?: number; data?: unknown; headers?: Headers | Record<string, string> }
}

/** The OAuth error of a failed token request (`invalid_grant`, `unauthorized_client`…), or null. */
export function oauthErrorOf(error: unknown): { error: string; description: string } | null {
  const data = (error as GaxiosLikeError | null)?.response?.data as { error?: unknown; error_description?: unknown } | undefined
  if (typeof data?.error === 'string') return { error: data.error, description: typeof data.error_description === 'string' ? data.error_description : '' }
  return null
}

/** A token-endpoint failure in plain words. */
export function tokenError(error: unknown, adminEmail: string, host: string): ConnectorError {
  const oauth = oauthErrorOf(error)
  if (!oauth) return networkError(error, 'Google’s token endpoint', host, false)
  if (oauth.error === 'unauthorized_client') {
    return new ConnectorError('permission', 'The service account is not authorised for the Directory API scopes: in the Admin console (Security → API controls → Domain-wide delegation) add its client id with the scopes ' + Object.values(DIRECTORY_SCOPES).join(', ') + '.')
  }
  if (/signature/i.test(oauth.description)) return new ConnectorError('credentials', 'Google rejected the service account key (invalid JWT signature). The key may have been deleted or replaced: download a new JSON key and store it.')
  if (/account not found/i.test(oauth.description)) return new ConnectorError('credentials', 'Google does not know this service account (account not found). Check the key file; the account may have been deleted.')
  if (/invalid email or user id/i.test(oauth.description)) return new ConnectorError('credentials', `Google refused to act for ${adminEmail}: it is not a user of the domain, or not an administrator. Enter a super administrator's address.`)
  if (/timeframe|iat|exp/i.test(oauth.description)) return new ConnectorError('credentials', 'Google rejected the token request as outside its valid time range. Check this computer’s clock.')
  return new ConnectorError('credentials', `Google refused the service account sign-in (${oauth.error}).`)
}
