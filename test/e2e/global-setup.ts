import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The host serves `out/renderer`: build it when it is missing (`npm run test:e2e` builds first;
 * a bare `npx playwright test` on a fresh clone then still works). Set E2E_REBUILD=1 to force it.
 */
export default function globalSetup(): void {
  const root = join(import.meta.dirname, '..', '..')
  if (existsSync(join(root, 'out', 'renderer', 'index.html')) && process.env['E2E_REBUILD'] !== '1') return
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' })
}
