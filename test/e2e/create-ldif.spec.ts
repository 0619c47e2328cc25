import { join } from 'node:path'
import { expect, expectAccessible, integrationRow, openConsole, shot, test } from './fixtures.ts'

const SAMPLE = join(import.meta.dirname, '..', '..', 'main', 'demo', 'sample-org.ldif')

test('on a fresh data dir the empty state explains, and an LDIF integration is created through the form', async ({ page, emptyHost }) => {
  await openConsole(page, emptyHost)
  await expect(page.getByRole('heading', { name: 'No integration yet' })).toBeVisible()
  await page.screenshot({ path: shot('00-empty-state') })

  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await expect(form.getByLabel('Type')).toHaveValue('ldif-file')

  // Validation as you type: a name typed then erased says what is wrong before any submit.
  await form.getByLabel('Name').fill('x')
  await form.getByLabel('Name').fill('')
  await expect(form.getByText('enter a name')).toBeVisible()

  await form.getByLabel('Name').fill('HR export')
  await form.getByLabel('Description').fill('Nightly ldifde export of the HR forest')
  await form.getByLabel('Export file path').fill(SAMPLE)
  await form.getByLabel('Maximum unlinks per sync').selectOption('100')
  await form.getByRole('button', { name: 'Create integration' }).click()

  const detail = page.getByRole('complementary', { name: 'HR export' })
  await expect(detail).toBeVisible()
  await expect(integrationRow(page, /HR export/)).toContainText('Never synced')
  await detail.getByRole('tab', { name: 'Settings' }).click()
  await expect(detail.getByLabel('Maximum unlinks per sync')).toHaveValue('100')

  await detail.getByRole('button', { name: 'Sync now' }).click()
  await expect(integrationRow(page, /HR export/)).toContainText('OK')
  await detail.getByRole('tab', { name: 'Details' }).click()
  await expect(detail.getByTestId('snapshot-users')).toHaveText(/^\d{3} users$/)
})

test('the form refuses an unreadable LDAP setup with plain messages, per field', async ({ page, emptyHost }) => {
  await openConsole(page, emptyHost)
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Type').selectOption('active-directory')
  // Known when the form opens, with the exact way to enable it — not at Create.
  const noSecrets = form.getByRole('note', { name: 'Secrets cannot be stored' })
  await expect(noSecrets).toContainText('This console cannot store a bind password')
  await expect(noSecrets).toContainText('set DIRSYNC_SECRET_KEY to a passphrase')
  await expect(form.getByText(/Stored in none/)).toHaveCount(0)
  await form.getByLabel('Hostname / IP Address').fill('dc1 corp')
  await expect(form.getByText(/a host name may contain only/)).toBeVisible()
  await form.getByLabel('Root DN').fill('corp.example.com')
  await expect(form.getByText(/must be a distinguished name/)).toBeVisible()
  await expect(form.getByLabel('Bind password')).toHaveAttribute('type', 'password')
  await page.screenshot({ path: shot('04-create-form-validation') })
})

test('Create tests the connection first: a path that does not exist is not saved, not even with "Save anyway"', async ({ page, emptyHost }) => {
  await openConsole(page, emptyHost)
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Name').fill('Contoso LDIF')
  await form.getByLabel('Export file path').fill('/srv/exports/contoso-typo.ldif')
  await form.getByRole('button', { name: 'Create integration' }).click()

  const check = form.getByRole('region', { name: 'Connection test before saving' })
  await expect(check).toContainText('The file /srv/exports/contoso-typo.ldif does not exist')
  await expect(check.getByRole('status')).toHaveText(/The connection test failed/)
  await expect(check).toContainText('Contoso LDIF will be in error after its first sync, and while it is in error, destructive actions are paused for every integration')
  await page.screenshot({ path: shot('05-create-test-failed') })
  await expectAccessible(page, 'create form with a failed connection test')

  // The core refuses the path the CLI refuses: "Save anyway" cannot store it either.
  await check.getByRole('button', { name: 'Save anyway' }).click()
  await expect(form.getByRole('alert')).toContainText('The file /srv/exports/contoso-typo.ldif does not exist')
  await expect(page.getByRole('table', { name: /Integrations/ })).toHaveCount(0)

  await form.getByLabel('Export file path').fill(SAMPLE)
  await form.getByRole('button', { name: 'Create integration' }).click()
  await expect(page.getByRole('complementary', { name: 'Contoso LDIF' })).toBeVisible()
  await expect(integrationRow(page, /Contoso LDIF/)).toContainText('Never synced')
})
