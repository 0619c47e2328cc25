import { expect, openConsole, syncAll, test } from './fixtures.ts'

// The console runs under a CSP without 'unsafe-inline' (main/headless/content-security-policy.ts):
// every page of it, the virtualised tables that position rows with React `style` props included,
// must work with no policy violation at all.
test('no page of the console violates its Content Security Policy (no unsafe-inline styles or scripts)', async ({ page, demoHost }) => {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (apply|load|execute)/i.test(message.text())) violations.push(message.text())
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`))
  })
  const response = await page.goto(demoHost.url)
  expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline')
  await openConsole(page, demoHost)
  await syncAll(page)
  const nav = page.getByRole('navigation', { name: 'Console' })
  for (const name of ['Directory', 'Held actions', 'Run history', 'Integrations']) {
    const link = nav.getByRole('link', { name })
    if ((await link.count()) === 0) continue
    await link.click()
    await page.waitForLoadState('networkidle')
  }
  expect(violations).toEqual([])
})
