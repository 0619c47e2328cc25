import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Conf from 'conf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJsonFileBackend, createSettingsStore } from '../../../../main/settings/settings-store.ts'

describe('settings.json without conf', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-settings-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  // What the headless app used before, and what electron-store (the desktop app) is built on.
  const conf = () => new Conf<Record<string, unknown>>({ projectName: 'directory-sync-console', cwd: dir, configName: 'settings' })

  it('reads what conf and electron-store wrote, and writes what they read back', () => {
    conf().set('account', { internalDomains: ['example.org'], retentionDays: 30 })
    const settings = createSettingsStore(createJsonFileBackend(dir))
    expect(settings.account()).toMatchObject({ internalDomains: ['example.org'], retentionDays: 30 })
    settings.setLastScheduledRun('2026-12-06T07:00:00.000Z')
    expect(conf().get('lastScheduledRun')).toBe('2026-12-06T07:00:00.000Z')
    expect(conf().get('account')).toMatchObject({ retentionDays: 30 })
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(JSON.stringify(conf().store, undefined, '\t'))
  })

  it('starts from the defaults without a file, and sees a change another process made', () => {
    const backend = createJsonFileBackend(dir)
    expect(backend.get('account')).toBeUndefined()
    expect(createSettingsStore(backend).account().retentionDays).toBeGreaterThan(0)
    conf().set('lastScheduledRun', '2026-12-06T08:00:00.000Z')
    expect(backend.get('lastScheduledRun')).toBe('2026-12-06T08:00:00.000Z')
  })

  it('refuses a file that is not JSON, as conf does, instead of overwriting it', () => {
    writeFileSync(join(dir, 'settings.json'), '{ not json')
    const backend = createJsonFileBackend(dir)
    expect(() => backend.get('account')).toThrow(SyntaxError)
    expect(() => backend.set('account', {})).toThrow(SyntaxError)
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{ not json')
  })
})
