import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { writeLdifSync, type LdifOrg } from '../helpers/ldif-writer.ts'
import { expect, expectAccessible, startHost, test } from './fixtures.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const CLI = join(ROOT, 'bin', 'dirsync.js')

/** HR: Ann (with an alias HR later drops), Bo, Cy; a Finance group with an address. */
const hr = (withOldAlias: boolean): LdifOrg => ({
  users: [
    { uid: 'ann', mail: 'ann@example.org', displayName: 'Ann Lee', aliases: withOldAlias ? ['ann.lee@example.org', 'ann.old@example.org'] : ['ann.lee@example.org'] },
    { uid: 'bo', mail: 'bo@example.org', displayName: 'Bo Berg' },
    { uid: 'cy', mail: 'cy@example.org', displayName: 'Cy Chen' },
  ],
  groups: [{ cn: 'Finance', mail: 'finance@example.org', members: ['ann', 'bo'] }],
})
/** Sales: Bo again (one user backed by two integrations), Dee, and its own group called Finance. */
const sales: LdifOrg = {
  users: [
    { uid: 'bo', mail: 'bo@example.org', displayName: 'Bo Berg' },
    { uid: 'dee', mail: 'dee@example.org', displayName: 'Dee Diaz' },
  ],
  groups: [{ cn: 'Finance', mail: 'finance@sales.example.org', members: ['dee'] }],
}

let dir = ''
let stores = 0
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dirsync-e2e-directory-'))
})
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A fresh data directory (the host removes it when it stops) with both integrations read, the alias demoted and Sales deleted. */
function buildStore(): string {
  const dataDir = join(dir, `data-${++stores}`)
  const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  const hrFile = join(dir, `hr-${stores}.ldif`)
  const salesFile = join(dir, `sales-${stores}.ldif`)
  writeLdifSync(hrFile, hr(true))
  writeLdifSync(salesFile, sales)
  cli('integrations', 'add', '--type', 'ldif', '--name', 'HR Export', '--file', hrFile)
  cli('integrations', 'add', '--type', 'ldif', '--name', 'Sales Export', '--file', salesFile)
  cli('sync', '--all')
  // HR drops Ann's old alias: it is demoted to "Created by Message in Transit".
  writeLdifSync(hrFile, hr(false))
  cli('sync', '--all')
  // Sales is deleted and no sync has run since: its users still name it, as "Sales Export (deleted)".
  cli('integrations', 'delete', 'Sales Export', '--yes')
  return dataDir
}

async function openDirectory(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Directory' }).click()
  await expect(page.getByTestId('directory-total')).toHaveText('4')
}

const firstCells = (page: Page, table: 'Users' | 'Groups') => page.getByRole('table', { name: table }).locator('.virtual-row-slot [role="cell"]:first-child')

test('a user page shows each address with its type and integrations, and its groups; a member opens the user; two Finance groups are told apart', async ({ page }) => {
  test.setTimeout(90_000)
  const { host, stop } = await startHost({ demo: false, dataDir: buildStore() })
  try {
    await openDirectory(page, host.url)
    await page.getByRole('button', { name: 'ann@example.org' }).click()
    const user = page.getByRole('complementary', { name: 'User ann@example.org' })
    await expect(user.getByRole('heading', { name: 'Ann Lee' })).toBeVisible()
    const addresses = user.getByRole('table', { name: 'Addresses' })
    await expect(addresses.getByRole('row', { name: /ann@example\.org/ })).toContainText('Extracted From Directory')
    await expect(addresses.getByRole('row', { name: /ann@example\.org/ })).toContainText('HR Export')
    await expect(addresses.getByRole('row', { name: /ann\.old@example\.org/ })).toContainText('Created by Message in Transit')
    await expect(addresses.getByRole('row', { name: /ann\.old@example\.org/ })).toContainText('None (in no directory now)')
    await expect(user.getByRole('table', { name: 'Groups' })).toContainText('finance@example.org')
    await expect(user.getByRole('region', { name: 'History' })).toBeVisible()
    await expectAccessible(page, 'directory: a user page')

    // The group is a link to its page; the title names its address, so the two Finance groups differ.
    await user.getByRole('link', { name: 'Finance' }).click()
    const group = page.getByRole('complementary', { name: 'Group Finance <finance@example.org>' })
    await expect(group.getByRole('heading', { name: 'Finance <finance@example.org>' })).toBeVisible()
    await expect(group).toContainText('HR Export')
    await expect(page).toHaveURL(/#\/directory\/group%3Afinance%40example\.org$/)
    await expectAccessible(page, 'directory: a group page')
    await page.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'Finance' }).nth(1).click()
    const other = page.getByRole('complementary', { name: 'Group Finance <finance@sales.example.org>' })
    await expect(other).toContainText('Sales Export (deleted)')

    // A member is a link to the user's page; Back returns to the group.
    await other.getByRole('link', { name: /dee@example\.org/ }).click()
    await expect(page.getByRole('complementary', { name: 'User dee@example.org' }).getByRole('heading', { name: 'Dee Diaz' })).toBeVisible()
    await expect(page.getByRole('complementary', { name: 'User dee@example.org' })).toContainText('Sales Export (deleted)')
    await page.goBack()
    await expect(other).toBeVisible()
  } finally {
    await stop()
  }
})

