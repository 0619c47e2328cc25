import { describe, expect, it } from 'vitest'
import { LdapConfigSchema } from '../../../../../shared/domain/integration-config.ts'
import { deletionSource, missingIds } from '../../../../../main/connectors/ldap/deletion-source.ts'
import { resolvePlan } from '../../../../../main/connectors/ldap/ldap-read-plan.ts'

const settings = LdapConfigSchema.parse({ host: 'dc1.example.test', bindDn: 'svc@example.test', baseDn: 'DC=example,DC=test' })

describe('deletionSource', () => {
  it('uses the tombstones when the AD bind account may list CN=Deleted Objects', () => {
    expect(deletionSource(resolvePlan('active-directory', settings), true)).toMatchObject({ method: 'tombstones', cheaperWith: null })
  })

  it('lists objectGUIDs for an ordinary AD account, and names the right that would make it cheaper', () => {
    const source = deletionSource(resolvePlan('active-directory', settings), false)
    expect(source.method).toBe('id-enumeration')
    expect(source.description).toMatch(/listing every objectGUID in scope/)
    expect(source.cheaperWith).toMatch(/List Contents and Read Property on CN=Deleted Objects.*dsacls/)
  })

  it('lists entryUUIDs for generic LDAP and dominoUNIDs for Domino, which keep no record of deletions', () => {
    expect(deletionSource(resolvePlan('ldap', settings), true).description).toMatch(/every entryUUID in scope.*no record of deletions/)
    expect(deletionSource(resolvePlan('domino', settings), false)).toMatchObject({ method: 'id-enumeration', cheaperWith: null })
    expect(deletionSource(resolvePlan('domino', settings), false).description).toMatch(/every dominoUNID/)
  })
})

describe('missingIds', () => {
  it('reports exactly the snapshot ids the enumeration did not find', () => {
    const known = { users: ['u1', 'u2', 'u3'], groups: ['g1', 'g2'] }
    const present = { users: new Set(['u1', 'u3', 'u4']), groups: new Set(['g1', 'g2']) }
    expect(missingIds(known, present)).toEqual({ userIds: ['u2'], groupIds: [] })
  })
})
