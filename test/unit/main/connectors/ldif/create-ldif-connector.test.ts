import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionStep } from '../../../../../shared/domain/connection-test.ts'
import type { DirectoryGroup, DirectoryUser } from '../../../../../shared/domain/directory-snapshot.ts'
import type { LdifFileConfig } from '../../../../../shared/domain/integration-config.ts'
import { ConnectorError } from '../../../../../main/connectors/connector-error.ts'
import type { ReadSummary } from '../../../../../main/connectors/directory-connector.ts'
import { createLdifConnector } from '../../../../../main/connectors/ldif/create-ldif-connector.ts'

const fixtures = join(import.meta.dirname, '../../../../fixtures/ldif')

interface ReadResult {
  users: DirectoryUser[]
  groups: DirectoryGroup[]
  summary: ReadSummary
  /** Kinds of the batches in arrival order, with their sizes, e.g. ['users:1000', 'groups:3']. */
  batches: string[]
}

async function readAll(path: string, format: LdifFileConfig['format'] = 'auto'): Promise<ReadResult> {
  const reader = createLdifConnector({ path, format }).read({ cursor: null, incrementalRunsSinceFull: 0, signal: new AbortController().signal })
  const result: Omit<ReadResult, 'summary'> = { users: [], groups: [], batches: [] }
  let next = await reader.next()
  while (next.done !== true) {
    const batch = next.value
    if (batch.kind === 'users') {
      result.users.push(...batch.users)
      result.batches.push(`users:${batch.users.length}`)
    } else if (batch.kind === 'groups') {
      result.groups.push(...batch.groups)
      result.batches.push(`groups:${batch.groups.length}`)
    }
    next = await reader.next()
  }
  return { ...result, summary: next.value }
}

async function readFailure(path: string): Promise<ConnectorError> {
  try {
    await readAll(path)
  } catch (error) {
    if (error instanceof ConnectorError) return error
    throw error
  }
  throw new Error('expected a ConnectorError, but the read succeeded')
}

async function testConnection(path: string): Promise<readonly ConnectionStep[]> {
  const reported: ConnectionStep[] = []
  const steps = await createLdifConnector({ path, format: 'auto' }).testConnection(new AbortController().signal, (step) => reported.push(step))
  expect(reported).toEqual(steps)
  return steps
}

let scratch = ''
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ldif-connector-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe('reading an ldifde export', () => {
  it('reads the users with GUID ids, primary addresses, aliases and disabled flags, and skips the computer', async () => {
    const { users } = await readAll(join(fixtures, 'ldifde-export.ldif'))
    expect(users.map((user) => [user.externalId, user.primaryAddress, user.aliases, user.displayName, user.enabled])).toEqual([
      ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'alice.anders@corp.example.com', ['alice@legacy.corp.example.com', 'aanders@corp.example.com'], 'Alice Anders', true],
      ['a1b2c3d4-e5f6-4789-8abc-def012345678', 'jose.nunez@corp.example.com', [], 'José Núñez', false],
      ['0badcafe-1234-5678-9abc-def012345601', 'bob.brown@corp.example.com', [], 'Bob Brown', false],
      ['0badcafe-1234-5678-9abc-def012345602', 'carol.chen@corp.example.com', ['carol@corp.example.com'], 'Carol Chen', true],
    ])
    expect(users[0]?.attributes).toEqual({ department: 'Engineering', title: 'Staff Engineer', employeeID: '4711', sAMAccountName: 'aanders' })
  })

  it('flattens All Staff through Engineering and resolves a base64 member DN', async () => {
    const { groups } = await readAll(join(fixtures, 'ldifde-export.ldif'))
    expect(groups.map((group) => [group.externalId, group.name, group.address, [...group.memberIds].sort()])).toEqual([
      ['0badcafe-1234-5678-9abc-def012345604', 'Engineering', 'engineering@corp.example.com', ['0badcafe-1234-5678-9abc-def012345601', '3f2504e0-4f89-11d3-9a0c-0305e82c3301']],
      [
        '0badcafe-1234-5678-9abc-def012345605',
        'All Staff',
        null,
        ['0badcafe-1234-5678-9abc-def012345601', '0badcafe-1234-5678-9abc-def012345602', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'a1b2c3d4-e5f6-4789-8abc-def012345678'],
      ],
    ])
  })

  it('returns a full read without a cursor, with the skipped service account as a warning', async () => {
    const { summary } = await readAll(join(fixtures, 'ldifde-export.ldif'))
    expect(summary).toEqual({
      mode: 'full',
      modeReason: 'files are always read in full',
      cursor: null,
      warnings: ['1 user has no email address (no SMTP: proxyAddress and no mail) and was skipped: CN=svc-sql,OU=Service Accounts,DC=corp,DC=example,DC=com (line 75).'],
    })
  })

  it('reads the same export written as UTF-16 with a byte order mark (ldifde -u)', async () => {
    const text = await readFile(join(fixtures, 'ldifde-export.ldif'), 'utf8')
    const path = join(scratch, 'unicode.ldf')
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const { users, groups } = await readAll(path)
    expect(users.map((user) => user.displayName)).toEqual(['Alice Anders', 'José Núñez', 'Bob Brown', 'Carol Chen'])
    expect(groups).toHaveLength(2)
  })
})

