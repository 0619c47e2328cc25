import { createPrivateKey } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../../../main/connectors/connector-error.ts'
import { parseEntraCredential } from '../../../../../main/connectors/entra/entra-credential.ts'
import { createAppCertificate, type AppCertificate } from '../../../../emulators/test-pki.ts'

let cert: AppCertificate
beforeAll(() => {
  cert = createAppCertificate()
})

function failure(fn: () => unknown): ConnectorError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError)
    return error as ConnectorError
  }
  throw new Error('expected a ConnectorError')
}

describe('parseEntraCredential', () => {
  it('takes a client secret as is', () => {
    expect(parseEntraCredential({ authMethod: 'client-secret' }, ' s3cr~et ')).toEqual({ kind: 'client-secret', clientSecret: 's3cr~et' })
  })

  it('reads key + certificate in either order and computes the SHA-256 thumbprint', () => {
    const a = parseEntraCredential({ authMethod: 'certificate' }, `${cert.keyPem}\n${cert.certPem}`)
    const b = parseEntraCredential({ authMethod: 'certificate' }, `${cert.certPem}\n${cert.keyPem}`)
    expect(a).toEqual(b)
    expect(a.kind === 'certificate' && a.thumbprintSha256).toBe(cert.thumbprintSha256.toUpperCase())
  })

  it('accepts a PKCS#1 RSA key and hands MSAL PKCS#8', () => {
    const pkcs1 = createPrivateKey(cert.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString()
    const parsed = parseEntraCredential({ authMethod: 'certificate' }, `${pkcs1}${cert.certPem}`)
    expect(parsed.kind === 'certificate' && parsed.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
  })

  it('refuses a configured thumbprint that does not match the stored certificate', () => {
    const error = failure(() => parseEntraCredential({ authMethod: 'certificate', certificateThumbprint: 'AA:BB' }, `${cert.keyPem}${cert.certPem}`))
    expect(error.code).toBe('config')
    expect(error.message).toMatch(/thumbprint/)
  })

  it('accepts the configured thumbprint with colons and lower case', () => {
    const colons = cert.thumbprintSha256.toLowerCase().match(/../g)?.join(':')
    expect(parseEntraCredential({ authMethod: 'certificate', certificateThumbprint: colons }, `${cert.keyPem}${cert.certPem}`).kind).toBe('certificate')
  })

  it('asks for both PEM blocks when one is missing, without echoing the key', () => {
    const error = failure(() => parseEntraCredential({ authMethod: 'certificate' }, cert.keyPem))
    expect(error.message).toMatch(/both the PEM private key and the PEM certificate/)
    expect(error.message).not.toContain('PRIVATE KEY-----')
  })

  it('refuses a key that does not belong to the certificate', () => {
    const other = createAppCertificate('other')
    expect(failure(() => parseEntraCredential({ authMethod: 'certificate' }, `${other.keyPem}${cert.certPem}`)).message).toMatch(/does not belong/)
  })

  it('points out a PEM stored for a client-secret integration and an empty secret', () => {
    expect(failure(() => parseEntraCredential({ authMethod: 'client-secret' }, cert.keyPem)).message).toMatch(/Switch the authentication method/)
    expect(failure(() => parseEntraCredential({ authMethod: 'client-secret' }, null)).code).toBe('config')
  })
})
