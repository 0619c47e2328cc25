import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../../main/cli/dirsync-main.ts'
import { sampleOrgPath } from '../../../../main/demo/sample-org-path.ts'

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(['--data-dir', dataDir, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) })
  return { code, stdout, stderr }
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? allFiles(path) : [path]
  })
}

describe('dirsync', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dirsync-cli-'))
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  it('plans only what changed on a second sync, and the whole account with --full', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    expect((await cli(dataDir, 'sync', '--all')).stderr).toMatch(/full plan: no plan was applied/)
    expect((await cli(dataDir, 'sync', '--all')).stderr).toMatch(/dirty set: 0 address\(es\), 0 group\(s\), 0 membership\(s\); 0 rows read/)
    const full = await cli(dataDir, 'sync', '--all', '--full')
    expect(full.code).toBe(0)
    expect(full.stderr).toMatch(/full plan: a full plan was asked for \(sync --full\)/)
  })

  it('leaves the search index to the app after a sync, and brings it up to date on `dirsync index`', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    await cli(dataDir, 'sync', '--all')
    // Timers a short command left would have run by now.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const index = await cli(dataDir, 'index', '--json')
    expect(index.code).toBe(0)
    expect(JSON.parse(index.stdout)).toEqual({ indexed: 200 })
    expect((await cli(dataDir, 'index')).stdout).toMatch(/^The search index was up to date\./)
    const found = JSON.parse((await cli(dataDir, 'users', '--query', 'ivanova', '--json')).stdout) as { total: number }
    expect(found.total).toBeGreaterThan(0)
  })

  it('adds an LDIF integration, syncs it and lists the users as JSON', async () => {
    const add = await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    expect(add.code).toBe(0)
    const sync = await cli(dataDir, 'sync', '--all')
    expect(sync.code).toBe(0)
    expect(sync.stdout).toMatch(/success/)
    const users = await cli(dataDir, 'users', '--json')
    expect(users.code).toBe(0)
    const parsed = JSON.parse(users.stdout) as { total: number; rows: Array<{ addresses: Array<{ type: string }> }> }
    expect(parsed.total).toBe(200)
    expect(parsed.rows[0]?.addresses[0]?.type).toBe('directory')
  })

  it('reports the sample’s two address conflicts as warnings of a successful run, not as errors', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    const sync = await cli(dataDir, 'sync', '--all')
    expect(sync.stdout).toMatch(/warning: .*hivanova/)
    expect(sync.stdout).not.toMatch(/^ {2}! /m)
    const runs = await cli(dataDir, 'runs', '--json')
    const [run] = JSON.parse(runs.stdout) as Array<{ outcome: string; errors: string[]; warnings: string[] }>
    expect(run?.outcome).toBe('success')
    expect(run?.errors).toEqual([])
    expect(run?.warnings).toHaveLength(2)
    expect(run?.warnings.join(' ')).toMatch(/fgarcia@.*|hivanova@.*/)
  })

  it('accepts an integration by its unique name wherever one is asked', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    const show = await cli(dataDir, 'integrations', 'show', 'sample', '--json')
    expect(show.code).toBe(0)
    expect((JSON.parse(show.stdout) as { name: string }).name).toBe('Sample')
  })

  it('fails with exit code 1 and one line naming an unknown integration', async () => {
    const result = await cli(dataDir, 'sync', 'Nope')
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/No integration is called or has the id "Nope"/)
  })

  it('fails with exit code 2 on bad usage', async () => {
    expect((await cli(dataDir, 'sync')).code).toBe(2)
    expect((await cli(dataDir, 'frobnicate')).code).toBe(2)
    expect((await cli(dataDir, 'integrations', 'add', '--type', 'nope', '--name', 'x')).code).toBe(2)
  })

  it('reports a missing export file plainly and stores nothing', async () => {
    const result = await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Gone', '--file', join(dataDir, 'missing.ldif'))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/does not exist/)
    const list = await cli(dataDir, 'integrations', 'list', '--json')
    expect(JSON.parse(list.stdout)).toEqual([])
  })

  it('rejects duplicate integration names', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    const again = await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'SAMPLE', '--file', sampleOrgPath())
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already called/)
  })

  it('refuses to delete without --yes and shows the preview', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    await cli(dataDir, 'sync', '--all')
    const refused = await cli(dataDir, 'integrations', 'delete', 'Sample')
    expect(refused.code).toBe(2)
    expect(refused.stdout).toMatch(/demote 200 user/)
    const done = await cli(dataDir, 'integrations', 'delete', 'Sample', '--yes')
    expect(done.code).toBe(0)
    expect((await cli(dataDir, 'integrations', 'list', '--json')).stdout.trim()).toBe('[]')
  })

  it('reads a secret from a named environment variable and never writes it in clear text', async () => {
    const secret = 'S3cr3t-bind-p@ssw0rd-for-test'
    process.env['TEST_BIND_PASSWORD'] = secret
    process.env['DIRSYNC_SECRET_KEY'] = 'a passphrase for the test'
    try {
      const config = join(dataDir, 'ad.json')
      await import('node:fs').then((fs) => fs.writeFileSync(config, JSON.stringify({ host: '127.0.0.1', encryption: 'none', bindDn: 'CN=reader,DC=example,DC=test', baseDn: 'DC=example,DC=test' })))
      const add = await cli(dataDir, 'integrations', 'add', '--type', 'ad', '--name', 'Corp AD', '--config', config, '--secret-env', 'TEST_BIND_PASSWORD', '--json')
      expect(add.code).toBe(0)
      expect(add.stdout).toContain('"hasSecret": true')
      expect(add.stdout).not.toContain(secret)
      for (const file of allFiles(dataDir)) expect(readFileSync(file).includes(secret), file).toBe(false)
    } finally {
      delete process.env['TEST_BIND_PASSWORD']
      delete process.env['DIRSYNC_SECRET_KEY']
    }
  })

  it('sets policy and account settings with key=value and validates them', async () => {
    await cli(dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath())
    expect((await cli(dataDir, 'integrations', 'set', 'Sample', 'maxUnlinks=1000', 'deleteUsers=true')).code).toBe(0)
    const bad = await cli(dataDir, 'integrations', 'set', 'Sample', 'maxUnlinks=7')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/maximum unlinks must be one of/)
    expect((await cli(dataDir, 'account', 'set', 'internalDomains=sample.example.com', 'retentionDays=10')).code).toBe(0)
    const account = JSON.parse((await cli(dataDir, 'account', 'show', '--json')).stdout) as { internalDomains: string[]; retentionDays: number }
    expect(account).toMatchObject({ internalDomains: ['sample.example.com'], retentionDays: 10 })
  })
})
