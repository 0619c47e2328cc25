import type { ConsoleMessage } from '@playwright/test'
import { expect, expectAccessible, integrationRow, openConsole, shot, syncAll, test } from './fixtures.ts'

test('every page passes axe-core with no serious or critical violation, keeps its contrast in the dark theme, and the CSP raises no console error', async ({ page, demoHost }) => {
  test.setTimeout(120_000)
  const problems: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`)
  })

  /**
   * axe-core on the page as it is (light theme); with `dark`, the same page again in the dark
   * theme for colour contrast only (the theme follows the OS and changes nothing but colours).
   */
  async function check(where: string, options: { readonly dark?: boolean; readonly darkShot?: string } = {}): Promise<void> {
    await expectAccessible(page, `light: ${where}`)
    if (!options.dark) return
    await page.emulateMedia({ colorScheme: 'dark' })
    await expectAccessible(page, `dark: ${where}`, { rules: ['color-contrast'] })
    if (options.darkShot) await page.screenshot({ path: shot(options.darkShot) })
    await page.emulateMedia({ colorScheme: 'light' })
  }

  // The migration, held-actions and 100k specs check the wizard's steps, the threshold banner and a running sync.
  await page.emulateMedia({ colorScheme: 'light' })
  await openConsole(page, demoHost)
  const nav = page.getByRole('navigation', { name: 'Console' })
  await check('integration list before the first sync')
  await syncAll(page)
  await check('integration list', { dark: true })

  await integrationRow(page, /Sample directory/).getByRole('button', { name: 'Sample directory' }).click()
  const detail = page.getByRole('complementary', { name: 'Sample directory' })
  await check('detail, Details tab', { dark: true })
  await detail.getByRole('tab', { name: 'Settings' }).click()
  await check('detail, Settings tab')
  await detail.getByRole('tab', { name: 'Test Connection' }).click()
  await detail.getByRole('button', { name: 'Test Connection' }).click()
  await expect(detail.getByText(/The connection (works|test failed)/)).toBeVisible()
  await check('detail, Test Connection tab', { dark: true })
  await detail.getByRole('tab', { name: 'History' }).click()
  await check('detail, History tab')

  await detail.getByRole('button', { name: 'Edit' }).click()
  await check('edit form')
  await page.getByRole('button', { name: 'Create New Integration' }).click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Type').selectOption('active-directory')
  await form.getByLabel('Hostname / IP Address').fill('dc1 corp')
  await check('create form with a validation message', { dark: true })
  await form.getByRole('button', { name: 'Cancel' }).click()

  await integrationRow(page, /Sample directory/).getByRole('button', { name: 'Sample directory' }).click()
  await page.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(page.getByRole('dialog').getByLabel('What the deletion will cause')).toBeVisible()
  await check('delete dialog', { dark: true })
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Disable' }).click()
  await check('disable dialog')
  await page.getByRole('dialog').getByRole('button', { name: 'Disable integration' }).click()
  const banner = page.getByRole('region', { name: 'Destructive actions paused' })
  await expect(banner).toBeVisible()
  await check('integrations with the pause banner', { dark: true, darkShot: '19-dark-theme' })

  await nav.getByRole('link', { name: /Held actions/ }).click()
  await expect(page.getByRole('heading', { name: 'Held actions', level: 1 })).toBeVisible()
  await check('held actions with the pause banner', { dark: true })

  await nav.getByRole('link', { name: 'Directory' }).click()
  await expect(page.getByTestId('directory-total')).not.toHaveText('0')
  await page.getByRole('table', { name: 'Users' }).getByRole('button').first().click()
  await expect(page.getByRole('complementary', { name: /^User / })).toBeVisible()
  await check('directory users with a user open', { dark: true })
  await page.getByRole('tab', { name: 'Groups' }).click()
  await page.getByRole('table', { name: 'Groups' }).getByRole('button').first().click()
  await expect(page.getByRole('complementary', { name: /^Group / })).toContainText(/\d+ members?/)
  await check('directory groups with a group open')

  await nav.getByRole('link', { name: 'Run history' }).click()
  await page.getByRole('table').getByRole('button').first().click()
  await expect(page.getByRole('table', { name: 'Changes by kind' })).toBeVisible()
  await check('run history with a run open', { dark: true })

  await nav.getByRole('link', { name: /Migrate/ }).click()
  await expect(page.locator('#wizard-step-title')).toHaveText('Step 1 of 5: Pick old and new')
  await check('migration wizard, step 1', { dark: true })

  await banner.getByRole('button', { name: 'Sample directory' }).click()
  await page.getByRole('button', { name: 'Enable', exact: true }).click()
  await expect(banner).toBeHidden()
  expect(problems).toEqual([])
})
