import { expect, openConsole, shot, syncAll, test } from './fixtures.ts'

test('the demo console lists the sample directory and Sync All fills the account with its users', async ({ page, demoHost }) => {
  await openConsole(page, demoHost)
  const row = page.getByRole('row', { name: /Sample directory/ })
  await expect(row).toBeVisible()
  await expect(row).toContainText('LDIF/CSV file')
  await expect(row).toContainText('Never synced')
  await page.screenshot({ path: shot('01-integration-list-before-sync') })

  await syncAll(page)
  const users = page.getByTestId('account-user-count')
  await expect(users).not.toHaveText('0')
  const count = Number((await users.innerText()).replace(/\D/g, ''))
  expect(count).toBeGreaterThanOrEqual(150)
  expect(count).toBeLessThanOrEqual(250)
  await expect(row).toContainText('OK')
  await page.screenshot({ path: shot('02-integration-list-after-sync') })

  await row.getByRole('button', { name: 'Sample directory' }).click()
  await expect(page.getByTestId('snapshot-users')).toContainText('users')
  await page.screenshot({ path: shot('03-integration-detail') })

  await page.getByRole('tab', { name: 'Test Connection' }).click()
  await page.getByRole('button', { name: 'Test Connection' }).click()
  await expect(page.getByText(/The connection (works|test failed)/)).toBeVisible()

  await page.getByRole('tab', { name: 'History' }).click()
  await expect(page.getByRole('tabpanel')).toContainText('Success')
})

test('the directory browser finds a user of the sample and shows its address types', async ({ page, demoHost }) => {
  await openConsole(page, demoHost)
  await syncAll(page)
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Directory' }).click()
  await expect(page.getByTestId('directory-total')).not.toHaveText('0')
  await expect(page.getByText(/Offline copy — as of/)).toBeVisible()
  const firstAddress = (await page.getByRole('table', { name: 'Users' }).getByRole('cell').first().innerText()).trim()
  const search = page.getByLabel('Search users')
  const started = Date.now()
  await search.fill(firstAddress)
  await expect(page.getByTestId('directory-total')).toHaveText('1')
  const elapsed = Date.now() - started
  console.log(`directory search on the sample: ${elapsed} ms from typing to the filtered count`)
  await page.getByRole('table', { name: 'Users' }).getByRole('button').first().click()
  await expect(page.getByRole('complementary', { name: `User ${firstAddress}` })).toContainText('Extracted From Directory')
  await search.fill('')
  await page.screenshot({ path: shot('06-directory-browser') })

  await page.getByRole('tab', { name: 'Groups' }).click()
  await page.getByRole('table', { name: 'Groups' }).getByRole('button').first().click()
  // The pane is titled by the group ("Group Finance <finance@…>"), so two groups of one name differ.
  await expect(page.getByRole('complementary', { name: /^Group / })).toContainText(/\d+ members?/)

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Run history' }).click()
  await page.getByRole('table').getByRole('button').first().click()
  await expect(page.getByRole('table', { name: 'Changes by kind' })).toContainText('Create user')
  await page.screenshot({ path: shot('07-run-history') })
})
