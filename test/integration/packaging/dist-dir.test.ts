import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, cp, link, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { listPackage } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlaceholderElectronDist } from '../../../scripts/packaging/placeholder-electron-dist.ts'

/**
 * Runs `npm run dist:dir` (scripts/dist-dir.ts) for real, offline, against a placeholder Electron
 * dist, and checks what ended up in the unpacked app. The repository is copied into a temp dir
 * (node_modules linked, not copied) so the build writes neither out/ nor dist/ of the working tree.
 */
const repo = path.resolve(import.meta.dirname, '..', '..', '..')
const platformArch = `${process.platform}-${process.arch}`

interface PackageJson {
  readonly dependencies: Record<string, string>
  readonly devDependencies: Record<string, string>
}
interface PackageLock {
  readonly packages: Record<string, { readonly dev?: boolean; readonly devOptional?: boolean }>
}

let work = ''
let unpacked = ''
let asarFiles: readonly string[] = []
let builderOutput = ''
// The Electron entry points exist once the app shell is written; until then out/ is a stand-in
// (the packaging step, not the bundler, is under test here).
const appWritten = ['main/index.ts', 'preload/index.ts', 'renderer/index.html'].every((file) => existsSync(path.join(repo, file)))

/**
 * Mirrors a folder with hard links (about 1 s for node_modules): real directories, shared file
 * contents. A symlinked node_modules is not enough: npm, which electron-builder asks for the
 * production dependency tree, resolves it to the repository's path and then calls every package
 * extraneous, so the app would be packed with almost no dependencies.
 */
async function hardLinkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) await hardLinkTree(source, target)
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target)
    else await link(source, target).catch(() => copyFile(source, target)) // e.g. EXDEV: copy instead
  }
}

async function writeStandInOut(project: string): Promise<void> {
  const files: Record<string, string> = {
    'out/main/index.js': "import { app } from 'electron'\napp.whenReady()\n",
    'out/preload/index.cjs': "require('electron')\n",
    'out/renderer/index.html': '<!doctype html><script type="module" src="./assets/index.js"></script>\n',
    'out/renderer/assets/index.js': 'console.log("renderer")\n',
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(project, file)), { recursive: true })
    await writeFile(path.join(project, file), text)
  }
}

beforeAll(async () => {
  // Inside the repository's ignored .tmp/ so hard links stay on one filesystem.
  await mkdir(path.join(repo, '.tmp'), { recursive: true })
  work = await mkdtemp(path.join(repo, '.tmp', 'dist-dir-test-'))
  const project = path.join(work, 'app')
  const entries = [
    'package.json', 'package-lock.json', 'electron-builder.yml', 'electron.vite.config.ts', 'tsconfig.json', 'tsconfig.base.json',
    'build', 'scripts', 'main', 'preload', 'renderer', 'shared', 'test', 'bin',
  ]
  for (const entry of entries) {
    if (existsSync(path.join(repo, entry))) await cp(path.join(repo, entry), path.join(project, entry), { recursive: true })
  }
  await hardLinkTree(path.join(repo, 'node_modules'), path.join(project, 'node_modules'))
  if (!appWritten) await writeStandInOut(project)
  const electronDist = await createPlaceholderElectronDist(path.join(work, 'electron-dist'))

  // The same command as `npm run dist:dir`, run from the copy, with the output outside it.
  const result = spawnSync(process.execPath, ['scripts/dist-dir.ts', `-c.directories.output=${path.join(work, 'dist')}`], {
    cwd: project,
    env: { ...process.env, ELECTRON_DIST: electronDist, DIST_SKIP_BUILD: appWritten ? '0' : '1', CI: 'true' },
    encoding: 'utf8',
    timeout: 240_000,
  })
  builderOutput = `${result.stdout}\n${result.stderr}`
  if (result.status !== 0) throw new Error(`dist:dir failed (rc ${String(result.status)}):\n${builderOutput}`)

  unpacked = path.join(work, 'dist', `${process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux'}${process.arch === 'x64' ? '' : `-${process.arch}`}-unpacked`)
  asarFiles = listPackage(path.join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((file) => file.split(path.sep).join('/'))
}, 300_000)

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true })
})

const packagedModules = (): Set<string> =>
  new Set(
    asarFiles
      .filter((file) => file.startsWith('/node_modules/') && file.endsWith('/package.json'))
      .map((file) => file.slice(1, -'/package.json'.length))
      // Only package roots (node_modules/x or node_modules/@s/x, nested or not), not dist/esm/package.json.
      .filter((dir) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@]+$/.test(dir)),
  )

