import { expect, test } from './fixtures.ts'

test('a wrong access token gets a 401 page in plain words, and no console', async ({ page, demoHost }) => {
  const response = await page.goto(`${demoHost.origin}/?token=not-the-token`)
  expect(response?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('wrong or old access token')
  await expect(page.getByRole('heading', { name: 'Integrations' })).toHaveCount(0)
})

test('without the session cookie the api answers 401 with an error as data', async ({ request, demoHost }) => {
  const response = await request.post(`${demoHost.origin}/api/invoke/integrations:list`, { data: {}, headers: { 'x-dirsync-request': '1' } })
  expect(response.status()).toBe(401)
  const body = (await response.json()) as { ok: boolean; error: { code: string } }
  expect(body).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
})
