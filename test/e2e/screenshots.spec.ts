import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, expectAccessible, integrationRow, openConsole, startHost, syncAll, test, type ConsoleHost } from './fixtures.ts'

/**
 * The console at the smallest supported window (1024×700) and a common desktop one (1440×900):
 * the README's screenshot and docs/screenshots/ are taken here. At each size nothing may be
 * clipped: the integration table's last column and the detail pane are both inside the window,
 * no tab or toolbar button wraps, and the banners fold to one line.
 *
 * The checks run with every e2e run; the pictures go to docs/ only when asked
 * (`npm run screenshots`, i.e. DIRSYNC_SCREENSHOTS=1), else to test-results/docs/, so an e2e run
 * leaves the tracked images alone.
 */
const ROOT = join(import.meta.dirname, '..', '..')
const DOCS = process.env['DIRSYNC_SCREENSHOTS'] === '1' ? join(ROOT, 'docs') : join(ROOT, 'test-results', 'docs')
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const

/**
 * Paths a reader may see in a picture, the same on every machine (not the checkout's or a random
 * temp folder): the data directory, and the sample export the Sample directory reads.
 */
const NEUTRAL = { dataDir: join(tmpdir(), 'dirsync-console'), sample: join(tmpdir(), 'dirsync-demo', 'sample-org.ldif') }

/** A demo host on the neutral data directory, its Sample directory reading the neutral copy of the sample. */
const test_ = test.extend<{ screenshotHost: ConsoleHost }>({
  // eslint-disable-next-line no-empty-pattern
  screenshotHost: async ({}, use) => {
    rmSync(NEUTRAL.dataDir, { recursive: true, force: true })
    mkdirSync(join(NEUTRAL.sample, '..'), { recursive: true })
    copyFileSync(join(ROOT, 'main', 'demo', 'sample-org.ldif'), NEUTRAL.sample)
    const { host, stop } = await startHost({ demo: true, dataDir: NEUTRAL.dataDir })
    execFileSync(process.execPath, [join(ROOT, 'bin', 'dirsync.js'), '--data-dir', NEUTRAL.dataDir, 'integrations', 'edit', 'Sample directory', '--file', NEUTRAL.sample], { cwd: ROOT, stdio: 'pipe' })
    await use(host)
    await stop()
    rmSync(join(NEUTRAL.sample, '..'), { recursive: true, force: true })
  },
})

for (const size of SIZES) {
  test_(`at ${size.width}×${size.height} the pages fit: table and pane side by side or stacked, banner folded to one line`, async ({ page, screenshotHost }) => {
    await page.setViewportSize(size)
    await openConsole(page, screenshotHost)
    await syncAll(page)
    await integrationRow(page, /Sample directory/).getByRole('button', { name: 'Sample directory' }).click()
    await page.getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Disable integration' }).click()
    const banner = page.getByRole('region', { name: 'Destructive actions paused' })
    await expect(banner).toBeVisible()
    const dismiss = page.getByRole('button', { name: 'Dismiss' })
    while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1000 }).catch(() => undefined)

    // Nothing runs past the right edge of the window.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow, 'horizontal overflow (px)').toBeLessThanOrEqual(0)
    const within = (name: string, box: { x: number; width: number } | null) => {
      expect(box, name).not.toBeNull()
      expect((box?.x ?? 0) + (box?.width ?? 0), `${name} right edge`).toBeLessThanOrEqual(size.width)
    }
    within('the Next sync column', await page.getByRole('columnheader', { name: /Next sync/ }).boundingBox())
    within('the detail pane', await page.getByRole('complementary', { name: 'Sample directory' }).boundingBox())
    // Tabs on one line.
    const tabs = await page.getByRole('tablist').first().getByRole('tab').evaluateAll((elements) => new Set(elements.map((e) => Math.round(e.getBoundingClientRect().top))).size)
    expect(tabs, 'rows of tabs').toBe(1)

    // The banner folds to one line with its counts, and stays folded across pages.
    await banner.getByRole('button', { name: 'Fold the banner' }).click()
    const folded = await banner.boundingBox()
    expect(folded?.height ?? 999, 'folded banner height (px)').toBeLessThanOrEqual(48)
    await expect(banner).toContainText(/Paused by Sample directory \(disabled\) · \d+ actions held/)
    const suffix = `${size.width}x${size.height}`
    await expect(page.getByRole('complementary', { name: 'Sample directory' })).toContainText(NEUTRAL.sample)
    await page.screenshot({ path: join(DOCS, 'screenshots', `integrations-${suffix}.png`) })
    if (size.width === 1440) await page.screenshot({ path: join(DOCS, 'screenshot.png') })
    await expectAccessible(page, `integrations at ${suffix}`)

    const nav = page.getByRole('navigation', { name: 'Console' })
    for (const [link, name] of [
      [/Held actions/, 'held-actions'],
      ['Directory', 'directory'],
      ['Run history', 'run-history'],
    ] as const) {
      await nav.getByRole('link', { name: link }).click()
      await expect(banner).toContainText(/Paused by/)
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name}: horizontal overflow (px)`).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(DOCS, 'screenshots', `${name}-${suffix}.png`) })
    }

    // The run's details, down to its changes object by object (the change journal).
    await page.getByRole('table', { name: /Runs/ }).getByRole('button').first().click()
    const changes = page.getByRole('region', { name: 'Changes, object by object' })
    await expect(changes.getByRole('table', { name: 'Changes of this run' }).getByRole('row').nth(1)).toContainText('Applied')
    await changes.scrollIntoViewIfNeeded()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 'run changes: horizontal overflow (px)').toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(DOCS, 'screenshots', `run-changes-${suffix}.png`) })
  })
}
