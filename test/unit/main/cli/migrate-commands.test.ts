import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ldifText, type LdifUser } from '../../../helpers/ldif-writer.ts'
import { cliOn } from '../../../helpers/cli-runner.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const dir = makeTempDir('dirsync-cli-migrate')
const data = join(dir.path, 'data')

const cli = cliOn(data)

describe('dirsync migrate', () => {
  afterAll(() => dir.remove())
  const old: LdifUser[] = Array.from({ length: 40 }, (_, i) => ({ uid: `o${i}`, mail: `p${i}@example.org`, displayName: `P ${i}` }))
  const next: LdifUser[] = old.filter((_, i) => i % 10 !== 9).map((u, i) => ({ ...u, uid: `n${i}` }))

  it('walks every step and cuts over exactly as previewed', async () => {
    writeFileSync(join(dir.path, 'old.ldif'), ldifText({ users: old }))
    writeFileSync(join(dir.path, 'new.ldif'), ldifText({ users: next }))
    expect((await cli('integrations', 'add', '--type', 'ldif', '--name', 'Old', '--file', join(dir.path, 'old.ldif'))).code).toBe(0)
    expect((await cli('sync', '--all')).code).toBe(0)
    expect((await cli('integrations', 'add', '--type', 'ldif', '--name', 'New', '--file', join(dir.path, 'new.ldif'))).code).toBe(0)

    const started = await cli('migrate', 'start', '--from', 'Old', '--to', 'New', '--json')
    expect(started.code).toBe(0)
    const id = (JSON.parse(started.stdout) as { id: string }).id
    expect((await cli('migrate', 'read-new', id)).code).toBe(0)
    const coverage = await cli('migrate', 'coverage', id.slice(0, 8), '--csv', join(dir.path, 'coverage.csv'))
    expect(coverage.stdout).toMatch(/matched 36, matched by alias 0, only in old 4, only in new 0/)
    expect(readFileSync(join(dir.path, 'coverage.csv'), 'utf8')).toMatch(/^user,only-in-old,p9@example.org/m)
    const preview = await cli('migrate', 'preview', id, '--json')
    expect((JSON.parse(preview.stdout) as { preview: { usersDemoted: string[] } }).preview.usersDemoted.sort()).toEqual(['p19@example.org', 'p29@example.org', 'p39@example.org', 'p9@example.org'])
    expect((await cli('migrate', 'cutover', id)).code).toBe(2)
    const cut = await cli('migrate', 'cutover', id, '--confirm', 'Old')
    expect(cut.code).toBe(0)
    expect(cut.stdout).toMatch(/identical to the preview/)
  })
})
