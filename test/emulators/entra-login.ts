import { constants, createHash, createPublicKey, createSign, createVerify, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { parseJwt, type EmulatorReply, type EmulatorRequest } from './emulator-server.ts'

/**
 * The Microsoft identity platform half of the Entra emulator: OIDC metadata and the v2.0 token
 * endpoint for client credentials (client_secret, or a client_assertion signed PS256/RS256 with the
 * app's registered certificate), issuing signed app-only tokens with `roles`, `exp` and a serial
 * the Graph half checks (and can expire all at once).
 */

export interface EntraApp {
  readonly clientId: string
  readonly clientSecret?: string
  /** PEM certificate registered on the app (certificate credentials). */
  readonly certificatePem?: string
  /** Application permissions granted with admin consent, e.g. ['User.Read.All', 'Group.Read.All']. */
  readonly roles: readonly string[]
}

/** A GUID derived from a label, so ids are stable across runs. */
export function stableGuid(label: string): string {
  const h = createHash('sha256').update(label).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export interface EntraLoginOptions {
  readonly tenantId: string
  readonly tenantDomain: string
  readonly apps: readonly EntraApp[]
  /** `expires_in` of issued tokens in seconds (Default: 3599, as Entra issues them). */
  readonly tokenLifetimeSeconds?: number
}

export class EntraLogin {
  private readonly options: EntraLoginOptions
  /** The emulator's https://127.0.0.1:PORT (known once it listens). */
  private readonly url: () => string
  private readonly signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  private tokenSerial = 0
  /** Tokens with a serial at or below this are treated as expired. */
  private expiredUpToSerial = 0

  constructor(options: EntraLoginOptions, url: () => string) {
    this.options = options
    this.url = url
  }

  /** Every token issued so far is now expired. */
  expireTokensNow(): void {
    this.expiredUpToSerial = this.tokenSerial
  }

  /** A bearer Authorization header: the token's roles, or why it is refused. */
  check(authorization: string): { roles: string[] } | 'invalid' | 'expired' {
    const jwt = authorization.startsWith('Bearer ') ? parseJwt(authorization.slice(7)) : null
    const valid = jwt !== null && createVerify('RSA-SHA256').update(jwt.signingInput).verify(this.signingKey.publicKey, jwt.signature)
    if (!jwt || !valid) return 'invalid'
    if (Number(jwt.payload['exp']) < Date.now() / 1000 || Number(jwt.payload['ser']) <= this.expiredUpToSerial) return 'expired'
    return { roles: Array.isArray(jwt.payload['roles']) ? (jwt.payload['roles'] as string[]) : [] }
  }

  private knownTenant(tenant: string): boolean {
    const t = tenant.toLowerCase()
    return t === this.options.tenantId.toLowerCase() || t === this.options.tenantDomain.toLowerCase()
  }

  private aadError(status: number, error: string, code: number, text: string): EmulatorReply {
    return {
      status,
      json: { error, error_description: `AADSTS${code}: ${text} Trace ID: ${stableGuid(String(Date.now()))} Timestamp: ${new Date().toISOString()}`, error_codes: [code], timestamp: new Date().toISOString() },
    }
  }

  metadata(tenant: string): EmulatorReply {
    if (!this.knownTenant(tenant)) return this.aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`)
    const base = `${this.url()}/${this.options.tenantId}`
    return {
      status: 200,
      json: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      },
    }
  }

  token(tenant: string, req: EmulatorRequest): EmulatorReply {
    if (!this.knownTenant(tenant)) return this.aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`)
    const form = new URLSearchParams(req.body)
    if (form.get('grant_type') !== 'client_credentials') return this.aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.')
    const clientId = form.get('client_id') ?? ''
    const app = this.options.apps.find((a) => a.clientId === clientId)
    if (!app) return this.aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.options.tenantDomain}'.`)
    const scope = form.get('scope') ?? ''
    if (!scope.split(' ').some((s) => s === `${this.url()}/.default` || s.endsWith('/.default'))) return this.aadError(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.')
    const secret = form.get('client_secret')
    const assertion = form.get('client_assertion')
    if (secret !== null) {
      if (!app.clientSecret || secret !== app.clientSecret) return this.aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.')
    } else if (assertion !== null) {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return this.aadError(400, 'invalid_request', 50027, 'Invalid client assertion type.')
      // Entra accepts the token endpoint under any of the tenant's names (GUID or domain) as `aud`.
      const audiences = [this.options.tenantId, this.options.tenantDomain].map((t) => `${this.url()}/${t}/oauth2/v2.0/token`)
      const problem = this.checkAssertion(app, assertion, audiences)
      if (problem) return this.aadError(401, 'invalid_client', problem.code, problem.text)
    } else {
      return this.aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599
    const now = Math.floor(Date.now() / 1000)
    const accessToken = this.signToken({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${this.options.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      appid: app.clientId,
      idtyp: 'app',
      oid: stableGuid(`sp:${app.clientId}`),
      roles: app.roles,
      tid: this.options.tenantId,
      ser: ++this.tokenSerial,
    })
    return { status: 200, json: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken } }
  }

  private checkAssertion(app: EntraApp, assertion: string, audiences: readonly string[]): { code: number; text: string } | null {
    const jwt = parseJwt(assertion)
    if (!jwt) return { code: 50027, text: 'JWT token is invalid or malformed.' }
    if (!app.certificatePem) return { code: 700027, text: 'Client assertion contains an invalid signature. No certificate is registered on the application.' }
    const cert = new X509Certificate(app.certificatePem)
    const s256 = Buffer.from(cert.fingerprint256.replaceAll(':', ''), 'hex').toString('base64url')
    const s1 = Buffer.from(cert.fingerprint.replaceAll(':', ''), 'hex').toString('base64url')
    if (jwt.header['x5t#S256'] !== s256 && jwt.header['x5t'] !== s1) {
      return { code: 700027, text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]` }
    }
    const alg = jwt.header['alg']
    const key = createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' }))
    const verifier = createVerify('RSA-SHA256').update(jwt.signingInput)
    const valid =
      alg === 'PS256'
        ? verifier.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature)
        : alg === 'RS256' && verifier.verify(key, jwt.signature)
    if (!valid) return { code: 700027, text: 'Client assertion failed signature validation.' }
    const p = jwt.payload
    if (p['iss'] !== app.clientId || p['sub'] !== app.clientId) return { code: 700023, text: 'Client assertion audience claim does not match Realm issuer.' }
    if (!audiences.includes(String(p['aud']))) return { code: 700212, text: `No matching federated identity record found for presented assertion audience '${String(p['aud'])}'.` }
    if (typeof p['exp'] !== 'number' || p['exp'] < Date.now() / 1000) return { code: 700024, text: 'Client assertion is not within its valid time range.' }
    return null
  }

  private signToken(payload: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'emulator' })).toString('base64url')
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(this.signingKey.privateKey).toString('base64url')
    return `${header}.${body}.${signature}`
  }
}
