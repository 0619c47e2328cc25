import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DirectoryGroup, DirectoryUser } from '../../../../../shared/domain/directory-snapshot.ts'
import { createLdifConnector } from '../../../../../main/connectors/ldif/create-ldif-connector.ts'
import { generateSampleOrgLdif } from '../../../../../main/demo/sample-org-generator.ts'
import { sampleOrgPath } from '../../../../../main/demo/sample-org-path.ts'

async function readSample(): Promise<{ users: DirectoryUser[]; groups: DirectoryGroup[]; warnings: readonly string[] }> {
  const reader = createLdifConnector({ path: sampleOrgPath(), format: 'auto' }).read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal })
  const users: DirectoryUser[] = []
  const groups: DirectoryGroup[] = []
  let next = await reader.next()
  while (next.done !== true) {
    if (next.value.kind === 'users') users.push(...next.value.users)
    if (next.value.kind === 'groups') groups.push(...next.value.groups)
    next = await reader.next()
  }
  return { users, groups, warnings: next.value.warnings }
}

describe('the bundled sample organisation', () => {
  it('lives at an absolute path next to the demo module, or in the directory the packaged app names', () => {
    const path = sampleOrgPath()
    expect(isAbsolute(path)).toBe(true)
    expect(path.endsWith(join('main', 'demo', 'sample-org.ldif'))).toBe(true)
    expect(existsSync(path)).toBe(true)
    expect(sampleOrgPath('/opt/app/resources')).toBe(join('/opt/app/resources', 'sample-org.ldif'))
  })

  it('is exactly what the generator writes, so it can be regenerated with node scripts/generate-sample-org.ts', async () => {
    expect(await readFile(sampleOrgPath(), 'utf8')).toBe([...generateSampleOrgLdif()].join(''))
  })

  it('is written as ldifde writes: changetype add, base64 objectGUIDs, base64 non-ASCII names, folded long lines', async () => {
    const text = await readFile(sampleOrgPath(), 'utf8')
    expect(text).toMatch(/^changetype: add$/m)
    expect(text).toMatch(/^objectGUID:: [A-Za-z0-9+/]{22}==$/m)
    expect(text).toMatch(/^dn:: /m)
    expect(text).toMatch(/^ \S/m)
  })

  it('reads to exactly 200 users and 20 groups on sample.example.com, 10 of the users disabled', async () => {
    const { users, groups } = await readSample()
    expect(users).toHaveLength(200)
    expect(groups).toHaveLength(20)
    expect(users.filter((user) => !user.enabled)).toHaveLength(10)
    expect(users.every((user) => user.primaryAddress.endsWith('@sample.example.com'))).toBe(true)
    expect(new Set(users.map((user) => user.primaryAddress)).size).toBe(200)
  })

  it('gives 60 users smtp: aliases, none of them X500 or SIP addresses', async () => {
    const { users } = await readSample()
    const aliases = users.flatMap((user) => user.aliases)
    expect(users.filter((user) => user.aliases.length > 0)).toHaveLength(60)
    expect(aliases.every((alias) => /^[a-z0-9.]+@(mail\.)?sample\.example\.com$/.test(alias))).toBe(true)
  })

  it('flattens the nested All Staff and Leadership groups', async () => {
    const { users, groups } = await readSample()
    const byName = new Map(groups.map((group) => [group.name, group]))
    expect(byName.get('All Staff')?.memberIds).toHaveLength(users.length)
    expect(byName.get('Executives')?.memberIds).toHaveLength(8)
    expect(byName.get('Leadership')?.memberIds).toHaveLength(11)
    expect(byName.get('Engineering')?.memberIds).toHaveLength(25)
  })

  it('warns only about its two service accounts without a mailbox', async () => {
    const { warnings } = await readSample()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^2 users have no email address .* CN=svc-backup,OU=Staff,DC=sample,DC=example,DC=com .* CN=svc-scanner,/)
  })
})
