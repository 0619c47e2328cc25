import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ldifText, type LdifUser } from '../helpers/ldif-writer.ts'
import { expect, expectAccessible, integrationRow, openConsole, shot, syncAll, test } from './fixtures.ts'

/**
 * Issue 7's scenario (the same as test/unit/main/migration/migration-service.test.ts): an old
 * directory of 200 users, and a new one in which 90% match by primary address, 5% only by alias
 * (the old primary is an alias of a new primary), 5% are missing, and a few matched users differ in
 * display name (3) or enabled flag (1).
 */
const N = 200
const oldUsers: LdifUser[] = Array.from({ length: N }, (_, i) => ({ uid: `o${i}`, mail: `user${i}@example.org`, displayName: `User ${i}` }))
const aliasOnly = new Set(Array.from({ length: N }, (_, i) => i).filter((i) => i % 20 === 1))
const missing = new Set(Array.from({ length: N }, (_, i) => i).filter((i) => i % 20 === 2))
const renamed = new Set([0, 3, 4])
const disabledInNew = new Set([5])
const newUsers: LdifUser[] = oldUsers.flatMap((user, i): LdifUser[] => {
  if (missing.has(i)) return []
  if (aliasOnly.has(i)) return [{ uid: `n${i}`, mail: `u${i}.new@example.org`, aliases: [user.mail], displayName: `User ${i}` }]
  return [{ uid: `n${i}`, mail: user.mail, displayName: renamed.has(i) ? `User ${i} (renamed)` : `User ${i}`, disabled: disabledInNew.has(i) }]
})
const staff = (prefix: string, users: readonly LdifUser[]) => ({ cn: 'staff', mail: 'staff@example.org', members: users.map((user) => user.uid).filter((uid) => uid.startsWith(prefix)) })
const missingAddresses = [...missing].map((i) => `user${i}@example.org`).sort()

let dir = ''
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-migration-'))
  writeFileSync(join(dir, 'old.ldif'), ldifText({ users: oldUsers, groups: [staff('o', oldUsers)] }))
  writeFileSync(join(dir, 'new.ldif'), ldifText({ users: newUsers, groups: [staff('n', newUsers)] }))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function fillIntegrationForm(page: Page, name: string, file: string): Promise<void> {
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Export file path').fill(file)
  await form.getByRole('button', { name: 'Create integration' }).click()
}

const stepHeading = (page: Page) => page.locator('#wizard-step-title')

