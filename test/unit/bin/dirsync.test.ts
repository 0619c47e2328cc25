import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../../helpers/test-core.ts'

const run = promisify(execFile)
const BIN = resolve(import.meta.dirname, '../../../bin/dirsync.js')
const tmp = makeTempDir('dirsync-bin')
afterAll(() => tmp.remove())

interface Start {
  readonly pid: number
  readonly execArgv: readonly string[]
}

/**
 * Runs the real launcher with a preload (through NODE_OPTIONS, which execve passes on) that notes
 * every start of the process: its pid and the flags Node was started with.
 */
async function startsOf(name: string, args: readonly string[], nodeOptions = ''): Promise<Start[]> {
  const log = join(tmp.path, `${name}.log`)
  const preload = join(tmp.path, 'note-start.cjs')
  writeFileSync(preload, "require('node:fs').appendFileSync(process.env.DIRSYNC_TEST_START_LOG, JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + '\\n')\n")
  writeFileSync(log, '')
  const env = { ...process.env, NODE_OPTIONS: `${nodeOptions} --require ${preload}`.trim(), DIRSYNC_TEST_START_LOG: log, NODE_COMPILE_CACHE: join(tmp.path, 'cache') }
  // The command's own outcome (an empty data directory) does not matter here, only how it started.
  await run(process.execPath, [BIN, '--data-dir', join(tmp.path, `${name}-data`), ...args], { env }).catch(() => undefined)
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Start)
}

describe('the dirsync launcher', () => {
  it.skipIf(typeof process.execve !== 'function')('starts a sync over once, in the same process, with 16 MB young-generation semi-spaces', async () => {
    const starts = await startsOf('sync', ['sync', '--all'])
    expect(starts).toHaveLength(2)
    expect(starts[0]?.execArgv).not.toContain('--max-semi-space-size=16')
    expect(starts[1]?.execArgv).toContain('--max-semi-space-size=16')
    expect(starts[1]?.pid).toBe(starts[0]?.pid)
  })

  it('starts a command that reads no directory once, with the defaults', async () => {
    const starts = await startsOf('status', ['status'])
    expect(starts).toHaveLength(1)
    expect(starts[0]?.execArgv.some((arg) => arg.startsWith('--max-semi-space-size'))).toBe(false)
  })

  it('keeps a semi-space size the user gave, without starting over', async () => {
    const starts = await startsOf('given', ['sync', '--all'], '--max-semi-space-size=32')
    expect(starts).toHaveLength(1)
  })
})
