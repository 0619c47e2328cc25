import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMigrationService } from '../../../../main/migration/migration-service.ts'
import { coverageToCsv } from '../../../../main/migration/coverage-report.ts'
import { ldifText, type LdifUser } from '../../../helpers/ldif-writer.ts'
import { dumpAccount, makeTempDir, openTestCore, type TestCore } from '../../../helpers/test-core.ts'

/**
 * The scenario: an old directory of 200 users and a new one in which 90% match by
 * primary address, 5% only by alias (the new primary differs, the old primary is an alias),
 * 5% are missing, and a few matched users differ in display name or enabled flag.
 */
const N = 200
const oldUsers: LdifUser[] = Array.from({ length: N }, (_, i) => ({ uid: `o${i}`, mail: `user${i}@example.org`, displayName: `User ${i}` }))
const aliasOnly = new Set(Array.from({ length: N }, (_, i) => i).filter((i) => i % 20 === 1)) // 10 = 5%
const missing = new Set(Array.from({ length: N }, (_, i) => i).filter((i) => i % 20 === 2)) // 10 = 5%
const renamed = new Set([0, 3, 4]) // display-name conflicts
const disabledInNew = new Set([5]) // enabled-flag conflict
const newUsers: LdifUser[] = oldUsers.flatMap((u, i): LdifUser[] => {
  if (missing.has(i)) return []
  if (aliasOnly.has(i)) return [{ uid: `n${i}`, mail: `u${i}.new@example.org`, aliases: [u.mail], displayName: `User ${i}` }]
  return [{ uid: `n${i}`, mail: u.mail, displayName: renamed.has(i) ? `User ${i} (renamed)` : `User ${i}`, disabled: disabledInNew.has(i) }]
})
const group = (prefix: string, users: readonly LdifUser[]) => ({ cn: 'staff', mail: 'staff@example.org', members: users.map((u) => u.uid).filter((uid) => uid.startsWith(prefix)) })

