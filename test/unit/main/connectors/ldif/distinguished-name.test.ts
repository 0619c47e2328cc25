import { describe, expect, it } from 'vitest'
import { firstRdnValue, normalizeDn } from '../../../../../main/connectors/ldif/distinguished-name.ts'

describe('DN normalisation', () => {
  it('makes two spellings of the same DN equal: case and spaces around separators', () => {
    expect(normalizeDn('UID=ASmith, ou=People ,dc=example, dc=org')).toBe(normalizeDn('uid=asmith,ou=people,dc=example,dc=org'))
  })

  it('keeps escaped commas inside a value', () => {
    expect(normalizeDn('CN=Anders\\, Bob , OU=Staff')).toBe('cn=anders\\, bob,ou=staff')
  })

  it('collapses runs of spaces inside a value', () => {
    expect(normalizeDn('CN=Bob   Brown,OU=Staff')).toBe('cn=bob brown,ou=staff')
  })

  it('reads the value of the first RDN, unescaped', () => {
    expect(firstRdnValue('CN=Anders\\, Bob,OU=Staff')).toBe('Anders, Bob')
    expect(firstRdnValue('cn=developers,ou=groups')).toBe('developers')
  })
})
