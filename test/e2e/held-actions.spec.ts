import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ldifText, type LdifUser } from '../helpers/ldif-writer.ts'
import { expect, expectAccessible, openConsole, shot, syncAll, test } from './fixtures.ts'

/** 30 users in one group; the removal drops the last 3, i.e. 3 demotions + 3 memberships = 6 destructive actions. */
const users: LdifUser[] = Array.from({ length: 30 }, (_, i) => ({ uid: `h${i}`, mail: `held${i}@example.org`, displayName: `Held ${i}` }))
const org = (list: readonly LdifUser[]) => ({ users: list, groups: [{ cn: 'sales', mail: 'sales@example.org', members: list.map((user) => user.uid) }] })

let dir = ''
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-held-'))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a threshold of 0 holds removals behind the threshold banner; one approved action applies at the next Sync All', async ({ page, emptyHost }) => {
  const file = join(dir, 'sales.ldif')
  writeFileSync(file, ldifText(org(users)))
  await openConsole(page, emptyHost)
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Name').fill('Sales export')
  await form.getByLabel('Export file path').fill(file)
  await form.getByRole('button', { name: 'Create integration' }).click()
  await syncAll(page)
  await expect(page.getByTestId('account-user-count')).toHaveText('30')

  // Maximum unlinks 0, through the Settings tab.
  const detail = page.getByRole('complementary', { name: 'Sales export' })
  await detail.getByRole('tab', { name: 'Settings' }).click()
  await detail.getByLabel('Maximum unlinks per sync').selectOption('0')
  await expectAccessible(page, 'integration detail, Settings tab')
  await detail.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Integration “Sales export” saved.' })).toBeVisible()

  // Three users leave the directory: their removals exceed the threshold and are held.
  writeFileSync(file, ldifText(org(users.slice(0, 27))))
  await syncAll(page)
  const banner = page.getByRole('region', { name: 'Deletion threshold reached' })
  await expect(banner).toContainText('Sales export')
  await expect(banner).toContainText('planned 6 destructive actions; its maximum is 0')
  await page.screenshot({ path: shot('15-threshold-banner') })
  await expectAccessible(page, 'integrations page with the threshold banner')

  await banner.getByRole('button', { name: 'Review and approve' }).click()
  await expect(page.getByRole('heading', { name: 'Held actions', level: 1 })).toBeVisible()
  await expect(page.getByLabel('Reason')).toHaveValue('threshold')
  await expect(page.getByText('6 held actions, 6 of them approvable.')).toBeVisible()
  const target = page.getByRole('checkbox', { name: 'Select Downgrade address type held29@example.org' })
  await target.check()
  await page.getByRole('button', { name: 'Approve selected (1)' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click()
  await expect(page.getByRole('status').filter({ hasText: '1 held action approved' })).toBeVisible()
  const approvals = page.getByRole('region', { name: 'Approvals' })
  await expect(approvals).toContainText('held29@example.org')
  await expect(approvals).toContainText('At the next sync')
  await page.screenshot({ path: shot('16-held-actions-approved') })
  await expectAccessible(page, 'held actions with an approval')

  // The next Sync All applies the approved action; the other five stay held.
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Integrations' }).click()
  await syncAll(page)
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: /Held actions/ }).click()
  await expect(approvals).not.toContainText('At the next sync')
  await expect(page.getByText('5 held actions, 5 of them approvable.')).toBeVisible()
  await expect(page.getByRole('checkbox', { name: 'Select Downgrade address type held29@example.org' })).toHaveCount(0)

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Directory' }).click()
  await page.getByLabel('Search users').fill('held29@example.org')
  await expect(page.getByTestId('directory-total')).toHaveText('1')
  await page.getByRole('table', { name: 'Users' }).getByRole('button').first().click()
  await expect(page.getByRole('complementary', { name: 'User held29@example.org' })).toContainText('Created by Message in Transit')
})
