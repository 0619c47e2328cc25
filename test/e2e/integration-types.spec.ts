import type { Locator, Page } from '@playwright/test'
import { CLOUD_SEED, expect, test } from './directory-servers.ts'
import { integrationRow, openConsole, shot, syncAll } from './fixtures.ts'

// Issue 6: each integration type created through the form against a real directory (slapd, Samba
// AD) or a wire-protocol emulator (Graph, Google Directory), its connection ladder passing on
// screen, Sync All bringing in exactly the seeded users, and the secret never coming back: not in
// the pane, not in the edit form, not in any /api/invoke response the page received.

/** Every /api/invoke response body the page receives, to scan for the secret at the end. */
function recordInvokeResponses(page: Page): () => Promise<string[]> {
  const bodies: Array<Promise<string>> = []
  page.on('response', (response) => {
    if (response.url().includes('/api/invoke')) bodies.push(response.text().catch(() => ''))
  })
  return () => Promise.all(bodies)
}

async function openCreateForm(page: Page, type: string, name: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Type').selectOption(type)
  await form.getByLabel('Name', { exact: true }).fill(name)
  return form
}

/** Choose the CA certificate as a file, as an admin would from the picker. */
async function chooseCaFile(form: Locator, pem: string): Promise<void> {
  await form.getByLabel('Custom CA certificate (PEM) (optional)').setInputFiles({ name: 'ca.crt', mimeType: 'application/x-x509-ca-cert', buffer: Buffer.from(pem) })
  await expect(form.getByText('A certificate is set.')).toBeVisible()
}

/** Save, then: the pane says the secret is set (not what it is), and the edit form offers only Replace/Remove. */
async function createAndCheckSecretHidden(page: Page, form: Locator, name: string, secret: string): Promise<Locator> {
  await form.getByRole('button', { name: 'Create integration' }).click()
  const detail = page.getByRole('complementary', { name })
  await expect(detail).toBeVisible()
  await expect(detail.getByText(/^Set — stored in /)).toBeVisible()
  await detail.getByRole('button', { name: 'Edit' }).click()
  const edit = page.getByRole('complementary', { name: `Edit “${name}”` })
  await expect(edit.getByText(/^Set — stored in .*It is never shown again\.$/)).toBeVisible()
  await expect(edit.getByRole('button', { name: 'Replace' })).toBeVisible()
  expect(await edit.locator('input, textarea').evaluateAll((fields, s) => fields.some((f) => (f as HTMLInputElement).value.includes(s)), secret)).toBe(false)
  await edit.getByRole('button', { name: 'Cancel' }).click()
  await expect(detail).toBeVisible()
  return detail
}

/** Close the notices (they float over the pane) so the screenshot shows the pane itself. */
async function paneShot(page: Page, detail: Locator, name: string): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss' })
  // A notice may time out on its own between count and click: a short click timeout, then look again.
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1000 }).catch(() => undefined)
  await detail.screenshot({ path: shot(name) })
}

/** Test Connection: every step of the ladder shown, none failed, and the verdict in words. */
async function expectLadderPasses(detail: Locator, timeout: number): Promise<void> {
  await detail.getByRole('tab', { name: 'Test Connection' }).click()
  await detail.getByRole('button', { name: 'Test Connection' }).click()
  await expect(detail.getByRole('status').filter({ hasText: /The connection (works|test failed)/ })).toBeVisible({ timeout })
  const steps = detail.locator('.ladder .ladder-step')
  expect(await steps.count()).toBeGreaterThanOrEqual(3)
  expect(await detail.locator('.ladder .verdict-fail').allInnerTexts()).toEqual([])
  await expect(detail.getByRole('status').filter({ hasText: 'The connection works.' })).toBeVisible()
}

/** Sync All, then the list says OK and the pane counts exactly the seeded users. */
async function syncAndExpectUsers(page: Page, detail: Locator, name: string, users: number, timeout: number, screenshot: string): Promise<void> {
  await syncAll(page, timeout)
  await expect(integrationRow(page, new RegExp(name))).toContainText('OK')
  await detail.getByRole('tab', { name: 'Details' }).click()
  const count = detail.getByTestId('snapshot-users')
  await expect(count).toHaveText(/ users$/)
  expect(Number((await count.innerText()).replace(/\D/g, ''))).toBe(users)
  await paneShot(page, detail, screenshot)
}

async function expectSecretNeverReturned(page: Page, bodies: () => Promise<string[]>, secrets: readonly string[]): Promise<void> {
  const received = await bodies()
  expect(received.length).toBeGreaterThan(5)
  for (const secret of secrets) {
    expect(received.filter((body) => body.includes(secret)), 'an /api/invoke response carried the secret').toEqual([])
    expect(await page.content()).not.toContain(secret)
  }
}

