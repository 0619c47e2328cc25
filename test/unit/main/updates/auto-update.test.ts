import { describe, expect, it } from 'vitest'
import { resolveUpdatePolicy, startAutoUpdate, type UpdatePolicy } from '../../../../main/updates/auto-update.ts'
import { publisherNamesIn } from '../../../../main/updates/read-update-trust-facts.ts'
import { decideUpdateTrust } from '../../../../main/updates/update-trust.ts'

const feed = 'https://software.example.org/dirsync/'
const on = { enabled: true, feedUrl: feed }

describe('resolveUpdatePolicy', () => {
  it('is off by default, with no settings and no environment', () => {
    expect(resolveUpdatePolicy(undefined, {})).toMatchObject({ enabled: false, reason: 'setting' })
    expect(resolveUpdatePolicy({}, {})).toMatchObject({ enabled: false, reason: 'setting' })
    expect(resolveUpdatePolicy({ feedUrl: feed }, {})).toMatchObject({ enabled: false, reason: 'setting' })
  })

  it('turns on with the setting and an https feed, checking every 6 hours by default', () => {
    expect(resolveUpdatePolicy(on, {})).toEqual({
      enabled: true,
      feedUrl: feed,
      checkIntervalMs: 6 * 3_600_000,
      message: 'Automatic updates are on: checking software.example.org every 6 h.',
    })
  })

  it('lets DIRSYNC_DISABLE_UPDATES=1 win over settings that turn updates on', () => {
    expect(resolveUpdatePolicy(on, { DIRSYNC_DISABLE_UPDATES: '1' })).toEqual({
      enabled: false,
      reason: 'environment',
      message: 'Automatic updates are turned off by the DIRSYNC_DISABLE_UPDATES environment variable.',
    })
  })

  it('treats any value of DIRSYNC_DISABLE_UPDATES other than an explicit no as off', () => {
    for (const value of ['1', 'true', 'YES', ' on ', 'please']) {
      expect(resolveUpdatePolicy(on, { DIRSYNC_DISABLE_UPDATES: value }).enabled, value).toBe(false)
    }
    for (const value of ['', '0', 'false', 'No', 'off']) {
      expect(resolveUpdatePolicy(on, { DIRSYNC_DISABLE_UPDATES: value }).enabled, value).toBe(true)
    }
  })

  it('stays off when updates are switched on but no feed address is set', () => {
    expect(resolveUpdatePolicy({ enabled: true }, {})).toMatchObject({ enabled: false, reason: 'no-feed' })
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: '   ' }, {})).toMatchObject({ enabled: false, reason: 'no-feed' })
  })

  it('refuses a plain-http feed on the network but accepts one on this computer for testing', () => {
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: 'http://software.example.org/dirsync/' }, {})).toMatchObject({ enabled: false, reason: 'invalid-feed' })
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: 'http://127.0.0.1:8080/feed/' }, {})).toMatchObject({ enabled: true, feedUrl: 'http://127.0.0.1:8080/feed/' })
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: 'http://localhost/feed/' }, {})).toMatchObject({ enabled: true })
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: 'http://[::1]/feed/' }, {})).toMatchObject({ enabled: true })
  })

  it('refuses a feed address that is not a URL, or another scheme', () => {
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: 'software.example.org/dirsync' }, {})).toMatchObject({ enabled: false, reason: 'invalid-feed' })
    expect(resolveUpdatePolicy({ enabled: true, feedUrl: 'file:///srv/updates/' }, {})).toMatchObject({ enabled: false, reason: 'invalid-feed' })
  })

  it('refuses credentials in the feed address and does not repeat them in its message', () => {
    const policy = resolveUpdatePolicy({ enabled: true, feedUrl: 'https://svc-updates:Secr3t@software.example.org/dirsync/' }, {})
    expect(policy).toMatchObject({ enabled: false, reason: 'invalid-feed' })
    expect(policy.message).not.toMatch(/Secr3t|svc-updates/)
  })

  it('clamps the check interval to between 1 hour and 1 week', () => {
    const interval = (hours: number): number | undefined => {
      const policy = resolveUpdatePolicy({ ...on, checkIntervalHours: hours }, {})
      return policy.enabled ? policy.checkIntervalMs / 3_600_000 : undefined
    }
    expect(interval(0)).toBe(1)
    expect(interval(24)).toBe(24)
    expect(interval(10_000)).toBe(168)
    expect(interval(Number.NaN)).toBe(6)
  })
})

