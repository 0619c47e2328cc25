import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ldifText, type LdifUser } from '../../../helpers/ldif-writer.ts'
import { cliOn } from '../../../helpers/cli-runner.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const dir = makeTempDir('dirsync-cli-held')
const data = join(dir.path, 'data')

const cli = cliOn(data)

describe('dirsync held / approve after an integration was deleted', () => {
  afterAll(() => dir.remove())
  const users: LdifUser[] = Array.from({ length: 12 }, (_, i) => ({ uid: `s${i}`, mail: `s${i}@example.org`, displayName: `S ${i}` }))

  it('names the deleted integration in `held --json` and approves by its name', async () => {
    writeFileSync(join(dir.path, 'sample.ldif'), ldifText({ users }))
    writeFileSync(join(dir.path, 'other.ldif'), ldifText({ users: [{ uid: 'o1', mail: 'o1@example.org', displayName: 'O 1' }] }))
    expect((await cli('integrations', 'add', '--type', 'ldif', '--name', 'Sample directory', '--file', join(dir.path, 'sample.ldif'))).code).toBe(0)
    expect((await cli('integrations', 'add', '--type', 'ldif', '--name', 'Other', '--file', join(dir.path, 'other.ldif'))).code).toBe(0)
    expect((await cli('integrations', 'set', 'Sample directory', 'maxUnlinks=10')).code).toBe(0)
    expect((await cli('sync', '--all')).code).toBe(0)
    expect((await cli('integrations', 'delete', 'Sample directory', '--yes')).code).toBe(0)
    await cli('sync', '--all')

    const held = await cli('held', '--json')
    const list = JSON.parse(held.stdout) as { total: number; actions: Array<{ integrationNames: string[] }> }
    expect(list.total).toBe(12)
    expect(new Set(list.actions.flatMap((a) => a.integrationNames))).toEqual(new Set(['Sample directory (deleted)']))
    expect((await cli('held', '--integration', 'Sample directory')).stdout).toContain('Sample directory (deleted)')

    const approved = await cli('approve', '--integration', 'Sample directory', '--json')
    expect(approved.code).toBe(0)
    expect(JSON.parse(approved.stdout)).toEqual({ approved: 12, refused: [] })
  })
})
