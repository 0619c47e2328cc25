/**
 * Writes a placeholder "unpacked Electron" folder for Linux, for electron-builder's `electronDist`.
 * Electron's own download host is unreachable on this project's machines and in CI, so packaging
 * is exercised against this stand-in: file selection, asar contents, extra resources, hooks and
 * the fuse configuration all run for real; only the executable is a shell script.
 * The result must never be shipped: the afterPack hook reports that fuses were not applied.
 *
 *   node scripts/packaging/placeholder-electron-dist.ts <dir>    # then: ELECTRON_DIST=<dir> npm run dist:dir
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..', '..')

/** The Electron version package.json pins, which electron-builder also reads. */
export async function installedElectronVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

/** Creates `dir` with the files electron-builder copies from a real Linux Electron zip. Returns `dir`. */
export async function createPlaceholderElectronDist(dir: string, version?: string): Promise<string> {
  const electronVersion = version ?? (await installedElectronVersion())
  await mkdir(path.join(dir, 'locales'), { recursive: true })
  // electron-builder renames `electron` to the product's executable name; it only needs to exist.
  await writeFile(
    path.join(dir, 'electron'),
    '#!/bin/sh\necho "placeholder Electron binary from scripts/packaging/placeholder-electron-dist.ts: not runnable" >&2\nexit 1\n',
    { mode: 0o755 },
  )
  await writeFile(path.join(dir, 'version'), electronVersion)
  await writeFile(path.join(dir, 'LICENSE'), 'Placeholder for Electron\'s LICENSE (MIT); a real dist ships the actual text.\n')
  await writeFile(path.join(dir, 'LICENSES.chromium.html'), '<!doctype html><title>Placeholder for Chromium licenses</title>\n')
  // electron-builder keeps only the locales the config asks for (electronLanguages); en-US is the default.
  // No resources/default_app.asar: a real one is a valid asar that the builder hashes for asar
  // integrity, and an empty stand-in would fail that ("Unable to read header size").
  await writeFile(path.join(dir, 'locales', 'en-US.pak'), '')
  return dir
}

if (import.meta.main) {
  const dir = process.argv[2]
  if (dir === undefined) {
    console.error('usage: node scripts/packaging/placeholder-electron-dist.ts <dir>')
    process.exit(2)
  }
  console.log(await createPlaceholderElectronDist(path.resolve(dir)))
}