describe('startAutoUpdate', () => {
  it('does not load electron-updater at all when updates are off, and says why', async () => {
    const lines: string[] = []
    const policy: UpdatePolicy = resolveUpdatePolicy(on, { DIRSYNC_DISABLE_UPDATES: '1' })
    const handle = await startAutoUpdate(policy, {
      trust: { trusted: true, message: 'Updates must be signed by Example Org.' },
      log: (line) => lines.push(line),
      loadUpdater: () => Promise.reject(new Error('electron-updater must not be loaded when updates are off')),
    })
    expect(handle).toBeNull()
    expect(lines).toEqual(['Automatic updates are turned off by the DIRSYNC_DISABLE_UPDATES environment variable.'])
  })

  it('refuses to start when the installation cannot verify updates, and logs the reason', async () => {
    const lines: string[] = []
    const handle = await startAutoUpdate(resolveUpdatePolicy(on, {}), {
      trust: decideUpdateTrust({ platform: 'win32', install: 'nsis', publisherNames: [], codeSigned: false, linuxUpdatesVerified: false }),
      log: (line) => lines.push(line),
      loadUpdater: () => Promise.reject(new Error('electron-updater must not be loaded for an unsigned build')),
    })
    expect(handle).toBeNull()
    expect(lines.at(-1)).toMatch(/not signed with a known publisher/)
  })
})

describe('decideUpdateTrust', () => {
  const facts = { platform: 'win32' as const, install: 'nsis' as const, publisherNames: ['Example Org Ltd'], codeSigned: false, linuxUpdatesVerified: false }

  it('lets a signed Windows installer update only from its publisher', () => {
    expect(decideUpdateTrust(facts)).toEqual({ trusted: true, message: 'Updates must be signed by Example Org Ltd.' })
  })

  it('refuses an unsigned Windows build (electron-updater would skip the signature check) with the reason', () => {
    expect(decideUpdateTrust({ ...facts, publisherNames: [] })).toMatchObject({ trusted: false, reason: expect.stringMatching(/not signed with a known publisher/) as unknown })
  })

  it('needs a code-signed app on macOS', () => {
    expect(decideUpdateTrust({ ...facts, platform: 'darwin', install: 'dmg', publisherNames: [] })).toMatchObject({ trusted: false, reason: expect.stringMatching(/not code-signed/) as unknown })
    expect(decideUpdateTrust({ ...facts, platform: 'darwin', install: 'dmg', codeSigned: true }).trusted).toBe(true)
  })

  it('keeps AppImage and deb updates off unless the organisation verifies them', () => {
    expect(decideUpdateTrust({ ...facts, platform: 'linux', install: 'appimage' })).toMatchObject({ trusted: false, reason: expect.stringMatching(/AppImage installs: they are not signature-checked/) as unknown })
    expect(decideUpdateTrust({ ...facts, platform: 'linux', install: 'deb' }).trusted).toBe(false)
    expect(decideUpdateTrust({ ...facts, platform: 'linux', install: 'appimage', linuxUpdatesVerified: true }).trusted).toBe(true)
  })

  it('never updates the portable build or an unknown installation', () => {
    expect(decideUpdateTrust({ ...facts, install: 'portable' }).trusted).toBe(false)
    expect(decideUpdateTrust({ ...facts, platform: 'freebsd', install: 'unknown' }).trusted).toBe(false)
  })
})

describe('publisherNamesIn', () => {
  it('reads the publisher list electron-builder writes into app-update.yml', () => {
    expect(publisherNamesIn('provider: generic\nurl: https://x/\npublisherName:\n  - Example Org Ltd\n  - "Example Org, Inc."\nupdaterCacheDirName: x\n')).toEqual(['Example Org Ltd', 'Example Org, Inc.'])
    expect(publisherNamesIn('publisherName: Example Org Ltd\n')).toEqual(['Example Org Ltd'])
    expect(publisherNamesIn('provider: generic\nurl: https://x/\n')).toEqual([])
  })
})
