import { act } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../../../../renderer/app.tsx'
import { createAppStore } from '../../../../renderer/store/app-store.ts'
import { createFakeApi, makeIntegration } from '../fake-api.ts'
import { byText, click, labelled, render, settle, type, type Rendered } from '../render.tsx'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
  window.location.hash = ''
})

async function openApp(fake = createFakeApi()) {
  const store = createAppStore(fake.api)
  rendered = await render(store, <App />)
  await settle()
  return { fake, store, container: rendered.container }
}

describe('console', () => {
  it('explains what to do first when there is no integration', async () => {
    const { container } = await openApp()
    expect(container.textContent).toContain('No integration yet')
    expect(byText(container, 'button', 'Sync All').hasAttribute('disabled')).toBe(true)
  })

  it('offers the bundled sample on first run and says where the data lives', async () => {
    const { container, fake } = await openApp()
    expect(container.textContent).toContain('/tmp/x')
    await click(byText(container, 'button', 'Try the sample directory'))
    await settle()
    expect(fake.calls.map((call) => call.channel)).toContain('app:add-sample')
    expect(container.querySelector('tbody')?.textContent).toContain('Sample directory')
  })

  it('lists integrations with type label, status in words, and sorts by a column', async () => {
    const fake = createFakeApi()
    fake.integrations.push(makeIntegration({ id: 'b', name: 'Zeta LDAP', status: 'error', config: { type: 'ldif-file', settings: { path: '/x', format: 'auto' } } }))
    fake.integrations.push(makeIntegration({ id: 'a', name: 'Alpha', status: 'ok' }))
    const { container } = await openApp(fake)
    const names = () => [...container.querySelectorAll('tbody th')].map((cell) => cell.textContent)
    expect(names()).toEqual(['Alpha', 'Zeta LDAP'])
    expect(container.querySelector('tbody')?.textContent).toContain('LDIF/CSV file')
    expect(container.querySelector('tbody')?.textContent).toContain('In error')
    await click(byText(container, 'th button', /Name/))
    expect(names()).toEqual(['Zeta LDAP', 'Alpha'])
  })

  it('validates the create form as you type with the shared schemas and sends a valid integration', async () => {
    const { container, fake } = await openApp()
    await click(byText(container, 'button', 'Create New Integration'))
    const name = labelled(container, 'Name')
    await type(name, 'x')
    await type(name, '')
    expect(container.textContent).toContain('enter a name')
    await type(name, 'HR export')
    expect(container.textContent).not.toContain('enter a name')
    await click(byText(container, 'button', 'Create integration'))
    expect(container.textContent).toContain('choose the export file')
    expect(fake.callsTo('integrations:create')).toHaveLength(0)
    await type(labelled(container, 'Export file path'), '/srv/hr.ldif')
    await click(byText(container, 'button', 'Create integration'))
    expect(fake.callsTo('integrations:create')[0]?.request).toMatchObject({ name: 'HR export', config: { type: 'ldif-file', settings: { path: '/srv/hr.ldif', format: 'auto' } } })
    expect(container.querySelector('aside h2')?.textContent).toBe('HR export')
  })

  it('asks to confirm a disable, says the pause is account-wide, then shows the banner; Escape cancels', async () => {
    const fake = createFakeApi()
    fake.integrations.push(makeIntegration({ id: 'a', name: 'Corp AD', status: 'ok' }))
    const { container } = await openApp(fake)
    await click(byText(container, 'tbody button', 'Corp AD'))
    await click(byText(container, 'button', 'Disable'))
    const dialog = container.querySelector('[role="dialog"]')
    expect(dialog?.textContent).toContain('paused for ALL integrations')
    act(() => {
      dialog?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    })
    await settle()
    expect(container.querySelector('[role="dialog"]')).toBeNull()
    expect(fake.callsTo('integrations:set-enabled')).toHaveLength(0)

    await click(byText(container, 'button', 'Disable'))
    await click(byText(container, '[role="dialog"] button', 'Disable integration'))
    const banner = container.querySelector('[aria-label="Destructive actions paused"]')
    expect(banner?.textContent).toContain('Corp AD')
    expect(banner?.textContent).toContain('Remove member: 3')
    await click(byText(container, 'nav a', /Directory/))
    expect(container.querySelector('[aria-label="Destructive actions paused"]')).not.toBeNull()
  })

  it('deletes only after the integration’s exact name is typed, sending it as confirmName', async () => {
    const fake = createFakeApi()
    fake.integrations.push(makeIntegration({ id: 'a', name: 'Corp AD', status: 'ok' }))
    const { container } = await openApp(fake)
    await click(byText(container, 'tbody button', 'Corp AD'))
    await click(byText(container, 'button', 'Delete'))
    const dialog = () => container.querySelector('[role="dialog"]') as HTMLElement
    expect(dialog().textContent).toContain('Users demoted to “Created by Message in Transit”: 2')
    expect(dialog().textContent).toContain('Deleting it ends the pause')
    const confirm = byText(dialog(), 'button', 'Delete integration')
    expect(confirm.hasAttribute('disabled')).toBe(true)
    await type(labelled(dialog(), /Type the integration name/), 'corp ad')
    expect(confirm.hasAttribute('disabled')).toBe(true)
    await type(labelled(dialog(), /Type the integration name/), 'Corp AD')
    expect(confirm.hasAttribute('disabled')).toBe(false)
    await click(confirm)
    expect(fake.callsTo('integrations:delete')[0]?.request).toEqual({ id: 'a', confirmName: 'Corp AD' })
    expect(container.textContent).toContain('No integration yet')
  })
})
