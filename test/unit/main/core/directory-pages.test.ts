import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeLdifSync } from '../../../helpers/ldif-writer.ts'
import { makeTempDir, openTestCore } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-directory-pages')
afterAll(() => tmp.remove())

describe('the directory’s user and group pages and its export', () => {
  it('names the integrations behind each address, tells two groups of one name apart, and exports the filtered users chunk by chunk', async () => {
    const hrFile = join(tmp.path, 'hr.ldif')
    const salesFile = join(tmp.path, 'sales.ldif')
    writeLdifSync(hrFile, {
      users: [
        { uid: 'ann', mail: 'ann@example.org', displayName: 'Ann Lee', aliases: ['ann.lee@example.org'] },
        { uid: 'bo', mail: 'bo@example.org', displayName: 'Bo, "the" Berg' },
      ],
      groups: [{ cn: 'Finance', mail: 'finance@example.org', members: ['ann', 'bo'] }],
    })
    writeLdifSync(salesFile, {
      users: [{ uid: 'bo2', mail: 'bo@example.org', displayName: 'Bo, "the" Berg', aliases: ['bo@sales.example.org'] }],
      groups: [{ cn: 'Finance', mail: 'finance@sales.example.org', members: ['bo2'] }],
    })
    const t = openTestCore(join(tmp.path, 'data'))
    try {
      const hr = await t.addLdif('HR Export', hrFile)
      const sales = await t.addLdif('Sales Export', salesFile)
      await t.core.runSync('all', 'manual')

      const bo = t.core.user('bo@sales.example.org')
      expect(bo.primaryAddress).toBe('bo@example.org')
      expect(bo.addresses.map((a) => [a.address, a.sources.map((s) => s.name).sort()])).toEqual([
        ['bo@example.org', ['HR Export', 'Sales Export']],
        ['bo@sales.example.org', ['Sales Export']],
      ])
      expect(bo.groups.map((g) => `${g.name} <${g.address}>`).sort()).toEqual(['Finance <finance@example.org>', 'Finance <finance@sales.example.org>'])
      expect(t.core.group('finance@sales.example.org', false)).toMatchObject({ name: 'Finance', sources: [{ id: sales, name: 'Sales Export' }] })

      const first = t.core.exportUsers({ query: 'example.org', source: hr, addressType: 'directory' }, '', 1)
      expect(first.csv).toBe('Primary address,Display name,Status,Addresses,Address types,Sources\r\nann@example.org,Ann Lee,active,"ann@example.org; ann.lee@example.org","Extracted From Directory; Extracted From Directory",HR Export\r\n')
      expect(first.next).toBe('ann@example.org')
      const second = t.core.exportUsers({ query: 'example.org', source: hr, addressType: 'directory' }, 'ann@example.org', 1)
      expect(second.csv).toBe('bo@example.org,"Bo, ""the"" Berg",active,"bo@example.org; bo@sales.example.org","Extracted From Directory; Extracted From Directory","HR Export; Sales Export"\r\n')
      expect(t.core.exportUsers({ query: 'example.org', source: hr, addressType: 'directory' }, 'bo@example.org', 1)).toEqual({ csv: '', next: null })
    } finally {
      t.close()
    }
  })
})
