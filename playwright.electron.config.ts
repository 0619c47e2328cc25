import { defineConfig } from '@playwright/test'
import browserConfig from './playwright.config.ts'

/**
 * The Electron smoke test (`npm run test:electron`): the built app itself, launched by Playwright's
 * `_electron`. Needs Electron's binary and a display (xvfb-run on Linux), so it runs in
 * .github/workflows/electron.yml on Linux, Windows and macOS — not in the local CI, where neither
 * exists (playwright.config.ts covers the same renderer through the browser host). Same runner
 * settings as the browser suite, without its browser, its global set-up and its folder.
 */
export default defineConfig({
  ...browserConfig,
  testDir: 'test/electron',
  outputDir: 'test-results/electron',
  globalSetup: undefined,
  timeout: 120_000,
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
})
