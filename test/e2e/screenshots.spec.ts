import { join } from 'node:path'
import { expect, expectAccessible, integrationRow, openConsole, syncAll, test } from './fixtures.ts'

/**
 * The console at the smallest supported window (1024×700) and a common desktop one (1440×900):
 * the README's screenshot and docs/screenshots/ are taken here, so they are always current. At
 * each size nothing may be clipped: the integration table's last column and the detail pane are
 * both inside the window, no tab or toolbar button wraps, and the banners fold to one line.
 */
const DOCS = join(import.meta.dirname, '..', '..', 'docs')
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} the pages fit: table and pane side by side or stacked, banner folded to one line`, async ({ page, demoHost }) => {
    await page.setViewportSize(size)
    await openConsole(page, demoHost)
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
  })
}