describe('npm run dist:dir with a placeholder Electron dist', () => {
  it('produces an unpacked app with the renamed executable, app.asar and no loose app folder', () => {
    expect(existsSync(path.join(unpacked, process.platform === 'linux' ? 'directory-sync-console' : 'DirectorySyncConsole'))).toBe(true)
    expect(existsSync(path.join(unpacked, 'resources', 'app.asar'))).toBe(true)
    expect(existsSync(path.join(unpacked, 'resources', 'app'))).toBe(false)
  })

  it('says that fuses were not applied because the Electron binary is a placeholder', () => {
    expect(builderOutput).toMatch(/Electron fuses NOT applied to .*: the Electron binary has no fuse wire \(a placeholder Electron dist/)
  })

  it('packs the better-sqlite3 Node-API prebuild exactly as npm installed it (no Electron rebuild)', async () => {
    const packed = await readFile(path.join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds', `${platformArch}.node`))
    const installed = await readFile(path.join(repo, 'node_modules', 'better-sqlite3', 'prebuilds', `${platformArch}.node`))
    expect(packed.equals(installed)).toBe(true)
  })

  it('holds only out/main, out/preload, out/renderer, package.json and node_modules at the top of app.asar', () => {
    const top = new Set(asarFiles.map((file) => file.split('/')[1]))
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json'])
    const outDirs = new Set(asarFiles.filter((file) => file.startsWith('/out/')).map((file) => file.split('/')[2]))
    expect([...outDirs].sort()).toEqual(['main', 'preload', 'renderer'])
    expect(asarFiles).toContain('/out/main/index.js')
    expect(asarFiles.some((file) => /^\/out\/preload\/index\.c?js$/.test(file))).toBe(true)
    expect(asarFiles).toContain('/out/renderer/index.html')
  })

  it('packs exactly the production dependencies that package-lock.json resolves, no more and no less', async () => {
    const lock = JSON.parse(await readFile(path.join(repo, 'package-lock.json'), 'utf8')) as PackageLock
    const production = Object.entries(lock.packages)
      .filter(([key, entry]) => key.startsWith('node_modules/') && entry.dev !== true && entry.devOptional !== true)
      .map(([key]) => key)
      .filter((key) => existsSync(path.join(repo, key))) // optional packages for other platforms are not installed
    expect([...packagedModules()].sort()).toEqual(production.sort())
    for (const runtime of ['better-sqlite3', 'ldapts', 'zod', 'conf', 'electron-store', 'electron-updater', '@azure/msal-node']) {
      expect(packagedModules()).toContain(`node_modules/${runtime}`)
    }
  })

  it('packs no dev dependency, and React, react-dom and zustand are devDependencies bundled into the renderer', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as PackageJson
    for (const bundled of ['react', 'react-dom', 'zustand']) {
      expect(Object.keys(pkg.dependencies)).not.toContain(bundled)
      expect(Object.keys(pkg.devDependencies)).toContain(bundled)
    }
    const packaged = packagedModules()
    const leaked = Object.keys(pkg.devDependencies).filter((name) => packaged.has(`node_modules/${name}`))
    expect(leaked).toEqual([])
    for (const tool of ['electron', 'vite', 'vitest', 'typescript', 'electron-builder', 'electron-vite', 'react', 'react-dom']) {
      expect(packaged).not.toContain(`node_modules/${tool}`)
    }
  })

  it('contains no TypeScript sources, tests, source maps or other project folders', () => {
    expect(asarFiles.filter((file) => /\.(ts|tsx|mts|cts|map)$/.test(file))).toEqual([])
    expect(asarFiles.filter((file) => /\/(test|tests|__tests__)\//.test(file) || /\.(test|spec)\.[cm]?js$/.test(file))).toEqual([])
    for (const folder of ['main', 'preload', 'renderer', 'shared', 'scripts', 'build', 'test', 'bin']) {
      expect(asarFiles.filter((file) => file.startsWith(`/${folder}/`))).toEqual([])
    }
  })

  it('keeps only the better-sqlite3 Node-API prebuild for this platform, unpacked beside app.asar', async () => {
    expect(asarFiles.filter((file) => file.startsWith('/node_modules/better-sqlite3/prebuilds/') && file.endsWith('.node'))).toEqual([
      `/node_modules/better-sqlite3/prebuilds/${platformArch}.node`,
    ])
    const prebuilds = await readdir(path.join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds'))
    expect(prebuilds).toEqual([`${platformArch}.node`])
    // SQLite's C sources are for node-gyp only, and a locally compiled build/ would take precedence over the prebuild.
    expect(asarFiles.filter((file) => /^\/node_modules\/better-sqlite3\/(build|deps|src)\//.test(file))).toEqual([])
  })

  it('ships the sample organisation as resources/sample-org.ldif, byte for byte', async () => {
    const shipped = await readFile(path.join(unpacked, 'resources', 'sample-org.ldif'))
    expect(shipped.equals(await readFile(path.join(repo, 'main', 'demo', 'sample-org.ldif')))).toBe(true)
  })

  it('writes the update metadata electron-updater reads, pointing at the never-contacted build-time URL', async () => {
    const updateConfig = await readFile(path.join(unpacked, 'resources', 'app-update.yml'), 'utf8')
    expect(updateConfig).toContain('provider: generic')
    expect(updateConfig).toContain('url: https://updates.invalid/directory-sync-console')
  })
})
