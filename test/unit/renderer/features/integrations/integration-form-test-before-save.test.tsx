import { afterEach, describe, expect, it } from 'vitest'
import { IntegrationForm } from '../../../../../renderer/features/integrations/integration-form.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi, makeIntegration } from '../../fake-api.ts'
import { byText, click, labelled, render, type, type Rendered } from '../../render.tsx'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

const failing = [
  { step: 'file' as const, label: 'Read the export file', verdict: 'fail' as const, message: 'The file /srv/typo.ldif does not exist (on the computer that runs the sync).', durationMs: 1 },
]

describe('test before save', () => {
  it('creates only after the connection test passed, with the ladder on screen', async () => {
    const fake = createFakeApi()
    let saved = ''
    rendered = await render(createAppStore(fake.api), <IntegrationForm onCancel={() => undefined} onSaved={(id) => void (saved = id)} />)
    await type(labelled(rendered.container, 'Name'), 'HR export')
    await type(labelled(rendered.container, 'Export file path'), '/srv/hr.ldif')
    await click(byText(rendered.container, 'button', 'Create integration'))
    expect(fake.callsTo('integrations:test-draft')[0]?.request).toMatchObject({ config: { type: 'ldif-file', settings: { path: '/srv/hr.ldif' } } })
    expect(byText(rendered.container, '[role="status"]', 'The connection works.')).toBeTruthy()
    expect(fake.callsTo('integrations:create')).toHaveLength(1)
    expect(saved).not.toBe('')
  })

  it('does not save a failed test; "Save anyway" says the integration will be in error and pause destructive actions account-wide', async () => {
    const fake = createFakeApi()
    fake.handle('integrations:test-draft', () => ({ ok: true, value: failing }))
    rendered = await render(createAppStore(fake.api), <IntegrationForm onCancel={() => undefined} onSaved={() => undefined} />)
    await type(labelled(rendered.container, 'Name'), 'HR export')
    await type(labelled(rendered.container, 'Export file path'), '/srv/typo.ldif')
    await click(byText(rendered.container, 'button', 'Create integration'))
    expect(fake.callsTo('integrations:create')).toHaveLength(0)
    expect(rendered.container.textContent).toContain('The file /srv/typo.ldif does not exist')
    expect(rendered.container.textContent).toContain('The connection test failed at “Read the export file”.')
    expect(rendered.container.textContent).toMatch(/HR export will be in error after its first sync, and while it is in error, destructive actions are paused for every integration/)
    await click(byText(rendered.container, 'button', 'Save anyway'))
    expect(fake.callsTo('integrations:create')).toHaveLength(1)
  })

  it('does not test again when an edit changes only the name', async () => {
    const fake = createFakeApi()
    const existing = makeIntegration({ name: 'HR export' })
    fake.integrations.push(existing)
    fake.handle('integrations:update', (request) => ({ ok: true, value: { ...existing, name: request.name ?? existing.name } }))
    rendered = await render(createAppStore(fake.api), <IntegrationForm existing={existing} onCancel={() => undefined} onSaved={() => undefined} />)
    await type(labelled(rendered.container, 'Name'), 'HR export (nightly)')
    await click(byText(rendered.container, 'button', 'Save changes'))
    expect(fake.callsTo('integrations:test-draft')).toHaveLength(0)
    expect(fake.callsTo('integrations:update')).toHaveLength(1)
  })
})
