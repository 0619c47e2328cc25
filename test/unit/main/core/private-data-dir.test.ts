import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../../main/cli/dirsync-main.ts'
import { sampleOrgPath } from '../../../../main/demo/sample-org-path.ts'
import { makeDataDirPrivate } from '../../../../main/core/private-data-dir.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8)

describe.skipIf(process.platform === 'win32')('the data directory', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let savedUmask: number
  beforeEach(() => {
    tmp = makeTempDir('dirsync-perms')
    savedUmask = process.umask(0o022)
  })
  afterEach(() => {
    process.umask(savedUmask)
    tmp.remove()
  })

  it('is created 0700 with every file 0600, even under a permissive umask', async () => {
    const dataDir = join(tmp.path, 'new')
    expect(await runCli(['--data-dir', dataDir, 'integrations', 'add', '--type', 'ldif', '--name', 'Sample', '--file', sampleOrgPath()], { stdout: () => undefined, stderr: () => undefined })).toBe(0)
    expect(await runCli(['--data-dir', dataDir, 'sync', '--all'], { stdout: () => undefined, stderr: () => undefined })).toBe(0)
    expect(mode(dataDir)).toBe('700')
    expect(mode(join(dataDir, 'dirsync.db'))).toBe('600')
    expect(mode(join(dataDir, 'backups'))).toBe('700')
  })

  it('is made private when it already exists with open modes (an older install, or --data-dir)', () => {
    const dataDir = join(tmp.path, 'existing')
    mkdirSync(join(dataDir, 'backups'), { recursive: true })
    mkdirSync(join(dataDir, 'logs'))
    const ours = ['dirsync.db', 'dirsync.db-wal', 'dirsync.db-shm', 'settings.json', 'secrets.enc.json', 'backups/dirsync-1-after-run.db', 'logs/dirsync.log']
    for (const file of [...ours, 'notes.txt']) writeFileSync(join(dataDir, file), 'x', { mode: 0o644 })
    for (const dir of [dataDir, join(dataDir, 'backups'), join(dataDir, 'logs')]) chmodSync(dir, 0o755)

    makeDataDirPrivate(dataDir)

    expect(mode(dataDir)).toBe('700')
    expect(mode(join(dataDir, 'backups'))).toBe('700')
    expect(mode(join(dataDir, 'logs'))).toBe('700')
    for (const file of ours) expect(mode(join(dataDir, file)), file).toBe('600')
    expect(mode(join(dataDir, 'notes.txt')), 'a file that is not the app’s is left alone').toBe('644')
    expect(process.umask()).toBe(0o077)
  })
})