test('the user list filters by source (a deleted integration by its name) and by address type, moves by arrow keys, and exports exactly the filtered users', async ({ page }) => {
  test.setTimeout(90_000)
  const { host, stop } = await startHost({ demo: false, dataDir: buildStore() })
  try {
    await openDirectory(page, host.url)
    const source = page.getByLabel('Source')
    await expect(source.locator('option')).toHaveText(['All integrations', 'HR Export', 'Sales Export (deleted)'])
    await source.selectOption({ label: 'Sales Export (deleted)' })
    await expect(page.getByTestId('directory-total')).toHaveText('2')
    await expect(firstCells(page, 'Users')).toHaveText(['bo@example.org', 'dee@example.org'])
    await expectAccessible(page, 'directory: users filtered by a deleted source')

    // The export holds exactly the filtered users: all of them, in list order.
    const downloaded = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const csv = readFileSync((await (await downloaded).path()) ?? '', 'utf8')
    expect(csv.trim().split('\r\n')).toEqual([
      'Primary address,Display name,Status,Addresses,Address types,Sources',
      'bo@example.org,Bo Berg,active,bo@example.org,Extracted From Directory,"HR Export; Sales Export (deleted)"',
      'dee@example.org,Dee Diaz,active,dee@example.org,Extracted From Directory,Sales Export (deleted)',
    ])

    await source.selectOption({ label: 'All integrations' })
    await page.getByLabel('Address type').selectOption({ label: 'Created by Message in Transit' })
    await expect(page.getByTestId('directory-total')).toHaveText('1')
    await expect(firstCells(page, 'Users')).toHaveText(['ann@example.org'])
    await page.getByLabel('Address type').selectOption({ label: 'All address types' })
    await expect(page.getByTestId('directory-total')).toHaveText('4')

    // Arrow keys move from row to row (scrolling as needed); Enter opens the focused row's page.
    await page.getByRole('button', { name: 'ann@example.org' }).focus()
    await page.keyboard.press('ArrowDown')
    await expect(page.getByRole('button', { name: 'bo@example.org' })).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect(page.getByRole('button', { name: 'dee@example.org' })).toBeFocused()
    await page.keyboard.press('ArrowUp')
    await expect(page.getByRole('button', { name: 'cy@example.org' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('complementary', { name: 'User cy@example.org' }).getByRole('heading', { name: 'Cy Chen' })).toBeVisible()
    await page.keyboard.press('Home')
    await expect(page.getByRole('button', { name: 'ann@example.org' })).toBeFocused()
  } finally {
    await stop()
  }
})

test('leaving Settings with unsaved changes asks first, in the console and on closing the window', async ({ page }) => {
  test.setTimeout(60_000)
  const { host, stop } = await startHost({ demo: false, dataDir: buildStore() })
  try {
    await page.goto(host.url)
    const nav = page.getByRole('navigation', { name: 'Console' })
    await nav.getByRole('link', { name: 'Settings' }).click()
    const retention = page.getByLabel('Keep deleted users (days)')
    await retention.fill('45')

    await nav.getByRole('link', { name: 'Directory' }).click()
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' })
    await expect(dialog).toContainText('The account settings have unsaved changes.')
    await expectAccessible(page, 'settings: the unsaved-changes prompt')
    await dialog.getByRole('button', { name: 'Stay on this page' }).click()
    await expect(dialog).toBeHidden()
    await expect(retention).toHaveValue('45')
    await expect(page.getByRole('heading', { name: 'Account settings', level: 1 })).toBeVisible()

    // Closing (or reloading) the window asks through the browser's own prompt.
    const asked = new Promise<string>((resolve) => page.once('dialog', (prompt) => void prompt.dismiss().then(() => resolve(prompt.type()))))
    await page.close({ runBeforeUnload: true })
    expect(await asked).toBe('beforeunload')
    expect(page.isClosed()).toBe(false)

    await nav.getByRole('link', { name: 'Directory' }).click()
    await dialog.getByRole('button', { name: 'Discard changes and leave' }).click()
    await expect(page.getByTestId('directory-total')).toHaveText('4')
    await nav.getByRole('link', { name: 'Settings' }).click()
    await expect(page.getByLabel('Keep deleted users (days)')).toHaveValue('30')
    // Nothing unsaved: no prompt.
    await nav.getByRole('link', { name: 'Run history' }).click()
    await expect(page.getByRole('heading', { name: 'Run history', level: 1 })).toBeVisible()
  } finally {
    await stop()
  }
})
