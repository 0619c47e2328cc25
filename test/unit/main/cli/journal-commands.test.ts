import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../../main/cli/dirsync-main.ts'
import type { JournalEntry } from '../../../../shared/domain/journal.ts'
import { writeLdifSync } from '../../../helpers/ldif-writer.ts'

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(['--data-dir', dataDir, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) })
  return { code, stdout, stderr }
}

const staff = (...uids: string[]) => ({
  users: ['lena', 'max', 'ola'].map((uid) => ({ uid, mail: `${uid}@example.org`, displayName: uid })),
  groups: [{ cn: 'Finance', mail: 'finance@example.org', members: uids }],
})

describe('dirsync history and dirsync run --changes', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-journal-cli-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('answer "who removed Lena from Finance, when, why, which integration" with the same records', async () => {
    const dataDir = join(dir, 'data')
    const ldif = join(dir, 'hr.ldif')
    writeLdifSync(ldif, staff('lena', 'max'))
    expect((await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'HR', '--file', ldif)).code).toBe(0)
    expect((await cli(dataDir, 'sync', '--all')).code).toBe(0)
    writeLdifSync(ldif, staff('max', 'ola'))
    expect((await cli(dataDir, 'sync', '--all')).code).toBe(0)
    const [second] = JSON.parse((await cli(dataDir, 'runs', '--json')).stdout) as Array<{ id: string }>
    if (!second) throw new Error('expected runs')

    const changes = await cli(dataDir, 'run', second.id, '--changes', '--json')
    expect(changes.code).toBe(0)
    const run = JSON.parse(changes.stdout) as { entries: JournalEntry[]; total: number }
    expect(run.entries.map((e) => `${e.event} ${e.kind} ${e.member ?? e.target}`)).toEqual(['applied add-member ola@example.org', 'applied remove-member lena@example.org'])

    const history = await cli(dataDir, 'history', 'lena@example.org', '--json')
    expect(history.code).toBe(0)
    const lena = JSON.parse(history.stdout) as { subject: unknown; entries: JournalEntry[] }
    expect(lena.subject).toEqual({ type: 'user', key: 'lena@example.org' })
    const removal = lena.entries.find((e) => e.kind === 'remove-member')
    expect(removal).toEqual(run.entries.find((e) => e.kind === 'remove-member'))
    expect(removal).toMatchObject({ runId: second.id, target: 'finance@example.org', integrations: [{ name: 'HR' }] })

    const finance = JSON.parse((await cli(dataDir, 'history', 'Finance', '--json')).stdout) as { subject: unknown; entries: JournalEntry[] }
    expect(finance.subject).toEqual({ type: 'group', key: 'finance@example.org' })
    expect(finance.entries.map((e) => `${e.event} ${e.kind}`)).toEqual(['applied create-group', 'applied add-member', 'applied add-member', 'applied add-member', 'applied remove-member'])

    const human = await cli(dataDir, 'history', 'lena@example.org')
    expect(human.stdout).toMatch(/remove-member +finance@example.org \/ lena@example.org .*HR/)

    const csv = await cli(dataDir, 'run', second.id, '--changes', '--csv')
    const lines = csv.stdout.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^seq,at,run,event,kind,target,member,detail,integrations,/)
    expect(lines).toHaveLength(3)
    expect(lines[2]).toContain(',applied,remove-member,finance@example.org,lena@example.org,')
  })

  it('says plainly when nothing is called that, and refuses --json with --csv', async () => {
    const dataDir = join(dir, 'empty')
    const none = await cli(dataDir, 'history', 'nobody@example.org')
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/Nothing in the account directory or its change journal is called "nobody@example.org"/)
    const both = await cli(dataDir, 'run', 'x', '--changes', '--json', '--csv')
    expect(both.code).toBe(2)
  })
})
