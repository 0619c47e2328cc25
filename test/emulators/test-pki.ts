import { execFileSync } from 'node:child_process'
import { generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Throw-away keys and certificates made at test time (nothing secret is committed):
 * a test CA, a TLS server certificate for 127.0.0.1/localhost signed by it, an Entra app
 * certificate (self-signed, as the Azure portal expects) and a Google service-account key.
 * openssl makes the X.509 parts because node:crypto can read certificates but not issue them.
 */
export interface TestPki {
  readonly caCertPem: string
  readonly serverCertPem: string
  readonly serverKeyPem: string
  /** A second, unrelated CA: a client that trusts only this must reject the emulators. */
  readonly otherCaCertPem: string
}

export interface AppCertificate {
  readonly certPem: string
  readonly keyPem: string
  /** Hex SHA-256 of the DER certificate, as the portal shows it (upper case, no colons). */
  readonly thumbprintSha256: string
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-pki-'))
  try {
    const subj = (cn: string): string[] => ['-subj', `/CN=${cn}`]
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', ...subj('dirsync test CA'),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', ...subj('127.0.0.1')], dir)
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n')
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf'], dir)
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', ...subj('unrelated CA')], dir)
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8')
    return { caCertPem: read('ca.crt'), serverCertPem: read('server.crt'), serverKeyPem: read('server.key'), otherCaCertPem: read('other.crt') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A self-signed app certificate for Entra certificate credentials. */
export function createAppCertificate(cn = 'dirsync-test-app'): AppCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-app-cert-'))
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'app.key', '-out', 'app.crt', '-days', '2', '-subj', `/CN=${cn}`], dir)
    const certPem = readFileSync(join(dir, 'app.crt'), 'utf8')
    const keyPem = readFileSync(join(dir, 'app.key'), 'utf8')
    const thumbprintSha256 = new X509Certificate(certPem).fingerprint256.replaceAll(':', '')
    return { certPem, keyPem, thumbprintSha256 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The JSON key file the Google Cloud console downloads for a service account (fields as Google writes them). */
export interface ServiceAccountKey {
  readonly type: 'service_account'
  readonly project_id: string
  readonly private_key_id: string
  readonly private_key: string
  readonly client_email: string
  readonly client_id: string
  readonly auth_uri: string
  readonly token_uri: string
}

export function createServiceAccountKey(name = 'dirsync-reader'): { key: ServiceAccountKey; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const key: ServiceAccountKey = {
    type: 'service_account',
    project_id: 'dirsync-test',
    private_key_id: randomUUID().replaceAll('-', ''),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `${name}@dirsync-test.iam.gserviceaccount.com`,
    client_id: String(100_000_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
  }
  return { key, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }
}
