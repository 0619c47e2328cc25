import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ldifText, type LdifUser } from '../helpers/ldif-writer.ts'
import { expect, expectAccessible, openConsole, shot, syncAll, test } from './fixtures.ts'

/** 600 users in one group: deleting their integration plans 600 downgrades and 1 group deletion — more than one page of held actions. */
const users: LdifUser[] = Array.from({ length: 600 }, (_, i) => ({ uid: `d${i}`, mail: `deleted${i}@example.org`, displayName: `Deleted ${i}` }))

let dir = ''
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-deleted-'))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a deleted integration keeps its name on held actions, which page past 500 and are approved all at once by its name', async ({ page, emptyHost }) => {
  test.setTimeout(120_000)
  const file = join(dir, 'sample.ldif')
  writeFileSync(file, ldifText({ users, groups: [{ cn: 'everyone', mail: 'everyone@example.org', members: users.map((user) => user.uid) }] }))
  await openConsole(page, emptyHost)
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Name').fill('Sample directory')
  await form.getByLabel('Export file path').fill(file)
  await form.getByRole('button', { name: 'Create integration' }).click()
  // Saved once its connection test passed.
  await expect(page.getByRole('complementary', { name: 'Sample directory' })).toBeVisible()
  // A second integration stays, as in the report (and Sync All needs one).
  const other = join(dir, 'other.ldif')
  writeFileSync(other, ldifText({ users: [{ uid: 'o1', mail: 'other1@example.org', displayName: 'Other 1' }] }))
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  await form.getByLabel('Name').fill('Other directory')
  await form.getByLabel('Export file path').fill(other)
  await form.getByRole('button', { name: 'Create integration' }).click()
  await page.getByRole('row', { name: /Sample directory/ }).getByRole('button', { name: 'Sample directory' }).click()
  await syncAll(page)
  await expect(page.getByTestId('account-user-count')).toHaveText('601')

  const detail = page.getByRole('complementary', { name: 'Sample directory' })
  await detail.getByRole('tab', { name: 'Settings' }).click()
  await detail.getByLabel('Maximum unlinks per sync').selectOption('10')
  await detail.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Integration “Sample directory” saved.' })).toBeVisible()

  await detail.getByRole('button', { name: 'Delete', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: /Delete/ })
  await dialog.getByLabel(/Type the integration name/).fill('Sample directory')
  await dialog.getByRole('button', { name: 'Delete integration' }).click()
  await expect(dialog).toBeHidden()
  await syncAll(page)

  // The banner names the deleted integration and offers nothing that cannot be followed.
  const banner = page.getByRole('region', { name: 'Deletion threshold reached' })
  await expect(banner).toContainText('Sample directory (deleted) planned 601 destructive actions; its maximum is 10.')
  await expect(banner.getByRole('button', { name: /Open integration/ })).toHaveCount(0)
  await banner.getByRole('button', { name: 'Review and approve' }).click()

  await expect(page.getByRole('heading', { name: 'Held actions', level: 1 })).toBeVisible()
  await expect(page.getByLabel('Integration')).toHaveValue(/.+/)
  await expect(page.getByLabel('Integration').locator('option:checked')).toHaveText('Sample directory (deleted)')
  await expect(page.getByText('601 held actions, 601 of them approvable.')).toBeVisible()
  const table = page.getByRole('table', { name: 'Held actions' })
  await expect(table.getByRole('row').nth(1)).toContainText('Sample directory (deleted)')

  // The list pages on: the last row (past the first 500) is reachable by scrolling.
  await table.getByRole('rowgroup', { name: 'Held actions rows' }).evaluate((element) => element.scrollTo(0, element.scrollHeight))
  await expect(table.getByRole('checkbox', { name: 'Select Delete group everyone@example.org' })).toBeVisible()
  await page.screenshot({ path: shot('17-held-actions-deleted-integration') })
  await expectAccessible(page, 'held actions of a deleted integration')

  await page.getByRole('button', { name: 'Approve all 601 matching' }).click()
  const approve = page.getByRole('dialog', { name: 'Approve held actions?' })
  await expect(approve).toContainText('Approve all 601 threshold-held actions of Sample directory (deleted)?')
  await approve.getByRole('button', { name: 'Approve' }).click()
  await expect(page.getByRole('status').filter({ hasText: '601 held actions approved' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Approve all 0 matching' })).toBeDisabled()
})
