import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, expectAccessible, openConsole, shot, syncAll, test } from './fixtures.ts'

const ROOT = join(import.meta.dirname, '..', '..')

/** The number in "1,234 changes, in the order they were made." (or "… match the filters"). */
async function shownTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId('run-changes-total').textContent()) ?? ''
  const match = /^([\d,]+) changes?/.exec(text)
  if (!match?.[1]) throw new Error(`no count in "${text}"`)
  return Number(match[1].replace(/,/g, ''))
}

async function exportCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export changes CSV' }).click()])
  expect(download.suggestedFilename()).toMatch(/^dirsync-run-.+-changes\.csv$/)
  const path = await download.path()
  return readFileSync(path, 'utf8')
}

test('a run’s changes: filtered by kind and by object, exported as exactly the filtered rows — the same file as dirsync run --changes --csv', async ({ page, demoHost }) => {
  await openConsole(page, demoHost)
  await syncAll(page)
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Run history' }).click()
  await page.getByRole('table', { name: /Runs/ }).getByRole('button').first().click()
  const changes = page.getByRole('region', { name: 'Changes, object by object' })
  await expect(changes.getByTestId('run-changes-total')).toContainText('in the order they were made')
  const all = await shownTotal(page)
  expect(all).toBeGreaterThan(200)
  const table = changes.getByRole('table', { name: 'Changes of this run' })
  await expect(table.getByRole('row').nth(1)).toContainText('Applied')
  await changes.scrollIntoViewIfNeeded()
  await page.screenshot({ path: shot('22-run-changes') })
  await expectAccessible(page, 'a run’s changes')

  // Kind: only memberships added.
  await changes.getByLabel('Kind').selectOption('add-member')
  await expect(changes.getByTestId('run-changes-total')).toContainText('match the filters')
  const added = await shownTotal(page)
  expect(added).toBeLessThan(all)
  const csv = await exportCsv(page)
  const lines = csv.trimEnd().split('\r\n')
  expect(lines[0]).toBe('seq,at,run,event,kind,target,member,detail,integrations,integration ids,before,after,reason,held since,approved by,action id')
  expect(lines).toHaveLength(added + 1)
  expect(lines.slice(1).every((line) => line.split(',')[4] === 'add-member')).toBe(true)
  // The CLI writes the same file for the same filter, byte for byte.
  const cli = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'bin', 'dirsync.js'), '--data-dir', demoHost.dataDir, ...args], { cwd: ROOT, encoding: 'utf8' })
  const [run] = JSON.parse(cli('runs', '--json')) as Array<{ id: string }>
  if (!run) throw new Error('the CLI lists no run')
  expect(csv).toBe(cli('run', run.id, '--changes', '--csv', '--kind', 'add-member'))

  // Object: one group, by its name — its creation and each member added, nothing else.
  await changes.getByLabel('Kind').selectOption('')
  await expect(changes.getByTestId('run-changes-total')).not.toContainText('match the filters')
  await changes.getByLabel('Object').fill('Engineering')
  await expect(changes.getByTestId('run-changes-total')).toContainText('match the filters')
  await expect(table).toContainText('engineering@sample.example.com')
  const engineering = await shownTotal(page)
  const groupCsv = (await exportCsv(page)).trimEnd().split('\r\n').slice(1)
  expect(groupCsv).toHaveLength(engineering)
  expect(groupCsv.every((line) => line.split(',')[5] === 'engineering@sample.example.com')).toBe(true)
  // In the order the run made them: the group first.
  expect(groupCsv.map((line) => line.split(',')[4])).toEqual(['create-group', ...Array<string>(engineering - 1).fill('add-member')])

  await changes.getByLabel('Object').fill('nobody@example.org')
  await expect(changes.getByTestId('run-changes-total')).toHaveText('No change of this run matches the filters.')
  await expect(changes.getByRole('button', { name: 'Export changes CSV' })).toBeDisabled()
})