describe('a migration from one directory to another', () => {
  const dir = makeTempDir('dirsync-migration')
  let t: TestCore
  let oldId: string
  let newId: string
  let migrationId: string

  beforeAll(async () => {
    t = openTestCore(join(dir.path, 'data'))
    writeFileSync(join(dir.path, 'old.ldif'), ldifText({ users: oldUsers, groups: [group('o', oldUsers)] }))
    writeFileSync(join(dir.path, 'new.ldif'), ldifText({ users: newUsers, groups: [group('n', newUsers)] }))
    oldId = await t.addLdif('Old AD', join(dir.path, 'old.ldif'))
    await t.core.runSync('all', 'manual')
    newId = await t.addLdif('New Entra', join(dir.path, 'new.ldif'))
    // The new integration is added disabled-free but not yet synced: the wizard reads it first.
  })
  afterAll(() => {
    t.close()
    dir.remove()
  })

  it('starts at "read the new one" and is found again after a restart', () => {
    const service = createMigrationService(t.core, t.clock)
    migrationId = service.start('Old AD', 'New Entra').id
    expect(service.get(migrationId).step).toBe('read-new')
    expect(createMigrationService(t.core, t.clock).list().map((m) => m.id)).toEqual([migrationId])
  })

  it('reads the new directory without applying anything', async () => {
    const usersBefore = t.core.directory.users('', 0, 1).total
    const view = await createMigrationService(t.core, t.clock).readNew(migrationId)
    expect(view.step).toBe('coverage')
    expect(t.core.directory.users('', 0, 1).total).toBe(usersBefore)
    expect(t.core.getIntegration(newId).snapshot?.users).toBe(N - missing.size)
  })

  it('stages the new integration: a Sync All mid-migration reads it and applies nothing from it', async () => {
    expect(t.core.getIntegration(newId).stagedBehind).toEqual({ id: oldId, name: 'Old AD' })
    const before = dumpAccount(t.db)
    // The preview (which reads too) says the same: nothing from the target.
    expect((await t.core.preview('all', 10)).totalActions).toBe(0)
    const run = await t.core.runSync('all', 'manual')
    expect(run.reads.map((r) => [r.integrationName, r.outcome]).sort()).toEqual([['New Entra', 'read'], ['Old AD', 'read']])
    expect(run.applied).toEqual({})
    expect(dumpAccount(t.db)).toEqual(before)
  })

  it('counts exactly the matched, alias-only, missing users and the conflicts', () => {
    const view = createMigrationService(t.core, t.clock).coverage(migrationId)
    expect(view.coverage?.counts).toMatchObject({
      oldUsers: N,
      newUsers: N - missing.size,
      matched: N - aliasOnly.size - missing.size,
      matchedByAlias: aliasOnly.size,
      onlyInOld: missing.size,
      onlyInNew: 0,
      conflicts: renamed.size + disabledInNew.size,
      matchedGroups: 1,
      groupsWithMembershipDifferences: 1,
    })
    expect(view.coverage?.groups[0]?.membersOnlyInOld).toHaveLength(missing.size)
    expect(view.step).toBe('cutover-preview')
  })

  it('exports the coverage report as CSV', () => {
    const csv = coverageToCsv(createMigrationService(t.core, t.clock).get(migrationId).coverage ?? (() => { throw new Error('no report') })())
    expect(csv.split('\n')[0]).toBe('record,category,old primary,new primary,old display name,new display name,matched via / detail')
    expect(csv.match(/^user,only-in-old,/gm)).toHaveLength(missing.size)
  })

  it('previews the cut-over: exactly the missing 5% are demoted', () => {
    const view = createMigrationService(t.core, t.clock).cutoverPreview(migrationId)
    const expected = [...missing].map((i) => `user${i}@example.org`).sort()
    expect([...(view.preview?.usersDemoted ?? [])].sort()).toEqual(expected)
    expect(view.preview?.usersDeleted).toEqual([])
    expect(view.step).toBe('cutover')
  })

  it('refuses the cut-over without the old integration\'s exact name', async () => {
    await expect(createMigrationService(t.core, t.clock).cutover(migrationId, 'old ad')).rejects.toThrow(/type the old integration's name exactly/)
  })

  it('cuts over with results identical to the preview', async () => {
    const view = await createMigrationService(t.core, t.clock).cutover(migrationId, 'Old AD')
    expect(view.step).toBe('done')
    expect(view.result?.differences).toEqual([])
    expect(view.result?.actual.usersDemoted).toEqual([...missing].map((i) => `user${i}@example.org`).sort())
    // Alias-only users kept their account and gained the new primary as an address.
    const kept = t.core.directory.users('user1@example.org', 0, 5).rows.find((u) => u.primaryAddress === 'user1@example.org')
    expect(kept?.addresses.map((a) => [a.address, a.type])).toContainEqual(['u1.new@example.org', 'directory'])
    expect(kept?.addresses.find((a) => a.address === 'user1@example.org')?.type).toBe('directory')
    expect(t.core.listIntegrations().map((i) => [i.id, i.stagedBehind])).toEqual([[newId, null]])
  })
})

describe('staging a migration target', () => {
  const dir = makeTempDir('dirsync-migration-staging')
  let t: TestCore
  afterAll(() => {
    t.close()
    dir.remove()
  })

  it('refuses an integration that already backs users of the account (staging would withdraw them)', async () => {
    t = openTestCore(join(dir.path, 'data'))
    const file = (name: string, uid: string) => {
      const path = join(dir.path, `${name}.ldif`)
      writeFileSync(path, ldifText({ users: [{ uid, mail: `${uid}@example.org`, displayName: uid }], groups: [] }))
      return path
    }
    await t.addLdif('Old', file('old', 'a1'))
    await t.addLdif('Backed', file('backed', 'b1'))
    await t.core.runSync('all', 'manual')
    expect(() => createMigrationService(t.core, t.clock).start('Old', 'Backed')).toThrow(/Backed already backs 1 user of the account, so it cannot be staged/)
  })
})
