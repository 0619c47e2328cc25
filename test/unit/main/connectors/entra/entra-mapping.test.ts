import { describe, expect, it } from 'vitest'
import { identityOf, isCompleteUser, mapGraphUser } from '../../../../../main/connectors/entra/entra-mapping.ts'

const base = {
  id: 'u1',
  userPrincipalName: 'jdoe@contoso.com',
  mail: 'John.Doe@Contoso.com',
  proxyAddresses: ['SMTP:John.Doe@contoso.com', 'smtp:jd@contoso.com', 'smtp:JD@Contoso.com', 'SIP:john.doe@contoso.com', 'x500:/o=Org'],
  displayName: 'John Doe',
  accountEnabled: true,
  userType: 'Member',
}

describe('mapGraphUser', () => {
  it('takes mail as the primary address and smtp: proxy addresses as aliases, lower-cased and de-duplicated', () => {
    expect(mapGraphUser(base)).toEqual({
      externalId: 'u1',
      primaryAddress: 'john.doe@contoso.com',
      aliases: ['jd@contoso.com'],
      displayName: 'John Doe',
      enabled: true,
      attributes: { userPrincipalName: 'jdoe@contoso.com', userType: 'Member' },
    })
  })

  it('takes the SMTP: proxy address when there is no mail, before the UPN', () => {
    expect(mapGraphUser({ ...base, mail: null })?.primaryAddress).toBe('john.doe@contoso.com')
  })

  it('falls back to the UPN when there is no mail', () => {
    expect(mapGraphUser({ ...base, mail: null, proxyAddresses: [] })?.primaryAddress).toBe('jdoe@contoso.com')
  })

  it('does not use a guest #EXT# UPN as an address', () => {
    expect(mapGraphUser({ ...base, mail: null, proxyAddresses: [], userPrincipalName: 'j_partner.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest' })).toBeNull()
  })

  it('reads accountEnabled false as a disabled user', () => {
    expect(mapGraphUser({ ...base, accountEnabled: false })?.enabled).toBe(false)
  })

  it('imports a disabled account with a mailbox and no licence (a shared, room or equipment mailbox) as a user that receives mail', () => {
    const room = mapGraphUser({ ...base, accountEnabled: false, assignedLicenses: [] })
    expect(room).toMatchObject({ enabled: true, attributes: { mailbox: 'shared or resource' } })
    expect(mapGraphUser({ ...base, mail: null, accountEnabled: false, assignedLicenses: [] })?.enabled).toBe(true)
  })

  it('keeps disabled: a licensed account, an account without a mailbox (UPN only), and one whose licences were not read', () => {
    expect(mapGraphUser({ ...base, accountEnabled: false, assignedLicenses: [{ skuId: 'e3' }] })?.enabled).toBe(false)
    expect(mapGraphUser({ ...base, mail: null, proxyAddresses: [], accountEnabled: false, assignedLicenses: [] })?.enabled).toBe(false)
    expect(mapGraphUser({ ...base, accountEnabled: false })?.enabled).toBe(false)
  })

  it('returns null without an id', () => {
    expect(mapGraphUser({ ...base, id: undefined })).toBeNull()
  })
})

describe('isCompleteUser', () => {
  it('tells a partial delta item (changed properties only) from a complete one', () => {
    expect(isCompleteUser(base)).toBe(true)
    expect(isCompleteUser({ id: 'u1', displayName: 'x' })).toBe(false)
  })
})

describe('identityOf', () => {
  it('calls an account external for a #EXT# UPN or an externalUserState, whatever its userType', () => {
    expect(identityOf({ ...base, userPrincipalName: 'pat_fabrikam.com#EXT#@contoso.onmicrosoft.com', userType: 'Member' })).toBe('external')
    expect(identityOf({ ...base, externalUserState: 'PendingAcceptance', userType: 'Member' })).toBe('external')
    expect(identityOf({ ...base, userPrincipalName: 'x_y.com#ext#@contoso.onmicrosoft.com', userType: 'Guest' })).toBe('external')
    // An internal account invited to B2B collaboration keeps its own UPN but signs in with its home
    // organisation's account from then on (and cannot hold an Exchange licence here): external.
    expect(identityOf({ ...base, externalUserState: 'Accepted', userType: 'Guest' })).toBe('external')
  })

  it('calls a Guest with the tenant’s own UPN an internal guest, and everyone else a member', () => {
    expect(identityOf({ ...base, userType: 'Guest' })).toBe('internal-guest')
    expect(identityOf(base)).toBe('member')
  })
})
