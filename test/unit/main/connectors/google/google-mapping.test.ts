import { describe, expect, it } from 'vitest'
import { parseServiceAccountKey } from '../../../../../main/connectors/google/google-credential.ts'
import { mapGoogleUser } from '../../../../../main/connectors/google/google-mapping.ts'
import { createServiceAccountKey } from '../../../../emulators/test-pki.ts'

describe('mapGoogleUser', () => {
  it('maps primaryEmail, aliases (without the primary), name.fullName, suspended and id', () => {
    expect(
      mapGoogleUser({ id: '1001', primaryEmail: 'Ann@Example.com', aliases: ['a@example.com', 'ann@example.com'], nonEditableAliases: ['ann@example.test-google-a.com'], name: { fullName: 'Ann Lee' }, suspended: true, orgUnitPath: '/Sales' }),
    ).toEqual({ externalId: '1001', primaryAddress: 'ann@example.com', aliases: ['a@example.com', 'ann@example.test-google-a.com'], displayName: 'Ann Lee', enabled: false, attributes: { orgUnitPath: '/Sales' } })
  })

  it('returns null without an id or primary email', () => {
    expect(mapGoogleUser({ primaryEmail: 'x@example.com' })).toBeNull()
  })
})

describe('parseServiceAccountKey', () => {
  it('reads the JSON key file the Cloud console downloads', () => {
    const { key } = createServiceAccountKey()
    expect(parseServiceAccountKey(JSON.stringify(key))).toMatchObject({ clientEmail: key.client_email, privateKeyId: key.private_key_id })
  })

  it('explains what is wrong with a bad key, without echoing it', () => {
    expect(() => parseServiceAccountKey('not json {')).toThrow(/not valid JSON/)
    expect(() => parseServiceAccountKey(JSON.stringify({ type: 'authorized_user' }))).toThrow(/not a service account key/)
    const { key } = createServiceAccountKey()
    try {
      parseServiceAccountKey(JSON.stringify({ ...key, private_key: 'garbage-key-material' }))
      throw new Error('expected a failure')
    } catch (error) {
      expect((error as Error).message).toMatch(/could not be read/)
      expect((error as Error).message).not.toContain('garbage-key-material')
    }
  })
})
