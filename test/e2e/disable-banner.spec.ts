import { expect, integrationRow, openConsole, shot, syncAll, test } from './fixtures.ts'

test('disabling an integration explains the global pause, shows the banner on every page, and enabling removes it', async ({ page, demoHost }) => {
  await openConsole(page, demoHost)
  await syncAll(page)
  await integrationRow(page, /Sample directory/).getByRole('button', { name: 'Sample directory' }).click()
  await page.getByRole('button', { name: 'Disable' }).click()

  const dialog = page.getByRole('dialog', { name: /Disable/ })
  await expect(dialog).toContainText('paused for ALL integrations')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('region', { name: 'Destructive actions paused' })).toBeHidden()

  await page.getByRole('button', { name: 'Disable' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Disable integration' }).click()
  const banner = page.getByRole('region', { name: 'Destructive actions paused' })
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('Sample directory')
  await expect(banner).toContainText('disabled')
  await expect(integrationRow(page, /Sample directory/)).toContainText('Disabled')
  // The notices fade after 6 s; dismiss them so the screenshot (also the README's) shows the page.
  const dismiss = page.getByRole('button', { name: 'Dismiss' })
  while ((await dismiss.count()) > 0) await dismiss.first().click()
  await page.screenshot({ path: shot('05-banner-disabled') })

  const nav = page.getByRole('navigation', { name: 'Console' })
  for (const name of ['Held actions', 'Directory', 'Run history', 'Integrations']) {
    await nav.getByRole('link', { name }).click()
    await expect(banner).toBeVisible()
  }

  await banner.getByRole('button', { name: 'Review held actions' }).click()
  await expect(page.getByRole('heading', { name: 'Held actions', level: 1 })).toBeVisible()
  await expect(page.getByLabel('Reason')).toHaveValue('blocked')
  await page.screenshot({ path: shot('08-held-actions') })

  await banner.getByRole('button', { name: 'Sample directory' }).click()
  await page.getByRole('button', { name: 'Enable', exact: true }).click()
  await expect(banner).toBeHidden()
})
