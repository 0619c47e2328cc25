import { afterEach, describe, expect, it } from 'vitest'
import { LdapConfigSchema } from '../../../../../shared/domain/integration-config.ts'
import { IntegrationForm } from '../../../../../renderer/features/integrations/integration-form.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi, makeIntegration } from '../../fake-api.ts'
import { byText, click, labelled, render, type, type Rendered } from '../../render.tsx'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

const settings = LdapConfigSchema.parse({ host: 'dc1.corp.test', encryption: 'ldaps', bindDn: 'CN=reader,DC=corp,DC=test', baseDn: 'DC=corp,DC=test' })

describe('the integration edit form', () => {
  it('says, before saving, that a new host needs the bind password again, and does not save without it', async () => {
    const fake = createFakeApi()
    const existing = makeIntegration({ name: 'Corp AD', hasSecret: true, config: { type: 'active-directory', settings } })
    rendered = await render(createAppStore(fake.api), <IntegrationForm existing={existing} onCancel={() => undefined} onSaved={() => undefined} />)
    expect(rendered.container.textContent).not.toMatch(/changes where the stored secret would be sent/)

    await type(labelled(rendered.container, 'Hostname / IP Address'), 'dc9.elsewhere.test')
    expect(byText(rendered.container, '[role="alert"]', /Changing host changes where the stored secret would be sent/)).toBeTruthy()
    await click(byText(rendered.container, 'button', 'Save changes'))
    expect(fake.callsTo('integrations:update')).toHaveLength(0)
  })

  it('keeps the password for a change that does not re-point it', async () => {
    const fake = createFakeApi()
    const existing = makeIntegration({ name: 'Corp AD', hasSecret: true, config: { type: 'active-directory', settings } })
    rendered = await render(createAppStore(fake.api), <IntegrationForm existing={existing} onCancel={() => undefined} onSaved={() => undefined} />)
    await type(labelled(rendered.container, 'Name'), 'Corp AD (HQ)')
    expect(rendered.container.textContent).not.toMatch(/changes where the stored secret would be sent/)
  })
})
