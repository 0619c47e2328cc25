import { readFileSync } from 'node:fs'
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
  // The memberships that go with the deleted groups are counted, not "0" (issue 16).
  await expect(preview.getByRole('heading', { name: /Group memberships removed/ })).not.toHaveText('Group memberships removed: 0')
  await expect(preview).toContainText(/All \d+ members of .+ \(the group is deleted\)/)
  await expect(preview).toContainText(/At the next sync \((scheduled .+|no schedule: when you sync)\), after this integration is deleted/)
  // Every list can be expanded, and exported whole.
  await preview.getByText(/^Show all \d+$/).first().click()
  await expect(preview.getByRole('list', { name: /the rest$/ }).first()).toBeVisible()
  const [download] = await Promise.all([page.waitForEvent('download'), preview.getByRole('button', { name: 'Export CSV' }).click()])
  const csv = readFileSync((await download.path()) ?? '', 'utf8')
  expect(csv.split('\r\n')[0]).toBe('consequence,item')
  expect(csv.match(/^Users demoted to “Created by Message in Transit”,/gm)?.length).toBeGreaterThan(8)
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
