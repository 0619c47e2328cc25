import { afterEach, describe, expect, it } from 'vitest'
import { EntraConfigSchema, GoogleConfigSchema } from '../../../../../shared/domain/integration-config.ts'
import { formatDateTime } from '../../../../../renderer/components/format.ts'
import { DetailsTab } from '../../../../../renderer/features/integrations/details-tab.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi, makeIntegration } from '../../fake-api.ts'
import { render, type Rendered } from '../../render.tsx'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

/** The Details tab's facts as label → value. */
async function facts(integration: ReturnType<typeof makeIntegration>): Promise<Map<string, string>> {
  rendered = await render(createAppStore(createFakeApi().api), <DetailsTab integration={integration} />)
  const out = new Map<string, string>()
  for (const fact of rendered.container.querySelectorAll('.fact')) out.set(fact.querySelector('dt')?.textContent ?? '', fact.querySelector('dd')?.textContent ?? '')
  return out
}

describe('the Details tab', () => {
  it('shows an errored integration’s failed last attempt with its last good read beside it; a healthy one only its last sync', async () => {
    const snapshot = { id: 's1', takenAt: '2026-11-30T08:00:00.000Z', users: 200, groups: 20, memberships: 400, mode: 'full' }
    const failing = await facts(makeIntegration({ status: 'error', statusReason: 'The file is missing.', lastSyncAt: '2026-12-01T08:00:00.000Z', lastOutcome: 'failed', snapshot }))
    expect(failing.get('Last attempt')).toContain(`${formatDateTime('2026-12-01T08:00:00.000Z')}`)
    expect(failing.get('Last attempt')).toContain('failed')
    expect(failing.get('Last good read')).toContain(formatDateTime('2026-11-30T08:00:00.000Z'))
    rendered?.unmount()
    const never = await facts(makeIntegration({ status: 'error', statusReason: 'The file is missing.', lastSyncAt: '2026-12-01T08:00:00.000Z', lastOutcome: 'failed' }))
    expect(never.get('Last good read')).toBe('None: no read of this directory has succeeded yet.')
    rendered?.unmount()
    const healthy = await facts(makeIntegration({ status: 'ok', lastSyncAt: '2026-12-01T08:00:00.000Z', lastOutcome: 'success', snapshot }))
    expect(healthy.get('Last sync')).toContain(formatDateTime('2026-12-01T08:00:00.000Z'))
    expect(healthy.has('Last good read')).toBe(false)
    expect(healthy.has('Last attempt')).toBe(false)
  })

  it('shows Entra endpoint overrides and a private CA, and says when the defaults are used', async () => {
    const overridden = EntraConfigSchema.parse({ tenantId: 't', clientId: '11111111-2222-4333-8444-555555555555', authMethod: 'client-secret', authorityHost: 'https://login.example.test/', graphEndpoint: 'https://graph.example.test/', caCertificatePem: '-----BEGIN CERTIFICATE-----' })
    const shown = await facts(makeIntegration({ config: { type: 'entra', settings: overridden } }))
    expect(shown.get('Login endpoint')).toBe('https://login.example.test/')
    expect(shown.get('Graph endpoint')).toBe('https://graph.example.test/')
    expect(shown.get('Custom CA certificate')).toBe('Provided')
    rendered?.unmount()
    const plain = await facts(makeIntegration({ config: { type: 'entra', settings: EntraConfigSchema.parse({ tenantId: 't', clientId: '11111111-2222-4333-8444-555555555555', authMethod: 'client-secret' }) } }))
    expect(plain.get('Graph endpoint')).toBe('Microsoft default for the cloud')
    expect(plain.get('Custom CA certificate')).toBe('System store')
  })

  it('names the national clouds as admins know them: GCC is Global, US Government is GCC High, DoD also sets the Graph endpoint (issue 17)', async () => {
    const entra = (cloud: 'global' | 'usgov') => makeIntegration({ config: { type: 'entra', settings: EntraConfigSchema.parse({ tenantId: 't', clientId: '11111111-2222-4333-8444-555555555555', cloud }) } })
    expect((await facts(entra('global'))).get('Cloud')).toBe('Global (commercial and GCC)')
    rendered?.unmount()
    expect((await facts(entra('usgov'))).get('Cloud')).toBe('US Government GCC High (DoD: also set the Graph endpoint)')
  })

  it('shows Google API overrides', async () => {
    const settings = GoogleConfigSchema.parse({ adminEmail: 'admin@example.org', rootUrl: 'https://127.0.0.1:8443/', tokenUrl: 'https://127.0.0.1:8443/token' })
    const shown = await facts(makeIntegration({ config: { type: 'google', settings } }))
    expect(shown.get('API root')).toBe('https://127.0.0.1:8443/')
    expect(shown.get('Token endpoint')).toBe('https://127.0.0.1:8443/token')
    expect(shown.get('Page size')).toBe('500')
  })
})
