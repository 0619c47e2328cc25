import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ldifText, type LdifUser } from '../helpers/ldif-writer.ts'
import { createLdifIntegration, expect, expectAccessible, integrationRow, openConsole, shot, syncAll, test } from './fixtures.ts'

const people: LdifUser[] = Array.from({ length: 10 }, (_, i) => ({ uid: `p${i}`, mail: `person${i}@example.org`, displayName: `Person ${i}` }))
const contractors: LdifUser[] = [{ uid: 'c1', mail: 'contractor1@example.org', displayName: 'Contractor 1' }]

let dir = ''
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-next-'))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('enable → the strip says what will apply at the next sync → Sync now applies it; held reasons say the pause is over at once', async ({ page, emptyHost }) => {
  const staff = join(dir, 'staff.ldif')
  const vendors = join(dir, 'vendors.ldif')
  writeFileSync(staff, ldifText({ users: people }))
  writeFileSync(vendors, ldifText({ users: contractors }))
  await openConsole(page, emptyHost)
  await createLdifIntegration(page, 'Staff', staff)
  await createLdifIntegration(page, 'Vendors', vendors)
  await syncAll(page)
  await expect(page.getByTestId('account-user-count')).toHaveText('11')

  // Vendors disabled, then three people leave Staff: their downgrades wait behind the pause.
  await integrationRow(page, /Vendors/).getByRole('button', { name: 'Vendors' }).click()
  await page.getByRole('button', { name: 'Disable' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Disable integration' }).click()
  writeFileSync(staff, ldifText({ users: people.slice(0, 7) }))
  await syncAll(page)
  const nav = page.getByRole('navigation', { name: 'Console' })
  await nav.getByRole('link', { name: /Held actions/ }).click()
  await expect(page.getByRole('table', { name: 'Held actions' })).toContainText('Paused: Vendors (disabled')

  // Enable: the strip forecasts the next sync; the held reasons already say the pause is over.
  await page.getByRole('region', { name: 'Destructive actions paused' }).getByRole('button', { name: 'Vendors' }).click()
  await page.getByRole('button', { name: 'Enable', exact: true }).click()
  const strip = page.getByRole('region', { name: 'At the next sync' })
  await expect(strip).toContainText('Vendors enabled.')
  await expect(strip.getByTestId('next-sync-counts')).toHaveText('0 changes will apply, 3 removals or deletions will apply, 0 actions will stay held.')
  await nav.getByRole('link', { name: /Held actions/ }).click()
  await expect(page.getByRole('table', { name: 'Held actions' })).toContainText('No longer paused (Vendors no longer disabled or in error): it applies at the next sync')
  await expect(strip).toBeVisible()
  await page.screenshot({ path: shot('18-next-sync-strip') })
  await expectAccessible(page, 'held actions with the next-sync strip')

  const answered = page.waitForResponse((response) => response.url().includes('/api/invoke/sync:run'))
  await strip.getByRole('button', { name: 'Sync now' }).click()
  await answered
  await expect(page.getByRole('status').filter({ hasText: 'Sync finished: 3 changes applied, 0 held.' })).toBeVisible()
  await expect(strip).toBeHidden()
  await expect(page.getByRole('heading', { name: 'Nothing is held' })).toBeVisible()
})
