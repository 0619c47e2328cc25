import { createPrivateKey, X509Certificate } from 'node:crypto'
import type { EntraConfig } from '../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../connector-error.ts'

/**
 * The stored secret of an Entra integration:
 * - authMethod `client-secret`: the client secret value (not its id), as the portal shows it once;
 * - authMethod `certificate`: ONE text holding the PEM private key (`-----BEGIN PRIVATE KEY-----`,
 *   PKCS#8, or `BEGIN RSA PRIVATE KEY`, unencrypted) AND the PEM certificate uploaded to the app
 *   registration (`-----BEGIN CERTIFICATE-----`), in either order — i.e. `cat app.key app.crt`.
 *   The thumbprint is computed from the certificate; `certificateThumbprint` in the settings, when
 *   set, must match it (SHA-1 or SHA-256, colons and case ignored).
 */
export type EntraCredential =
  | { readonly kind: 'client-secret'; readonly clientSecret: string }
  | { readonly kind: 'certificate'; readonly privateKeyPem: string; readonly certificatePem: string; readonly thumbprintSha256: string }

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g

export function parseEntraCredential(settings: Pick<EntraConfig, 'authMethod' | 'certificateThumbprint'>, secret: string | null): EntraCredential {
  if (secret === null || secret.trim() === '') {
    throw new ConnectorError('config', settings.authMethod === 'certificate'
      ? 'No certificate is stored for this integration. Paste the PEM private key followed by the PEM certificate.'
      : 'No client secret is stored for this integration. Enter the client secret value from the app registration.')
  }
  if (settings.authMethod === 'client-secret') {
    if (secret.includes('-----BEGIN')) throw new ConnectorError('config', 'The stored secret is a PEM block, but the integration is set to use a client secret. Switch the authentication method to certificate.')
    return { kind: 'client-secret', clientSecret: secret.trim() }
  }
  const blocks = [...secret.matchAll(PEM_BLOCK)]
  const keyBlock = blocks.find((b) => /PRIVATE KEY$/.test(b[1] ?? ''))
  const certBlock = blocks.find((b) => b[1] === 'CERTIFICATE')
  if (!keyBlock || !certBlock) throw new ConnectorError('config', 'The stored certificate secret must contain both the PEM private key and the PEM certificate (for example the output of `cat app.key app.crt`).')
  if (keyBlock[1] === 'ENCRYPTED PRIVATE KEY') throw new ConnectorError('config', 'The private key is encrypted. Store it without a passphrase (it is kept in the system keychain).')
  let privateKeyPem: string
  let cert: X509Certificate
  try {
    // MSAL wants PKCS#8 ("BEGIN PRIVATE KEY"); a PKCS#1 RSA key is converted here.
    privateKeyPem = createPrivateKey(keyBlock[0]).export({ type: 'pkcs8', format: 'pem' }).toString()
  } catch {
    throw new ConnectorError('config', 'The private key in the stored certificate secret could not be read.')
  }
  try {
    cert = new X509Certificate(certBlock[0])
  } catch {
    throw new ConnectorError('config', 'The certificate in the stored secret could not be read.')
  }
  if (!cert.checkPrivateKey(createPrivateKey(privateKeyPem))) throw new ConnectorError('config', 'The private key does not belong to the certificate stored with it.')
  const sha256 = cert.fingerprint256.replaceAll(':', '').toUpperCase()
  const sha1 = cert.fingerprint.replaceAll(':', '').toUpperCase()
  const expected = settings.certificateThumbprint?.replace(/[\s:]/g, '').toUpperCase()
  if (expected && expected !== sha256 && expected !== sha1) {
    throw new ConnectorError('config', `The certificate stored for this integration has thumbprint ${sha1} (SHA-1), not ${expected} as configured.`)
  }
  if (new Date(cert.validTo).getTime() < Date.now()) throw new ConnectorError('credentials', `The certificate expired on ${cert.validTo}. Upload a new one to the app registration and store it here.`)
  return { kind: 'certificate', privateKeyPem, certificatePem: certBlock[0], thumbprintSha256: sha256 }
}