test.describe('creating each integration type through the form', () => {
  test('generic LDAP against real slapd: StartTLS with the test CA, the ladder passes, Sync All reads every seeded user', async ({ page, secretHost, ldapServers }) => {
    test.setTimeout(120_000)
    const { slapd } = ldapServers
    const bodies = recordInvokeResponses(page)
    await openConsole(page, secretHost)
    const form = await openCreateForm(page, 'ldap', 'OpenLDAP')
    await form.getByLabel('Hostname / IP Address').fill(slapd.host)
    await form.getByLabel('Encryption').selectOption('starttls')
    await form.getByLabel('Port (optional)').fill(String(slapd.port))
    await form.getByLabel('User DN (bind account)').fill(slapd.readerDn)
    await form.getByLabel('Root DN').fill(slapd.baseDn)
    await chooseCaFile(form, slapd.caPem)
    await form.locator('summary', { hasText: 'Advanced' }).click()
    await form.getByLabel('Page size (optional)').fill('1000')
    await form.getByLabel('Bind password').fill(slapd.readerPassword)
    await page.screenshot({ path: shot('10-create-ldap-form') })

    const detail = await createAndCheckSecretHidden(page, form, 'OpenLDAP', slapd.readerPassword)
    await expectLadderPasses(detail, 30_000)
    await paneShot(page, detail, '11-ldap-test-connection')
    // The reader is subject to the server's 1,000-entry size limit: only a paged read sees them all.
    await syncAndExpectUsers(page, detail, 'OpenLDAP', slapd.seededUsers, 90_000, '12-ldap-detail')
    await expectSecretNeverReturned(page, bodies, [slapd.readerPassword])
  })

  test('Active Directory against real Samba AD: LDAPS with the test CA, the ladder passes, Sync All reads every seeded user', async ({ page, secretHost, ldapServers }) => {
    test.setTimeout(120_000)
    const { sambaAd: ad } = ldapServers
    const bodies = recordInvokeResponses(page)
    await openConsole(page, secretHost)
    const form = await openCreateForm(page, 'active-directory', 'Corp AD')
    await form.getByLabel('Hostname / IP Address').fill(ad.host)
    await form.getByLabel('Encryption').selectOption('ldaps')
    await form.getByLabel('User DN (bind account)').fill(ad.adminUpn)
    await form.getByLabel('Root DN').fill(ad.corpDn)
    await chooseCaFile(form, ad.caPem)
    await form.getByLabel('Bind password').fill(ad.adminPassword)

    const detail = await createAndCheckSecretHidden(page, form, 'Corp AD', ad.adminPassword)
    await expectLadderPasses(detail, 30_000)
    await paneShot(page, detail, '13-ad-test-connection')
    await syncAndExpectUsers(page, detail, 'Corp AD', ad.seededUsers, 90_000, '14-ad-detail')
    await expectSecretNeverReturned(page, bodies, [ad.adminPassword])
  })

  test('Microsoft Entra ID against the Graph emulator: endpoints and CA under Advanced, the ladder passes, Sync All reads every user', async ({ page, secretHost, entraDirectory: entra }) => {
    const bodies = recordInvokeResponses(page)
    await openConsole(page, secretHost)
    const form = await openCreateForm(page, 'entra', 'Northwind Entra')
    await form.getByLabel('Tenant ID or domain').fill(entra.tenantId)
    await form.getByLabel('Application (client) ID').fill(entra.clientId)
    await form.locator('summary', { hasText: 'Advanced' }).click()
    await form.getByLabel('Login endpoint (optional)').fill(entra.url)
    await form.getByLabel('Graph endpoint (optional)').fill(entra.url)
    await chooseCaFile(form, entra.caPem)
    await form.getByLabel('Client secret or certificate private key (PEM)').fill(entra.clientSecret)

    const detail = await createAndCheckSecretHidden(page, form, 'Northwind Entra', entra.clientSecret)
    await expectLadderPasses(detail, 30_000)
    await paneShot(page, detail, '15-entra-test-connection')
    await syncAndExpectUsers(page, detail, 'Northwind Entra', CLOUD_SEED.users, 60_000, '16-entra-detail')
    await expectSecretNeverReturned(page, bodies, [entra.clientSecret])
  })

  test('Google Directory against the emulator: the service-account key as the secret, endpoints and CA under Advanced, Sync All reads every user', async ({ page, secretHost, googleDirectory: google }) => {
    const bodies = recordInvokeResponses(page)
    await openConsole(page, secretHost)
    const form = await openCreateForm(page, 'google', 'Example Workspace')
    await form.getByLabel('Admin email').fill(google.adminEmail)
    await form.getByLabel('Customer ID (optional)').fill(google.customerId)
    await form.locator('summary', { hasText: 'Advanced' }).click()
    await form.getByLabel('API root (optional)').fill(`${google.url}/`)
    await form.getByLabel('Token endpoint (optional)').fill(`${google.url}/token`)
    await chooseCaFile(form, google.caPem)
    // The key is chosen as the JSON file the Cloud console downloads.
    await form.getByLabel('Or choose the JSON key file').setInputFiles({ name: 'dirsync-e2e.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(google.key, null, 2)) })
    await expect(form.getByLabel('Service account key (JSON)')).toHaveValue(/"private_key"/)

    const detail = await createAndCheckSecretHidden(page, form, 'Example Workspace', google.key.private_key)
    await expectLadderPasses(detail, 30_000)
    await paneShot(page, detail, '17-google-test-connection')
    await syncAndExpectUsers(page, detail, 'Example Workspace', CLOUD_SEED.users, 60_000, '18-google-detail')
    const keyBody = google.key.private_key.split('\n').find((line) => line.length > 40) ?? google.key.private_key
    await expectSecretNeverReturned(page, bodies, [google.key.private_key, JSON.stringify(google.key.private_key).slice(1, -1), keyBody])
  })
})
