import { expect, openConsole, shot, syncAll, test } from './fixtures.ts'

test('deleting an integration previews its consequences and needs its name typed', async ({ page, demoHost }) => {
  await openConsole(page, demoHost)
  await syncAll(page)
  await page.getByRole('row', { name: /Sample directory/ }).getByRole('button', { name: 'Sample directory' }).click()
  await page.getByRole('button', { name: 'Delete', exact: true }).click()

  const dialog = page.getByRole('dialog', { name: /Delete/ })
  const preview = dialog.getByLabel('What the deletion will cause')
  await expect(preview).toContainText('Users demoted to “Created by Message in Transit”')
  await expect(preview).toContainText(/Group memberships removed: \d+/)
  const confirm = dialog.getByRole('button', { name: 'Delete integration' })
  await expect(confirm).toBeDisabled()
  await dialog.getByLabel(/Type the integration name/).fill('sample directory')
  await expect(confirm).toBeDisabled()
  await dialog.getByLabel(/Type the integration name/).fill('Sample directory')
  await expect(confirm).toBeEnabled()
  await page.screenshot({ path: shot('09-delete-preview') })
  await confirm.click()

  await expect(dialog).toBeHidden()
  await expect(page.getByRole('heading', { name: 'No integration yet' })).toBeVisible()
})