test('a migration runs through the wizard end to end, resumes after reloads, and its result is identical to the preview', async ({ page, emptyHost }) => {
  test.setTimeout(120_000)
  await openConsole(page, emptyHost)

  // The old directory, created through the form and synced alone.
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  await fillIntegrationForm(page, 'Old AD', join(dir, 'old.ldif'))
  await expect(page.getByRole('complementary', { name: 'Old AD' })).toBeVisible()
  await syncAll(page)
  await expect(page.getByTestId('account-user-count')).toHaveText('200')

  // Step 1: pick the old one, create the new one from the wizard, test it.
  const nav = page.getByRole('navigation', { name: 'Console' })
  await nav.getByRole('link', { name: /Migrate/ }).click()
  await expect(stepHeading(page)).toHaveText('Step 1 of 5: Pick old and new')
  await page.getByLabel('Old integration', { exact: true }).selectOption({ label: 'Old AD' })
  await page.getByRole('button', { name: 'Create New Integration' }).click()
  await fillIntegrationForm(page, 'New Entra', join(dir, 'new.ldif'))
  await expect(stepHeading(page)).toHaveText('Step 1 of 5: Pick old and new')
  await expect(page.getByLabel('New integration', { exact: true }).locator('option:checked')).toHaveText('New Entra')
  await page.getByRole('group', { name: 'Test the new integration' }).getByRole('button', { name: 'Test Connection' }).click()
  await expect(page.getByText('The connection works.')).toBeVisible()
  await page.screenshot({ path: shot('10-migration-1-pick'), fullPage: true })
  await expectAccessible(page, 'migration step 1')
  await page.getByRole('button', { name: 'Start the migration' }).click()

  // Step 2: read without applying; disable the old one for the window (account-wide pause).
  await expect(stepHeading(page)).toHaveText('Step 2 of 5: Read the new one')
  await expect(page.getByText(/Nothing is applied: no user, address, group or membership of the account changes/)).toBeVisible()
  await page.getByRole('button', { name: 'Disable Old AD for the window…' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('pauses destructive actions for ALL integrations')
  await dialog.getByRole('button', { name: 'Disable and pause destructive actions' }).click()
  const banner = page.getByRole('region', { name: 'Destructive actions paused' })
  await expect(banner).toContainText('Old AD')
  await expect(page.getByRole('note')).toContainText('paused for ALL integrations')

  await page.reload()
  await expect(stepHeading(page)).toHaveText('Step 2 of 5: Read the new one')
  await page.screenshot({ path: shot('11-migration-2-read'), fullPage: true })
  await expectAccessible(page, 'migration step 2, with the pause banner')
  await page.getByRole('button', { name: 'Read New Entra without applying' }).click()

  // Step 3: coverage — exactly 90% by address, 5% by alias, 5% missing, 4 conflicts.
  await expect(stepHeading(page)).toHaveText('Step 3 of 5: Coverage')
  const count = (key: string) => page.getByTestId(`coverage-${key}`)
  await expect(count('matched')).toHaveText('180')
  await expect(count('matched-by-alias')).toHaveText('10')
  await expect(count('only-in-old')).toHaveText('10')
  await expect(count('only-in-new')).toHaveText('0')
  await expect(count('conflicts')).toHaveText(String(renamed.size + disabledInNew.size))
  await expect(count('groups-matched')).toHaveText('1')
  await expect(count('groups-different-members')).toHaveText('1')
  // Reading the new one applied nothing.
  await expect(page.getByTestId('account-user-count')).toHaveText('200')

  // Leave the wizard: the read is over (no progress left behind, Sync All usable); come back to step 3.
  await nav.getByRole('link', { name: 'Integrations' }).click()
  await expect(page.getByRole('region', { name: 'Sync progress' })).toBeHidden()
  await expect(page.getByRole('button', { name: 'Sync All' })).toBeEnabled()
  // Mid-migration, Sync All reads the staged New Entra and applies nothing from it: no new
  // primary address (u1.new@…) reaches the account before the cut-over.
  await expect(integrationRow(page, /New Entra/)).toContainText('Staged for migration')
  await syncAll(page)
  await nav.getByRole('link', { name: 'Directory' }).click()
  await page.getByLabel('Search users').fill('u1.new@example.org')
  await expect(page.getByRole('heading', { name: /No users match/ })).toBeVisible()
  await nav.getByRole('link', { name: /Migrate/ }).click()
  await expect(stepHeading(page)).toHaveText('Step 3 of 5: Coverage')

  await page.getByLabel('Category').selectOption('only-in-old')
  await expect(page.getByTestId('coverage-shown')).toHaveText('10 of 200 rows')
  await expect(page.getByRole('table', { name: 'Coverage of users' })).toContainText('user2@example.org')
  await page.screenshot({ path: shot('12-migration-3-coverage'), fullPage: true })
  await expectAccessible(page, 'migration step 3')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
  expect(download.suggestedFilename()).toMatch(/\.csv$/)
  const csv = readFileSync((await download.path()) ?? '', 'utf8')
  expect(csv.match(/^user,only-in-old,/gm)).toHaveLength(missing.size)

  await page.getByRole('tab', { name: /Conflicts/ }).click()
  await expect(page.getByRole('table', { name: 'Conflicts' })).toContainText('User 3 (renamed)')

  await page.reload()
  await expect(stepHeading(page)).toHaveText('Step 3 of 5: Coverage')
  await expect(count('only-in-old')).toHaveText('10')
  await page.getByRole('button', { name: 'Next: preview the cut-over' }).click()

  // Step 4: the preview lists exactly the missing 5% for demotion.
  await expect(stepHeading(page)).toHaveText('Step 4 of 5: Cut-over preview')
  await expect(page.getByTestId('preview-demoted-count')).toHaveText('10')
  const demoted = (await page.getByTestId('preview-demoted').getByRole('listitem').allInnerTexts()).map((text) => text.trim()).sort()
  expect(demoted).toEqual(missingAddresses)
  await expect(page.getByTestId('preview-hold-note')).toContainText('Nothing will be held')
  await page.screenshot({ path: shot('13-migration-4-preview'), fullPage: true })
  await expectAccessible(page, 'migration step 4')
  await page.getByRole('button', { name: 'Next: cut over' }).click()

  // Step 5: typed confirmation, then the result against the preview.
  await expect(stepHeading(page)).toHaveText('Step 5 of 5: Cut-over')
  await page.reload()
  await expect(stepHeading(page)).toHaveText('Step 5 of 5: Cut-over')
  const cutOver = page.getByRole('button', { name: 'Cut over', exact: true })
  const confirmName = page.getByLabel(/Type the old integration's name/)
  await confirmName.fill('old ad')
  await expect(cutOver).toBeDisabled()
  await confirmName.fill('Old AD')
  await expectAccessible(page, 'migration step 5')
  await cutOver.click()

  await expect(page.getByTestId('cutover-verdict')).toContainText('the result is identical to the preview', { timeout: 60_000 })
  await expect(page.locator('.row-different')).toHaveCount(0)
  await expect(banner).toBeHidden()
  await page.screenshot({ path: shot('14-migration-5-result'), fullPage: true })
  await expectAccessible(page, 'migration result')

  // The account: the old integration is gone, nobody was deleted, the missing 5% are demoted.
  await page.getByRole('button', { name: 'Finish' }).click()
  await expect(stepHeading(page)).toHaveText('Step 1 of 5: Pick old and new')
  await expect(page.getByRole('region', { name: 'Finished migrations' })).toContainText('Identical to the preview')
  await nav.getByRole('link', { name: 'Integrations' }).click()
  await expect(integrationRow(page, /New Entra/)).toBeVisible()
  await expect(integrationRow(page, /Old AD/)).toHaveCount(0)
  await expect(page.getByTestId('account-user-count')).toHaveText('200')
  await nav.getByRole('link', { name: 'Directory' }).click()
  await page.getByLabel('Search users').fill('user2@example.org')
  await expect(page.getByTestId('directory-total')).toHaveText('1')
  await page.getByRole('table', { name: 'Users' }).getByRole('button').first().click()
  await expect(page.getByRole('complementary', { name: 'User user2@example.org' })).toContainText('Created by Message in Transit')
})
