/**
 * `npm run dist:dir [-- <electron-builder options>]`: builds the app and packs it into an
 * unpacked folder (dist/<platform>-unpacked) without making installers — the fast way to check
 * what goes into app.asar.
 *
 * Environment:
 *   ELECTRON_DIST=<dir|zip>  use this Electron instead of downloading it (electron-builder's
 *                            `electronDist`): an unpacked Electron folder, a zip, or a folder holding
 *                            electron-v<version>-<platform>-<arch>.zip. Offline CI points it at a
 *                            placeholder (scripts/packaging/placeholder-electron-dist.ts).
 *   DIST_SKIP_BUILD=1        skip `electron-vite build` (out/ is already built).
 * Any arguments are passed to electron-builder as they are (e.g. `-c.directories.output=/tmp/x`).
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

// Run the tools' JS entry points with this same Node (24): no shell, no .cmd shims on Windows.
function run(script: string, args: readonly string[]): void {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', script), ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** Pure: the electron-builder arguments for a --dir build. */
export function electronBuilderDirArgs(env: Readonly<Record<string, string | undefined>>, extra: readonly string[], cwd: string): string[] {
  // Never upload from here (electron-builder publishes implicitly when it detects CI).
  const args = ['--dir', '--publish', 'never', ...extra]
  const dist = env['ELECTRON_DIST']?.trim()
  if (dist) args.push(`-c.electronDist=${path.resolve(cwd, dist)}`)
  return args
}

if (import.meta.main) {
  if (process.env['DIST_SKIP_BUILD'] !== '1') run('electron-vite/bin/electron-vite.js', ['build'])
  run('electron-builder/cli.js', electronBuilderDirArgs(process.env, process.argv.slice(2), process.cwd()))
}
