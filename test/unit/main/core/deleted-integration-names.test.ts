import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ldifText, type LdifUser } from '../../../helpers/ldif-writer.ts'
import { makeTempDir, openTestCore, type TestCore } from '../../../helpers/test-core.ts'

const users: LdifUser[] = Array.from({ length: 12 }, (_, i) => ({ uid: `u${i}`, mail: `u${i}@example.org`, displayName: `User ${i}` }))

/** Issue 16's first complaint: after deleting an integration, its held actions showed a raw id and could not be approved by name. */
describe('a deleted integration keeps its name', () => {
  const dir = makeTempDir('dirsync-deleted-names')
  let t: TestCore
  let id = ''

  beforeAll(async () => {
    t = openTestCore(join(dir.path, 'data'))
    const file = join(dir.path, 'sample.ldif')
    writeFileSync(file, ldifText({ users, groups: [{ cn: 'staff', mail: 'staff@example.org', members: users.map((u) => u.uid) }] }))
    id = await t.addLdif('Sample directory', file, { maxUnlinks: 10 })
    await t.core.runSync('all', 'manual')
    await t.core.deleteIntegration('Sample directory', 'Sample directory')
    await t.core.runSync('all', 'manual')
  })
  afterAll(() => {
    t.close()
    dir.remove()
  })

  it('names it "(deleted)" on every held action, in the threshold banner and in the list of names', () => {
    const list = t.core.listHeld({}, 0, 1000)
    expect(Object.fromEntries(['demote-address', 'delete-group'].map((kind) => [kind, list.actions.filter((a) => a.kind === kind).length]))).toEqual({ 'demote-address': 12, 'delete-group': 1 })
    expect(list.approvable).toBe(13)
    // Its limit cannot be raised any more: the reason offers only what can be done.
    expect(list.actions[0]?.reasonText).toBe('Sample directory (deleted) would make 13 destructive changes in one run; its maximum unlinks is 10. Review and approve.')
    expect(new Set(list.actions.flatMap((a) => a.integrationNames))).toEqual(new Set(['Sample directory (deleted)']))
    expect(t.core.status().thresholdHolds).toEqual([{ integrationId: id, name: 'Sample directory (deleted)', deleted: true, count: 13, limit: 10 }])
    expect(t.core.integrationNames()).toEqual([{ id, name: 'Sample directory', deleted: true }])
  })

  it('filters and approves its held actions by its name', () => {
    expect(t.core.listHeld({ integrationId: 'sample directory', kind: 'demote-address' }, 0, 5).total).toBe(12)
    expect(t.core.approve({ integrationId: 'Sample directory', kind: 'demote-address' })).toEqual({ approved: 12, refused: [] })
    expect(t.core.listHeld({ integrationId: 'Sample directory' }, 0, 5).approvable).toBe(1)
  })

  it('still refuses a name no integration ever had, without advice meant for the CLI', () => {
    expect(() => t.core.approve({ integrationId: 'Nobody' })).toThrow('No integration is called or has the id "Nobody".')
  })
})
