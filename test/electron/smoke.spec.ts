import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'

const ROOT = join(import.meta.dirname, '..', '..')
/** A password typed into the console: it must never come back to the renderer. */
const MARKER = `Smoke-Secret-${Date.now()}-never-shown`

let app: ElectronApplication
let page: Page
let dataDir: string
/** Every IPC answer the renderer received, to scan for the secret at the end. */
const answers: string[] = []

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dirsync-electron-'))
  app = await electron.launch({ args: [join(ROOT, 'out', 'main', 'index.js'), '--demo', '--data-dir', dataDir], cwd: ROOT, env: { ...process.env, DIRSYNC_DISABLE_UPDATES: '1' } })
  page = await app.firstWindow()
  await page.exposeFunction('__recordAnswer', (text: string) => void answers.push(text))
  await page.evaluate(() => {
    const api = (window as unknown as { api: { invoke: (channel: string, request: unknown) => Promise<unknown> } }).api
    const invoke = api.invoke.bind(api)
    // The bridge object is frozen by contextBridge; wrap through a proxy global the console does not use.
    ;(window as unknown as { __smokeInvoke: typeof invoke }).__smokeInvoke = async (channel, request) => {
      const answer = await invoke(channel, request)
      await (window as unknown as { __recordAnswer: (text: string) => Promise<void> }).__recordAnswer(JSON.stringify(answer))
      return answer
    }
  })
})

test.afterAll(async () => {
  await app?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

test('the packaged shell loads the console from app://, with no Node in the page', async () => {
  expect(page.url()).toBe('app://console/index.html')
  await expect(page.getByRole('heading', { name: 'Integrations', exact: true })).toBeVisible()
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
})

test('Sync All reads the sample directory', async () => {
  await page.getByRole('button', { name: 'Sync All' }).click()
  await expect(page.getByRole('status').filter({ hasText: /Sync finished/ }).last()).toBeVisible()
  await expect(page.getByTestId('account-user-count')).not.toHaveText('0')
})

test('disabling the integration shows the pause banner', async () => {
  await page.getByRole('row', { name: /Sample directory/ }).getByRole('button', { name: 'Sample directory' }).click()
  await page.getByRole('button', { name: 'Disable' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Disable integration' }).click()
  const banner = page.getByRole('region', { name: 'Destructive actions paused' })
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('Sample directory')
})

test('a password typed into the console never reaches the renderer again', async () => {
  await page.getByRole('button', { name: 'Create New Integration' }).first().click()
  const form = page.getByRole('complementary', { name: 'Create New Integration' })
  await form.getByLabel('Type').selectOption('ldap')
  await form.getByLabel('Name', { exact: true }).fill('Smoke LDAP')
  await form.getByLabel('Hostname / IP Address').fill('127.0.0.1')
  await form.getByLabel('User DN (bind account)').fill('cn=reader,dc=example,dc=test')
  await form.getByLabel('Root DN').fill('dc=example,dc=test')
  await form.getByLabel('Bind password').fill(MARKER)
  await form.getByRole('button', { name: 'Create integration' }).click()
  // Saved in the keychain, or refused because this machine has none: either way, never shown.
  await expect(page.getByText(/Smoke LDAP|keychain is not available/).first()).toBeVisible()
  await page.keyboard.press('Escape')
  await page.evaluate(async () => {
    const invoke = (window as unknown as { __smokeInvoke: (channel: string, request: unknown) => Promise<unknown> }).__smokeInvoke
    await invoke('integrations:list', {})
    await invoke('app:info', {})
    await invoke('status:get', {})
  })
  expect(answers.length).toBeGreaterThan(0)
  for (const answer of answers) expect(answer).not.toContain(MARKER)
  const html = await page.evaluate(() => document.documentElement.outerHTML)
  expect(html).not.toContain(MARKER)
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }))
  expect(storage).not.toContain(MARKER)
})
