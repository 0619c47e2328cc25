import { join } from 'node:path'
import { expect, onTestFinished } from 'vitest'
import type { IntegrationPolicy } from '../../../../shared/domain/integration-policy.ts'
import { isDestructiveKind, type ActionKind } from '../../../../shared/domain/sync-action.ts'
import { writeLdifSync, type LdifOrg, type LdifUser } from '../../../helpers/ldif-writer.ts'
import { makeTempDir, members, openTestCore, type TestCore } from '../../../helpers/test-core.ts'

/**
 * The fixture of the sync-rules tests (DESIGN.md §1–§2, rule by rule, through the real core on a real
 * SQLite data directory, with ldif-file integrations reading LDIF files the tests rewrite between runs).
 */
export interface Fixture {
  readonly t: TestCore
  /** Writes the LDIF file behind integration `name` (its path is `<tmp>/<name>.ldif`). */
  write(name: string, org: LdifOrg): void
  path(name: string): string
  add(name: string, org: LdifOrg, policy?: Partial<IntegrationPolicy>): Promise<string>
}

export function fixture(): Fixture {
  const dir = makeTempDir('sync-rules')
  const t = openTestCore(join(dir.path, 'data'))
  onTestFinished(() => {
    t.close()
    dir.remove()
  })
  const path = (name: string): string => join(dir.path, `${name.replace(/\W+/g, '-')}.ldif`)
  const write = (name: string, org: LdifOrg): void => writeLdifSync(path(name), org)
  return {
    t,
    write,
    path,
    async add(name, org, policy = {}) {
      write(name, org)
      return t.addLdif(name, path(name), policy)
    },
  }
}

export const user = (uid: string, extra: Partial<LdifUser> = {}): LdifUser => ({ uid, mail: `${uid}@example.org`, displayName: uid, ...extra })
export const users = (...uids: string[]): LdifUser[] => uids.map((uid) => user(uid))
export const destructiveApplied = (applied: Record<string, number>): string[] => Object.keys(applied).filter((kind) => isDestructiveKind(kind as ActionKind))

/** Old AD (dan) and New LDAP (ann, bob in staff@): the starting point of most gate tests, synced once. */
export async function twoIntegrations(f: Fixture): Promise<{ oldAd: string; newLdap: string }> {
  const oldAd = await f.add('Old AD', { users: users('dan') })
  const newLdap = await f.add('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] })
  const first = await f.t.core.runSync('all', 'manual')
  expect(first.outcome).toBe('success')
  expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org', 'bob@example.org'])
  return { oldAd, newLdap }
}