describe('reading a slapcat export', () => {
  it('reads inetOrgPerson users with entryUUID ids, mail and mailLocalAddress aliases', async () => {
    const { users } = await readAll(join(fixtures, 'slapcat-export.ldif'))
    expect(users.map((user) => [user.externalId, user.primaryAddress, user.aliases, user.displayName, user.enabled])).toEqual([
      ['5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d10', 'john.doe@example.org', ['jd@example.org'], 'John Doe', true],
      ['5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d11', 'anna.smith@example.org', [], 'Dr. Anna Smith', true],
      ['5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d12', 'ben.wong@example.org', [], 'Ben Wong', true],
    ])
    expect(users[0]?.attributes).toEqual({ title: 'Developer', employeeNumber: '1001', uid: 'jdoe' })
  })

  it('reads groupOfNames, groupOfUniqueNames (with optional UIDs, nesting) and posixGroup memberUid', async () => {
    const { groups, summary } = await readAll(join(fixtures, 'slapcat-export.ldif'))
    const jdoe = '5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d10'
    const asmith = '5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d11'
    const bwong = '5c0fa0de-1b2c-103f-8f31-b5ab2b3c4d12'
    expect(groups.map((group) => [group.name, group.address, [...group.memberIds].sort()])).toEqual([
      ['developers', 'developers@example.org', [jdoe, asmith].sort()],
      ['reviewers', null, [jdoe, asmith, bwong].sort()],
      ['staff', null, [jdoe, bwong].sort()],
    ])
    expect(summary.warnings).toEqual([])
  })
})

describe('reading a csvde export', () => {
  it('reads users and groups, with quoted DNs, multi-values and hex GUIDs', async () => {
    const { users, groups, summary } = await readAll(join(fixtures, 'csvde-export.csv'))
    expect(users.map((user) => [user.externalId, user.primaryAddress, user.aliases, user.displayName, user.enabled])).toEqual([
      ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'alice.anders@corp.example.com', ['aanders@corp.example.com'], 'Alice Anders', true],
      ['0badcafe-1234-5678-9abc-def012345601', 'bob.anders@corp.example.com', [], 'Bob "The Builder" Anders', false],
    ])
    expect(groups).toEqual([
      {
        externalId: '0badcafe-1234-5678-9abc-def012345604',
        name: 'Engineering',
        address: 'engineering@corp.example.com',
        memberIds: ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', '0badcafe-1234-5678-9abc-def012345601'],
      },
    ])
    expect(summary.warnings).toEqual([])
  })

  it('recognises CSV by its header when the file name has another extension', async () => {
    const path = join(scratch, 'export.txt')
    await writeFile(path, await readFile(join(fixtures, 'csvde-export.csv')))
    expect((await readAll(path)).users).toHaveLength(2)
  })

  it('reads the file as the format the settings name, whatever its extension', async () => {
    const path = join(scratch, 'forced.csv')
    await writeFile(path, await readFile(join(fixtures, 'slapcat-export.ldif')))
    expect((await readAll(path, 'ldif')).users).toHaveLength(3)
  })
})

