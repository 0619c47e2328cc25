import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ldifText } from '../helpers/ldif-writer.ts'
import { createLdifIntegration, expect, expectAccessible, openConsole, syncAll, test } from './fixtures.ts'

let dir = ''
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-settings-'))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('account settings are edited in the console, refused in plain words when wrong, kept by the core, and the internal domains take effect at the next sync', async ({ page, emptyHost }) => {
  const file = join(dir, 'mixed.ldif')
  writeFileSync(
    file,
    ldifText({
      users: [
        { uid: 'a1', mail: 'ann@example.org', displayName: 'Ann' },
        { uid: 'b1', mail: 'bob@example.org', displayName: 'Bob' },
        { uid: 'p1', mail: 'pat@partner.test', displayName: 'Pat (partner)' },
      ],
    }),
  )
  await openConsole(page, emptyHost)
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Account settings', level: 1 })).toBeVisible()
  await expect(page.getByLabel('Keep the change journal (days)')).toHaveValue('400')
  await expect(page.getByLabel('Times')).toHaveValue('08:00, 13:00, 23:00')
  await expectAccessible(page, 'account settings')

  // A time that is not HH:MM is named, and nothing can be saved.
  await page.getByLabel('Times').fill('07:30, 25:00')
  await expect(page.getByText('times are HH:MM, 24-hour, for example 08:00, 13:00')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled()

  await page.getByLabel('Times').fill('07:30, 19:00')
  await page.getByLabel('Internal domains').fill('example.org')
  await page.getByLabel('Keep the change journal (days)').fill('90')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Account settings saved.' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled()

  // What the core kept, not what the form remembers: a fresh console reads it back.
  await page.reload()
  await expect(page.getByLabel('Times')).toHaveValue('07:30, 19:00')
  await expect(page.getByLabel('Internal domains')).toHaveValue('example.org')
  await expect(page.getByLabel('Keep the change journal (days)')).toHaveValue('90')

  // The partner's address is outside the internal domains: it is not added to the account.
  await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click()
  await createLdifIntegration(page, 'Mixed', file)
  await syncAll(page)
  await expect(page.getByTestId('account-user-count')).toHaveText('2')
})
