import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ldifText, type LdifUser } from '../helpers/ldif-writer.ts'
import { createLdifIntegration, expect, expectAccessible, integrationRow, openConsole, shot, syncAll, test } from './fixtures.ts'

const staff: LdifUser[] = [
  { uid: 'ann', mail: 'ann@example.org', displayName: 'Ann Archer' },
  { uid: 'bob', mail: 'bob@example.org', displayName: 'Bob Baker' },
]
const vendors: LdifUser[] = [{ uid: 'c1', mail: 'contractor1@example.org', displayName: 'Contractor 1' }]
const org = (members: readonly string[]) => ({ users: staff, groups: [{ cn: 'finance', mail: 'finance@example.org', members: [...members] }] })

let dir = ''
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-journal-'))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The user's page in the directory, and the History section on it. */
async function userHistory(page: Page, address: string) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Directory' }).click()
  await page.getByLabel('Search users').fill(address)
  await expect(page.getByTestId('directory-total')).toHaveText('1')
  await page.getByRole('table', { name: 'Users' }).getByRole('button', { name: address }).click()
  const history = page.getByRole('region', { name: 'History' })
  await expect(history).toBeVisible()
  return history
}

test('disable → a removal is held → the user’s history names the blocking integration and since when → enable, Sync now → applied, and the history shows it', async ({ page, emptyHost }) => {
  const staffFile = join(dir, 'staff.ldif')
  const vendorsFile = join(dir, 'vendors.ldif')
  writeFileSync(staffFile, ldifText(org(['ann', 'bob'])))
  writeFileSync(vendorsFile, ldifText({ users: vendors }))
  await openConsole(page, emptyHost)
  await createLdifIntegration(page, 'Staff', staffFile)
  await createLdifIntegration(page, 'Vendors', vendorsFile)
  await syncAll(page)

  // Vendors disabled; Bob leaves Finance in Staff's directory: his removal waits behind the pause.
  await integrationRow(page, /Vendors/).getByRole('button', { name: 'Vendors' }).click()
  await page.getByRole('button', { name: 'Disable' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Disable integration' }).click()
  writeFileSync(staffFile, ldifText(org(['ann'])))
  await syncAll(page)

  // Held actions → the action's own journal entries.
  const nav = page.getByRole('navigation', { name: 'Console' })
  await nav.getByRole('link', { name: /Held actions/ }).click()
  await page.getByRole('table', { name: 'Held actions' }).getByRole('button', { name: 'bob@example.org from finance@example.org' }).click()
  const dialog = page.getByRole('dialog', { name: 'User bob@example.org' })
  await expect(dialog.getByRole('heading', { name: 'History of this action' })).toBeVisible()
  const heldRows = dialog.getByRole('row')
  await expect(heldRows).toHaveCount(2) // the header and the hold
  await expect(heldRows.nth(1)).toContainText('Held')
  await expect(heldRows.nth(1)).toContainText('Remove member')
  await expect(heldRows.nth(1)).toContainText(/Paused: Vendors \(disabled since .+\)/)
  await expect(heldRows.nth(1)).toContainText('Staff')
  await expectAccessible(page, 'a held action’s history')
  await page.screenshot({ path: shot('20-held-action-history') })
  await dialog.getByRole('button', { name: 'Close' }).click()

  // The user's history shows the hold, naming the blocking integration.
  let history = await userHistory(page, 'bob@example.org')
  const hold = history.getByRole('row').filter({ hasText: 'Held' })
  await expect(hold).toContainText('Remove member')
  await expect(hold).toContainText(/Vendors \(disabled since .+\)/)
  await expect(hold.locator('time').nth(1)).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/)
  await expectAccessible(page, 'a user’s history while the removal is held')

  // Enable Vendors, then Sync now from the strip: the removal applies.
  await page.getByRole('region', { name: 'Destructive actions paused' }).getByRole('button', { name: 'Vendors' }).click()
  await page.getByRole('button', { name: 'Enable', exact: true }).click()
  const strip = page.getByRole('region', { name: 'At the next sync' })
  await expect(strip).toBeVisible()
  const answered = page.waitForResponse((response) => response.url().includes('/api/invoke/sync:run'))
  await strip.getByRole('button', { name: 'Sync now' }).click()
  await answered
  await expect(page.getByRole('status').filter({ hasText: /Sync finished/ }).last()).toBeVisible()

  history = await userHistory(page, 'bob@example.org')
  const rows = history.getByRole('row')
  // Newest first: the application, then the hold, then the first sync's membership and creation.
  await expect(rows.nth(1)).toContainText('Applied')
  await expect(rows.nth(1)).toContainText('Remove member')
  await expect(rows.nth(1)).toContainText(/Held since .+Paused: Vendors \(disabled since .+\)/)
  await expect(rows.nth(2)).toContainText('Held')
  await expect(history).toContainText('Create user')
  const dismiss = page.getByRole('button', { name: 'Dismiss' })
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1000 }).catch(() => undefined)
  await history.scrollIntoViewIfNeeded()
  await page.screenshot({ path: shot('21-user-history') })
  await expectAccessible(page, 'a user’s history after the removal applied')

  // Its run link opens the run's details, whose changes list the removal.
  await rows.nth(1).getByRole('button', { name: 'Open run' }).click()
  await expect(page.getByRole('heading', { name: 'Run history', level: 1 })).toBeVisible()
  const changes = page.getByRole('region', { name: 'Changes, object by object' })
  await expect(changes.getByRole('table', { name: 'Changes of this run' })).toContainText('bob@example.org in finance@example.org')
})