describe('streaming', () => {
  it('sends users in batches of 1000, then groups, and reads CRLF with a byte order mark', async () => {
    const records: string[] = []
    for (let index = 0; index < 2500; index++) records.push(`dn: uid=u${index},ou=people,dc=test\r\nobjectClass: inetOrgPerson\r\nmail: u${index}@test.example\r\n`)
    records.push('dn: cn=everyone,dc=test\r\nobjectClass: groupOfNames\r\nmember: uid=u0,ou=people,dc=test\r\nmember: uid=u2499,ou=people,dc=test\r\n')
    const path = join(scratch, 'many.ldif')
    await writeFile(path, `\uFEFFversion: 1\r\n\r\n${records.join('\r\n')}`)
    const { batches, groups } = await readAll(path)
    expect(batches).toEqual(['users:1000', 'users:1000', 'users:500', 'groups:1'])
    expect(groups[0]?.memberIds).toEqual(['uid=u0,ou=people,dc=test', 'uid=u2499,ou=people,dc=test'])
  })

  it('stops with a cancelled error when the signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const reader = createLdifConnector({ path: join(fixtures, 'slapcat-export.ldif'), format: 'auto' }).read({ cursor: null, incrementalRunsSinceFull: 0, signal: controller.signal })
    await expect(reader.next()).rejects.toMatchObject({ code: 'cancelled' })
  })
})

describe('errors', () => {
  it('reports a missing file as not-found, naming it, without a stack trace', async () => {
    const error = await readFailure(join(scratch, 'missing.ldif'))
    expect(error.code).toBe('not-found')
    expect(error.message).toBe(`${join(scratch, 'missing.ldif')} was not found. Check the path, or export the directory again.`)
    expect(error.message).not.toMatch(/\n\s+at /)
  })

  it('reports a folder given as the file', async () => {
    const error = await readFailure(scratch)
    expect(error.code).toBe('not-found')
    expect(error.message).toMatch(/is a folder, not an export file/)
  })

  it.skipIf(process.getuid?.() === 0)('reports a file this account may not read', async () => {
    const path = join(scratch, 'locked.ldif')
    await writeFile(path, 'dn: cn=a\n')
    await chmod(path, 0o000)
    const error = await readFailure(path)
    expect(error.code).toBe('permission')
    expect(error.message).toMatch(/^.*locked\.ldif cannot be read/)
  })

  it('reports malformed content with the file name and line number', async () => {
    const path = join(scratch, 'org.ldif')
    await writeFile(path, 'dn: cn=a,dc=x\r\nobjectClass: person\r\nmail foo@x\r\n')
    const error = await readFailure(path)
    expect(error.code).toBe('malformed-data')
    expect(error.message).toBe("org.ldif line 3: a value line must contain ':' (got 'mail foo@x')")
  })

  it('reports two users with the same primary address as malformed data', async () => {
    const path = join(scratch, 'dupes.ldif')
    await writeFile(path, 'dn: cn=a,dc=x\nobjectClass: person\nmail: same@x.test\n\ndn: cn=b,dc=x\nobjectClass: person\nmail: SAME@x.test\n')
    const error = await readFailure(path)
    expect(error.code).toBe('malformed-data')
    expect(error.message).toMatch(/^dupes\.ldif: two users have the same primary address same@x\.test: "cn=a,dc=x" \(line 1\) and "cn=b,dc=x" \(line 5\)/)
  })
})

describe('test connection', () => {
  it('passes both steps for a clean export and counts its users and groups', async () => {
    const steps = await testConnection(join(fixtures, 'slapcat-export.ldif'))
    expect(steps.map((step) => [step.step, step.verdict, step.message])).toEqual([
      ['file', 'pass', 'slapcat-export.ldif exists and is readable (4.4 kB).'],
      ['sample-query', 'pass', 'Found 3 users and 3 groups.'],
    ])
  })

  it('warns when the export parses but some entries were skipped', async () => {
    const steps = await testConnection(join(fixtures, 'ldifde-export.ldif'))
    expect(steps[1]?.verdict).toBe('warn')
    expect(steps[1]?.message).toMatch(/^Found 4 users and 2 groups\. 1 user has no email address/)
  })

  it('fails the file step for a missing file and skips the sample query', async () => {
    const steps = await testConnection(join(scratch, 'nope.ldif'))
    expect(steps.map((step) => [step.step, step.verdict])).toEqual([
      ['file', 'fail'],
      ['sample-query', 'skipped'],
    ])
    expect(steps[0]?.message).toMatch(/nope\.ldif was not found/)
  })

  it('fails the sample query with the line number when the content is malformed', async () => {
    const path = join(scratch, 'broken.ldif')
    await writeFile(path, 'dn: cn=a\nchangetype: modify\n')
    const steps = await testConnection(path)
    expect(steps.map((step) => [step.step, step.verdict])).toEqual([
      ['file', 'pass'],
      ['sample-query', 'fail'],
    ])
    expect(steps[1]?.message).toMatch(/^broken\.ldif line 2: 'changetype: modify'/)
  })
})
