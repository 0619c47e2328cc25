import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DnTable } from '../../../../../main/connectors/ldap/dn-table.ts'

describe('DnTable', () => {
  it('answers like a Map for any keys, including keys that share their first RDN', () => {
    const dn = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.constantFrom('cn=user', 'uid=a', 'cn=x\\,y'), fc.string({ maxLength: 8 })).map(([rdn, rest]) => `${rdn},ou=${rest},dc=example,dc=com`),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(dn, fc.nat()), { maxLength: 300 }), fc.array(dn, { maxLength: 50 }), (entries, probes) => {
        const table = new DnTable()
        const map = new Map<string, number>()
        for (const [key, value] of entries) {
          table.set(key, value)
          map.set(key, value)
        }
        expect(table.size).toBe(map.size)
        for (const key of [...map.keys(), ...probes]) expect(table.get(key)).toBe(map.get(key))
      }),
      { numRuns: 300, seed: 11 },
    )
  })

  it('hashes first RDNs only, and switches to whole DNs when entries share their first RDN', () => {
    const usual = new DnTable()
    for (let i = 0; i < 20_000; i++) usual.set(`uid=user${i},ou=people,dc=example,dc=com`, i)
    expect(usual.hashesWholeDn).toBe(false)
    const table = new DnTable()
    for (let i = 0; i < 20_000; i++) table.set(`cn=mailbox,ou=person ${i},dc=example,dc=com`, i)
    for (let i = 0; i < 20_000; i++) expect(table.get(`cn=mailbox,ou=person ${i},dc=example,dc=com`)).toBe(i)
    expect(table.get('cn=mailbox,ou=nobody,dc=example,dc=com')).toBeUndefined()
    expect(table.hashesWholeDn).toBe(true)
  })
})
