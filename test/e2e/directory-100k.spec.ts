import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, expectAccessible, integrationRow, shot, startHost, test } from './fixtures.ts'
import { buildLargeStore, LARGE_USER_COUNT } from './large-store.ts'

/** Issue 6's target from keystroke to rows on screen, in ms; the assertion is looser (shared CI cores). */
const TARGET_MS = 100
const BOUND_MS = 2000

let dir = ''
let dataDir = ''
test.beforeAll(async () => {
  test.setTimeout(180_000)
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-100k-'))
  const built = await buildLargeStore(dir)
  dataDir = built.dataDir
  console.log(`100k store: ${Object.entries(built.timings).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`)
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Press one key in the search box and time, in the page, from the keydown to the moment the list
 * shows `expected` as its first row and the count says `total`: what the admin waits for.
 */
async function timeKeystroke(page: Page, key: string, expected: string, total: string): Promise<number> {
  await page.evaluate(
    ({ expected, total }) => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')
      const timing = { pressed: 0, shown: new Promise<number>(() => undefined) }
      input?.addEventListener('keydown', () => (timing.pressed = performance.now()), { once: true })
      timing.shown = new Promise<number>((resolve) => {
        const check = () => {
          const first = document.querySelector('[aria-label="Users"] [role="cell"]')
          if (first?.textContent === expected && document.querySelector('[data-testid="directory-total"]')?.textContent === total) {
            observer.disconnect()
            resolve(performance.now())
          }
        }
        const observer = new MutationObserver(check)
        observer.observe(document.body, { subtree: true, childList: true, characterData: true })
      })
      ;(window as unknown as { __timing: typeof timing }).__timing = timing
    },
    { expected, total },
  )
  await page.getByLabel('Search users').press(key)
  return page.evaluate(async () => {
    const timing = (window as unknown as { __timing: { pressed: number; shown: Promise<number> } }).__timing
    const shown = await timing.shown
    return shown - timing.pressed
  })
}

test('the directory browser searches a 100k-user store fast, and a running sync shows its progress while the console stays usable', async ({ page }) => {
  test.setTimeout(150_000)
  const { host, stop } = await startHost({ demo: false, dataDir })
  try {
    await page.goto(host.url)
    await expect(integrationRow(page, /Bulk export/)).toContainText('OK')
    await expect(page.getByTestId('account-user-count')).toHaveText(LARGE_USER_COUNT.toLocaleString('en-US'))

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Directory' }).click()
    await expect(page.getByTestId('directory-total')).toHaveText(LARGE_USER_COUNT.toLocaleString('en-US'))
    await expectAccessible(page, 'directory browser, 100k users')

    // Scroll far down: rows arrive page by page, and the list never shows a blank screen for long.
    await page.getByRole('rowgroup', { name: 'Users rows' }).evaluate((element) => element.scrollTo({ top: 40 * 80_000 }))
    await expect(page.getByRole('table', { name: 'Users' })).toContainText('u080', { timeout: 5000 })

    const search = page.getByLabel('Search users')
    const figures: number[] = []
    for (const [prefix, last, expected] of [
      ['u05432', '1', 'u054321@bulk.example.org'],
      ['u09876', '5', 'u098765@bulk.example.org'],
      ['u00012', '3', 'u000123@bulk.example.org'],
    ] as const) {
      await search.fill(prefix)
      await expect(page.getByTestId('directory-total')).toHaveText('10')
      figures.push(await timeKeystroke(page, last, expected, '1'))
    }
    const sorted = [...figures].sort((a, b) => a - b)
    console.log(`directory search in ${LARGE_USER_COUNT.toLocaleString('en-US')} users, keystroke → rows printed: ${figures.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (median ${sorted[1]?.toFixed(0)} ms; target ≤ ${TARGET_MS} ms)`)
    expect(Math.max(...figures)).toBeLessThan(BOUND_MS)
    await page.screenshot({ path: shot('17-directory-100k-search') })

    // A search by display name across the whole store.
    await search.fill('Bulk User 99999')
    await expect(page.getByTestId('directory-total')).toHaveText('1')
    await expect(page.getByRole('table', { name: 'Users' })).toContainText('u099999@bulk.example.org')

    // Sync All re-reads 100k users: progress shows phase and objects read, live, and the list stays usable.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Integrations' }).click()
    const answered = page.waitForResponse((response) => response.url().includes('/api/invoke/sync:run'), { timeout: 120_000 })
    await page.getByRole('button', { name: 'Sync All' }).click()
    const progress = page.getByRole('region', { name: 'Sync progress' })
    await expect(progress).toContainText('Reading')
    await expect
      .poll(async () => Number(((await progress.getByRole('cell').nth(2).textContent()) ?? '0').replace(/\D/g, '')), { timeout: 60_000 })
      .toBeGreaterThan(0)
    await page.screenshot({ path: shot('18-sync-progress') })
    await integrationRow(page, /Bulk export/).getByRole('button', { name: 'Bulk export' }).click()
    await expect(page.getByRole('complementary', { name: 'Bulk export' })).toBeVisible()
    await expectAccessible(page, 'integrations page during a sync')
    await answered
    await expect(progress).toBeHidden()
    await expect(page.getByRole('status').filter({ hasText: /Sync finished/ }).last()).toBeVisible()
  } finally {
    await stop()
  }
})
