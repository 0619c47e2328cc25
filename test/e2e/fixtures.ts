import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'

const ROOT = join(import.meta.dirname, '..', '..')
/** How long the host may take to open the store and print its address (ms). */
const START_TIMEOUT_MS = 30_000

export interface ConsoleHost {
  /** The tokenised address the host printed: opening it sets the session cookie. */
  readonly url: string
  /** `http://127.0.0.1:PORT` without the token. */
  readonly origin: string
  readonly dataDir: string
}

interface HostOptions {
  readonly demo: boolean
  /** A data directory prepared beforehand (e.g. by the CLI); removed when the host stops. Default: a fresh one. */
  readonly dataDir?: string
  /** Extra environment for the host (e.g. DIRSYNC_SECRET_KEY, so the headless secret store can write). Default: none. */
  readonly env?: Readonly<Record<string, string>>
}

/** Start `serve-main.ts` on a fresh temp data dir (or the given one) and a free port; resolve with the printed URL. */
export async function startHost(options: HostOptions): Promise<{ host: ConsoleHost; stop: () => Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dirsync-e2e-'))
  const args = [join(ROOT, 'main', 'headless', 'serve-main.ts'), '--data-dir', dataDir, '--port', '0', '--no-schedule', ...(options.demo ? ['--demo'] : [])]
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the browser host did not print its address within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /(https?:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the browser host exited (code ${code}) before printing its address:\n${output}`))
    })
  })
  const origin = new URL(url).origin
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  return { host: { url, origin, dataDir }, stop }
}

/** `demoHost`: a fresh host with the sample integration; `emptyHost`: a fresh host with nothing. */
export const test = base.extend<{ demoHost: ConsoleHost; emptyHost: ConsoleHost }>({
  // Playwright reads fixture dependencies from the destructuring pattern; these need none.
  // eslint-disable-next-line no-empty-pattern
  demoHost: async ({}, use) => {
    const { host, stop } = await startHost({ demo: true })
    await use(host)
    await stop()
  },
  // eslint-disable-next-line no-empty-pattern
  emptyHost: async ({}, use) => {
    const { host, stop } = await startHost({ demo: false })
    await use(host)
    await stop()
  },
})

export { expect }

/** Open the console through the tokenised address and wait for the integration list. */
export async function openConsole(page: Page, host: ConsoleHost): Promise<void> {
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Integrations', exact: true })).toBeVisible()
}

/**
 * Sync All and wait until this run has answered (not an earlier run's notice, which stays 6 s) and
 * the console shows its outcome.
 */
export async function syncAll(page: Page, timeout = 30_000): Promise<void> {
  const answered = page.waitForResponse((response) => response.url().includes('/api/invoke/sync:run'), { timeout })
  await page.getByRole('button', { name: 'Sync All' }).click()
  await answered
  await expect(page.getByRole('status').filter({ hasText: /Sync finished/ }).last()).toBeVisible()
  await expect(page.getByRole('button', { name: 'Sync All' })).toBeEnabled()
}

/** Impacts that fail a page (issue 6: "no serious or critical violations"); minor/moderate are printed. */
const FAILING_IMPACTS = new Set(['serious', 'critical'])

/**
 * Run axe-core (WCAG 2.x A/AA rules and best practices; or only `rules`) on the page as it is now
 * and fail on any serious or critical violation, naming the rule and the first elements it found.
 * E2E_AXE_TIMING=1 prints how long each run took (1–3 s on two shared cores).
 */
export async function expectAccessible(page: Page, where: string, options: { readonly rules?: readonly string[] } = {}): Promise<void> {
  const started = Date.now()
  const builder = new AxeBuilder({ page })
  if (options.rules) builder.withRules([...options.rules])
  const results = await builder.analyze()
  if (process.env['E2E_AXE_TIMING'] === '1') console.log(`axe on ${where}: ${Date.now() - started} ms`)
  const describe = (violation: (typeof results.violations)[number]) =>
    `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} — ${violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(' '))
      .join(' | ')}`
  const minor = results.violations.filter((violation) => !FAILING_IMPACTS.has(violation.impact ?? ''))
  if (minor.length > 0) console.log(`axe on ${where}: ${minor.length} minor/moderate: ${minor.map(describe).join('; ')}`)
  expect(results.violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? '')).map(describe), `axe-core on ${where}`).toEqual([])
}

/**
 * Create an LDIF integration through the form; resolves once it is saved (after its connection
 * test passed), i.e. when its detail pane opens.
 */
export async function createLdifIntegration(page: Page, name: string, file: string): Promise<void> {
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Export file path').fill(file)
  await form.getByRole('button', { name: 'Create integration' }).click()
  await expect(page.getByRole('complementary', { name })).toBeVisible()
}

/** The integrations table (the progress table also has rows named after integrations). */
export function integrationRow(page: Page, name: string | RegExp) {
  return page.getByRole('table', { name: /Integrations/ }).getByRole('row', { name })
}

/** Screenshots wanted as artifacts and for the README. */
export function shot(name: string): string {
  return join(ROOT, 'test-results', 'screenshots', `${name}.png`)
}
