import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../main/cli/dirsync-main.ts'
import { syntheticOrg, writeLdifSync } from '../../../helpers/ldif-writer.ts'

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(['--data-dir', dataDir, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) })
  return { code, stdout, stderr }
}

interface Page<T> {
  readonly total: number
  readonly rows: T[]
}

/** 2,500 users (more than two pages of the stream) and 30 groups, synced once from an LDIF export. */
describe('dirsync users / groups / user / group', () => {
  let dir: string
  let dataDir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-directory-cli-'))
    dataDir = join(dir, 'data')
    const file = join(dir, 'org.ldif')
    writeLdifSync(file, syntheticOrg(2500, 30))
    expect((await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'HR Export', '--file', file)).code).toBe(0)
    expect((await cli(dataDir, 'sync', '--all')).code).toBe(0)
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('users --json returns every user by default, as one JSON document', async () => {
    const { code, stdout } = await cli(dataDir, 'users', '--json')
    expect(code).toBe(0)
    const page = JSON.parse(stdout) as Page<{ primaryAddress: string }> & { asOf: string }
    expect(page.total).toBe(2500)
    expect(page.rows).toHaveLength(2500)
    expect(new Set(page.rows.map((u) => u.primaryAddress)).size).toBe(2500)
    expect(page.asOf).toEqual(expect.any(String))
  })

  it('--offset and --limit page through the same rows, in the same order', async () => {
    const all = (JSON.parse((await cli(dataDir, 'users', '--json')).stdout) as Page<{ primaryAddress: string }>).rows.map((u) => u.primaryAddress)
    const window = JSON.parse((await cli(dataDir, 'users', '--json', '--offset', '999', '--limit', '1002')).stdout) as Page<{ primaryAddress: string }>
    expect(window.total).toBe(2500)
    expect(window.rows.map((u) => u.primaryAddress)).toEqual(all.slice(999, 2001))
    const past = JSON.parse((await cli(dataDir, 'users', '--json', '--offset', '5000')).stdout) as Page<unknown>
    expect(past).toMatchObject({ total: 2500, rows: [] })
    expect((await cli(dataDir, 'users', '--limit', '0')).code).toBe(2)
  })

  it('--ndjson prints one user per line and nothing else', async () => {
    const lines = (await cli(dataDir, 'users', '--ndjson')).stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2500)
    expect(lines.every((line) => typeof (JSON.parse(line) as { primaryAddress: string }).primaryAddress === 'string')).toBe(true)
  })

  it('the table lists every user under one heading', async () => {
    const { stdout } = await cli(dataDir, 'users')
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^2500 user\(s\), as of /)
    expect(lines.filter((line) => line.startsWith('PRIMARY ADDRESS'))).toHaveLength(1)
    expect(lines).toHaveLength(2500 + 3)
  })

  it('groups returns every group, with its key', async () => {
    const page = JSON.parse((await cli(dataDir, 'groups', '--json')).stdout) as Page<{ key: string; name: string }>
    expect(page.total).toBe(30)
    expect(page.rows).toHaveLength(30)
  })

  it('user <address> shows the addresses with their types, the sources by name and the groups', async () => {
    const page = JSON.parse((await cli(dataDir, 'users', '--json', '--limit', '1')).stdout) as Page<{ primaryAddress: string }>
    const address = page.rows[0]!.primaryAddress
    const user = JSON.parse((await cli(dataDir, 'user', address.toUpperCase(), '--json')).stdout) as { primaryAddress: string; addresses: Array<{ address: string; type: string; primary: boolean; sources: Array<{ id: string; name: string }> }>; sources: Array<{ name: string }>; groups: Array<{ name: string; sources: Array<{ name: string }> }> }
    expect(user.primaryAddress).toBe(address)
    expect(user.addresses.find((a) => a.address === address)).toMatchObject({ type: 'directory', primary: true, sources: [{ name: 'HR Export' }] })
    expect(user.sources.map((s) => s.name)).toEqual(['HR Export'])
    expect(user.groups.length).toBeGreaterThan(0)
    expect(user.groups[0]!.sources.map((s) => s.name)).toEqual(['HR Export'])
    const human = (await cli(dataDir, 'user', address)).stdout
    expect(human).toContain(`${address} (primary) — Extracted From Directory`)
    const missing = await cli(dataDir, 'user', 'nobody@example.org')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/No user of the account directory has the address "nobody@example\.org"/)
  })

  it('group <name> --members lists every member with its sources; by key too', async () => {
    const groups = (JSON.parse((await cli(dataDir, 'groups', '--json')).stdout) as Page<{ key: string; name: string; memberCount: number }>).rows
    const biggest = groups.reduce((a, b) => (b.memberCount > a.memberCount ? b : a))
    const byName = JSON.parse((await cli(dataDir, 'group', biggest.name, '--members', '--json')).stdout) as { key: string; memberCount: number; members: Array<{ address: string; sources: Array<{ name: string }> }> }
    expect(byName.key).toBe(biggest.key)
    expect(byName.members).toHaveLength(biggest.memberCount)
    expect(byName.members[0]!.sources.map((s) => s.name)).toEqual(['HR Export'])
    const byKey = JSON.parse((await cli(dataDir, 'group', biggest.key, '--json')).stdout) as { name: string; members?: unknown }
    expect(byKey.name).toBe(biggest.name)
    expect(byKey.members).toBeUndefined()
  })
})
