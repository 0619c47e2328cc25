import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest'
import { startGroupRead, setGroupReadWorkerUrl } from '../../../../main/connectors/ldap/parallel-group-read.ts'
import type { GroupReadRequest, GroupReadResult } from '../../../../main/connectors/ldap/read-groups.ts'
import { slapdSettings } from './ldap-test-helpers.ts'

const slapd = inject('slapd')
const SOURCE_WORKER = new URL('../../../../main/connectors/ldap/group-read-worker.ts', import.meta.url)
const request = (): GroupReadRequest => ({ type: 'ldap', settings: slapdSettings(slapd), secret: slapd.readerPassword, memberRangeStep: null, trackTime: true })

/** Each group's name with its member DNs, in a comparable form. */
function membersByGroup(result: GroupReadResult): Map<string, string[]> {
  const { collected } = result
  const out = new Map<string, string[]>()
  collected.groupDns.forEach((_, g) => {
    const dns = Array.from(collected.members.subarray(collected.memberOffsets[g], collected.memberOffsets[g + 1]), (n) => collected.memberDns[n]!)
    out.set(collected.basics[g]!.name, dns.sort())
  })
  return out
}

afterEach(() => setGroupReadWorkerUrl(SOURCE_WORKER))

describe('the group half of a full read (parallel-group-read)', () => {
  it('runs in a worker thread and reads the same groups as on the main thread', async () => {
    const inWorker = startGroupRead(request(), new AbortController().signal)
    const fromWorker = await inWorker.result
    expect(inWorker.runsIn).toBe('worker')

    setGroupReadWorkerUrl(new URL('file:///nonexistent/group-read-worker.ts'))
    const onMain = startGroupRead(request(), new AbortController().signal)
    const fromMain = await onMain.result
    expect(onMain.runsIn).toBe('main-thread')

    expect(fromWorker.collected.groupDns).toHaveLength(slapd.seededGroups)
    expect(membersByGroup(fromWorker)).toEqual(membersByGroup(fromMain))
    expect(membersByGroup(fromWorker).get('all-staff')).toHaveLength(10_000)
    // 1.2 members per distinct DN at least: member DNs are shared, not repeated.
    expect(fromWorker.collected.memberDns.length).toBeLessThan(fromWorker.collected.members.length)
    expect(fromWorker.maxTimestampText).toMatch(/^\d{14}Z$/)
  })

  it('stops at once when the read is cancelled, and says so', async () => {
    const controller = new AbortController()
    const handle = startGroupRead(request(), controller.signal)
    setTimeout(() => controller.abort(), 50)
    await expect(handle.result).rejects.toMatchObject({ code: 'cancelled' })
    expect(handle.failure?.code).toBe('cancelled')
  })

  it('reports a failure of the worker read as the read failing (wrong password: credentials)', async () => {
    const handle = startGroupRead({ ...request(), secret: 'wrong' }, new AbortController().signal)
    await expect(handle.result).rejects.toMatchObject({ code: 'credentials' })
    expect(handle.runsIn).toBe('worker')
  })

  describe('the Electron bundle', () => {
    // Inside the project, so the bundle's external packages (ldapts) resolve from node_modules as in the app.
    mkdirSync(path.resolve('.tmp'), { recursive: true })
    const outDir = mkdtempSync(path.resolve('.tmp', 'bundle-'))
    afterAll(() => rmSync(outDir, { recursive: true, force: true }))

    it('has the worker as an entry of its own beside index.js, and it reads the groups', async () => {
      execFileSync(process.execPath, [path.resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir], { stdio: 'ignore' })
      setGroupReadWorkerUrl(pathToFileURL(path.join(outDir, 'main/group-read-worker.js')))
      const handle = startGroupRead(request(), new AbortController().signal)
      const result = await handle.result
      expect(handle.runsIn).toBe('worker')
      expect(result.collected.groupDns).toHaveLength(slapd.seededGroups)
    }, 120_000)
  })
})
