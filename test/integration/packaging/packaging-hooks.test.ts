import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses'
import { Arch } from 'electron-builder'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { electronBuilderDirArgs } from '../../../scripts/dist-dir.ts'
import { FUSE_CONFIG, applyFuses, electronBinaryPath, type FusePackContext } from '../../../scripts/packaging/fuses.ts'
import { createPlaceholderElectronDist } from '../../../scripts/packaging/placeholder-electron-dist.ts'
import { describeSigning } from '../../../scripts/packaging/signing-notice.ts'

// The fuse wire as it sits in an Electron binary: sentinel, version byte, length byte, one ASCII
// '0'/'1' per fuse. Used to run the real @electron/fuses against a file without a 200 MB download.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
// Electron's shipped defaults for fuses 0…8: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
// --inspect on, asar integrity off, only-asar off, V8 snapshot off, file:// privileges on, wasm traps on.
const ELECTRON_DEFAULT_WIRE = '101100011'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dirsync-fuses-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const linuxContext = (appOutDir: string, executableName: string): FusePackContext => ({
  appOutDir,
  electronPlatformName: 'linux',
  arch: Arch.x64,
  packager: { appInfo: { productFilename: 'Directory Sync Console' }, executableName },
})

describe('FUSE_CONFIG', () => {
  it('turns off run-as-node, NODE_OPTIONS, --inspect and file:// extra privileges, and turns on cookie encryption, asar integrity and asar-only loading', () => {
    expect(FUSE_CONFIG).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    })
  })
})

describe('applyFuses', () => {
  it('flips exactly the configured fuses in a binary that carries a fuse wire and leaves the others as Electron ships them', async () => {
    const binary = path.join(dir, 'directory-sync-console')
    await writeFile(binary, Buffer.concat([Buffer.from('\x7fELF…code…'), Buffer.from(SENTINEL), Buffer.from([1, 9]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('…more code')]))

    const outcome = await applyFuses(linuxContext(dir, 'directory-sync-console'))

    expect(outcome).toEqual({ applied: true, binary })
    const wire = await getCurrentFuseWire(binary)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE)
    const bytes = await readFile(binary, 'latin1')
    expect(bytes.slice(bytes.indexOf(SENTINEL) + SENTINEL.length + 2, bytes.indexOf(SENTINEL) + SENTINEL.length + 11)).toBe('010011001')
  })

  it('reports that fuses were not applied, instead of failing or staying silent, when the binary is the placeholder', async () => {
    const dist = await createPlaceholderElectronDist(dir, '45.5.0')

    const outcome = await applyFuses(linuxContext(dist, 'electron'))

    expect(outcome.applied).toBe(false)
    expect(outcome).toMatchObject({ reason: expect.stringContaining('placeholder') as unknown })
  })

  it('fails the build when the binary is missing, rather than shipping without fuses', async () => {
    await expect(applyFuses(linuxContext(dir, 'not-there'))).rejects.toThrow(/ENOENT/)
  })
})

describe('electronBinaryPath', () => {
  it('finds the executable electron-builder renamed on each platform', () => {
    const base = { arch: Arch.arm64, packager: { appInfo: { productFilename: 'Directory Sync Console' }, executableName: 'directory-sync-console' } }
    expect(electronBinaryPath({ ...base, appOutDir: '/o', electronPlatformName: 'linux' })).toBe(path.join('/o', 'directory-sync-console'))
    expect(electronBinaryPath({ ...base, appOutDir: '/o', electronPlatformName: 'win32' })).toBe(path.join('/o', 'Directory Sync Console.exe'))
    expect(electronBinaryPath({ ...base, appOutDir: '/o', electronPlatformName: 'darwin' })).toBe(path.join('/o', 'Directory Sync Console.app'))
  })
})

describe('describeSigning', () => {
  it('says Windows signing is skipped when neither WIN_CSC_LINK nor CSC_LINK is set', () => {
    const notice = describeSigning('win32', {})
    expect(notice.signed).toBe(false)
    expect(notice.lines.join('\n')).toMatch(/Windows code signing SKIPPED: neither WIN_CSC_LINK nor CSC_LINK is set/)
  })

  it('signs Windows builds with WIN_CSC_LINK and its password', () => {
    const notice = describeSigning('win32', { WIN_CSC_LINK: '/secure/cert.p12', WIN_CSC_KEY_PASSWORD: 'x' })
    expect(notice.signed).toBe(true)
    expect(notice.lines).toEqual(['Windows code signing: certificate from WIN_CSC_LINK.'])
  })

  it('says macOS notarization is skipped unless APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID are all set', () => {
    expect(describeSigning('darwin', { CSC_LINK: 'c', APPLE_ID: 'a', APPLE_TEAM_ID: 't' })).toMatchObject({ signed: true, notarized: false })
    expect(describeSigning('darwin', { CSC_LINK: 'c', APPLE_ID: 'a', APPLE_TEAM_ID: 't' }).lines[1]).toMatch(/notarization SKIPPED/)
    expect(describeSigning('darwin', { CSC_LINK: 'c', APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' })).toMatchObject({ notarized: true })
  })

  it('never prints the value of a signing variable', () => {
    const env = { WIN_CSC_LINK: 'secret-path', CSC_LINK: 'secret-path', CSC_KEY_PASSWORD: 'secret-pw', APPLE_ID: 'secret-id', APPLE_APP_SPECIFIC_PASSWORD: 'secret-pw', APPLE_TEAM_ID: 'secret-team' }
    for (const platform of ['win32', 'darwin', 'linux']) expect(describeSigning(platform, env).lines.join('\n')).not.toMatch(/secret/)
  })
})

describe('electronBuilderDirArgs', () => {
  it('passes ELECTRON_DIST to electron-builder as an absolute electronDist, after any extra arguments', () => {
    expect(electronBuilderDirArgs({ ELECTRON_DIST: 'fake-dist' }, ['-c.directories.output=/tmp/x'], '/repo')).toEqual([
      '--dir',
      '--publish',
      'never',
      '-c.directories.output=/tmp/x',
      `-c.electronDist=${path.resolve('/repo', 'fake-dist')}`,
    ])
  })

  it('lets electron-builder download Electron when ELECTRON_DIST is unset or empty', () => {
    expect(electronBuilderDirArgs({}, [], '/repo')).toEqual(['--dir', '--publish', 'never'])
    expect(electronBuilderDirArgs({ ELECTRON_DIST: '  ' }, [], '/repo')).toEqual(['--dir', '--publish', 'never'])
  })
})
