import { describe, expect, it } from 'vitest'
import { entraEndpoints } from '../../../../../main/connectors/entra/entra-endpoints.ts'
import { retryAfterMs } from '../../../../../main/connectors/entra/graph-client.ts'

describe('entraEndpoints', () => {
  it('uses the global cloud hosts by default', () => {
    expect(entraEndpoints({ cloud: 'global', tenantId: 'contoso.onmicrosoft.com' })).toEqual({
      authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      graphEndpoint: 'https://graph.microsoft.com',
      scope: 'https://graph.microsoft.com/.default',
      custom: false,
    })
  })

  it('uses the US Government hosts for the usgov cloud', () => {
    const e = entraEndpoints({ cloud: 'usgov', tenantId: 't' })
    expect(e.authority).toBe('https://login.microsoftonline.us/t')
    expect(e.scope).toBe('https://graph.microsoft.us/.default')
  })

  it('takes overrides (emulators) and refuses plain http', () => {
    expect(entraEndpoints({ cloud: 'global', tenantId: 't', authorityHost: 'https://127.0.0.1:8443/', graphEndpoint: 'https://127.0.0.1:8443' })).toMatchObject({ authority: 'https://127.0.0.1:8443/t', custom: true, graphEndpoint: 'https://127.0.0.1:8443' })
    expect(() => entraEndpoints({ cloud: 'global', tenantId: 't', graphEndpoint: 'http://127.0.0.1:8080' })).toThrow(/must use https/)
  })
})

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP-dates, and null when absent', () => {
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000)
    expect(retryAfterMs(null)).toBeNull()
    expect(retryAfterMs('soon')).toBeNull()
  })
})
