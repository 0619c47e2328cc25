import { writeFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import { IntegrationConfigSchema } from '../../shared/domain/integration-config.ts'
import { runCli } from '../../main/cli/dirsync-main.ts'
import { dispatch } from '../../main/ipc/dispatch.ts'
import { createHandlers } from '../../main/ipc/handlers.ts'
import { createServiceAccountKey, createTestPki, type TestPki } from '../emulators/test-pki.ts'
import { makeTempDir, openTestCore, type TestCore } from '../helpers/test-core.ts'

/** A listener on 127.0.0.1 that keeps every byte (plain TCP) or every request (HTTPS) it receives. */
interface Listener {
  readonly port: number
  readonly received: () => string
  readonly requests: number
  close(): Promise<void>
}

async function listen(server: Server, received: Buffer[], counter: { requests: number }): Promise<Listener> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    received: () => Buffer.concat(received).toString('latin1'),
    get requests() {
      return counter.requests
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function tcpListener(): Promise<Listener> {
  const received: Buffer[] = []
  const counter = { requests: 0 }
  const server = createTcpServer((socket) => {
    counter.requests++
    socket.on('data', (chunk) => received.push(chunk))
    socket.on('error', () => undefined)
  })
  return listen(server, received, counter)
}

function httpsListener(pki: TestPki): Promise<Listener> {
  const received: Buffer[] = []
  const counter = { requests: 0 }
  const server = createHttpsServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    counter.requests++
    received.push(Buffer.from(`${req.method ?? ''} ${req.url ?? ''}\n`))
    req.on('data', (chunk: Buffer) => received.push(chunk))
    req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}'))
  })
  return listen(server, received, counter)
}

const BIND_PASSWORD = 'Bind-P@ssw0rd-for-the-old-DC'
const CLIENT_SECRET = 'Entra~client~secret~for~the~old~tenant'

describe('a stored secret stays with the endpoint it was entered for', () => {
  let pki: TestPki
  let dir: ReturnType<typeof makeTempDir>
  let t: TestCore
  let invoke: (channel: string, request: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>
  const listeners: Listener[] = []

  beforeAll(() => {
    pki = createTestPki()
  })
  beforeEach(() => {
    dir = makeTempDir('dirsync-endpoint')
    t = openTestCore(dir.path)
    const handlers = createHandlers(t.core, { version: 'test', dataDir: dir.path, host: 'browser', demo: false })
    invoke = (channel, request) => dispatch(handlers, channel, request)
  })
  afterEach(async () => {
    t.close()
    dir.remove()
    await Promise.all(listeners.splice(0).map((l) => l.close()))
  })
  async function track(listener: Promise<Listener>): Promise<Listener> {
    const l = await listener
    listeners.push(l)
    return l
  }

  async function create(config: IntegrationConfig, secret: string): Promise<string> {
    const created = await t.core.createIntegration({ name: `${config.type} directory`, description: '', config: IntegrationConfigSchema.parse(config), policy: {}, enabled: true, secret })
    return created.id
  }

  it('LDAP: re-pointing host and port is refused without the password, and Test Connection sends the new host no password', async () => {
    const oldDc = await track(tcpListener())
    const newHost = await track(tcpListener())
    const ldap = (port: number): IntegrationConfig => IntegrationConfigSchema.parse({ type: 'active-directory', settings: { host: '127.0.0.1', port, encryption: 'none', bindDn: 'CN=reader,DC=corp,DC=test', baseDn: 'DC=corp,DC=test', timeoutSeconds: 1 } })
    const id = await create(ldap(oldDc.port), BIND_PASSWORD)

    // The listener sees a password when one is sent: the old DC receives it in the bind request.
    const first = await t.core.testConnection(id)
    expect(oldDc.received()).toContain(BIND_PASSWORD)
    expect(first.find((s) => s.step === 'tls')).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/bind password .* in clear text/) as unknown })

    const refused = await invoke('integrations:update', { id, config: ldap(newHost.port) })
    expect(refused.ok).toBe(false)
    expect(refused.error?.message).toMatch(/Changing port changes where the stored secret would be sent.*enter the secret again/)
    expect(t.core.getIntegration(id).config.settings).toMatchObject({ port: oldDc.port })

    const cleared = await invoke('integrations:update', { id, config: ldap(newHost.port), secret: null })
    expect(cleared.ok).toBe(true)
    expect(t.core.getIntegration(id).hasSecret).toBe(false)
    const steps = await t.core.testConnection(id)
    expect(steps.find((s) => s.step === 'bind')?.message).toMatch(/Enter the bind password/)
    expect(newHost.received()).not.toContain(BIND_PASSWORD)
    expect(newHost.received()).toBe('')
  })

  it('LDAP: a new bind DN, CA or encryption also needs the password again; the page size does not', async () => {
    const dc = await track(tcpListener())
    const base = { host: '127.0.0.1', port: dc.port, encryption: 'none', bindDn: 'CN=reader,DC=corp,DC=test', baseDn: 'DC=corp,DC=test' }
    const id = await create(IntegrationConfigSchema.parse({ type: 'ldap', settings: base }), BIND_PASSWORD)
    const edit = (settings: object) => invoke('integrations:update', { id, config: { type: 'ldap', settings: { ...base, ...settings } } })
    expect((await edit({ bindDn: 'CN=admin,DC=corp,DC=test' })).error?.message).toMatch(/Changing bindDn/)
    expect((await edit({ caCertificatePem: pki.otherCaCertPem, encryption: 'ldaps' })).error?.message).toMatch(/Changing encryption, caCertificatePem/)
    expect((await edit({ verifyCertificate: false })).error?.message).toMatch(/Changing verifyCertificate/)
    expect((await edit({ alternateHost: 'dc2.corp.test' })).error?.message).toMatch(/Changing alternateHost/)
    expect((await edit({ pageSize: 200, baseDn: 'OU=Staff,DC=corp,DC=test' })).ok).toBe(true)
    expect(t.core.getIntegration(id).hasSecret).toBe(true)
  })

  it('a change that leaves a defaulted endpoint setting out (the core called directly) keeps the secret', async () => {
    const settings = { tenantId: 'contoso.onmicrosoft.com', clientId: '6f1c2a52-3d0e-4c8b-9a41-0d4e2b7f9c11', authorityHost: 'https://127.0.0.1:9', graphEndpoint: 'https://127.0.0.1:9' }
    const id = await create(IntegrationConfigSchema.parse({ type: 'entra', settings }), CLIENT_SECRET)
    // The stored configuration has 'cloud' filled in by its default; this one does not name it.
    const updated = await t.core.updateIntegration({ id, config: { type: 'entra', settings: { ...settings, transitiveMembers: false } } as IntegrationConfig })
    expect(updated.hasSecret).toBe(true)
    expect(updated.config.settings).toMatchObject({ transitiveMembers: false, cloud: 'global' })
  })

  it('Entra: a new login endpoint is refused without the client secret, and nothing reaches it', async () => {
    const oldLogin = await track(httpsListener(pki))
    const newLogin = await track(httpsListener(pki))
    const entra = (port: number): IntegrationConfig =>
      IntegrationConfigSchema.parse({ type: 'entra', settings: { tenantId: 'contoso.onmicrosoft.com', clientId: '6f1c2a52-3d0e-4c8b-9a41-0d4e2b7f9c11', authorityHost: `https://127.0.0.1:${port}`, graphEndpoint: `https://127.0.0.1:${port}`, caCertificatePem: pki.caCertPem } })
    const id = await create(entra(oldLogin.port), CLIENT_SECRET)

    const refused = await invoke('integrations:update', { id, config: entra(newLogin.port) })
    expect(refused.error?.message).toMatch(/Changing authorityHost, graphEndpoint/)
    await t.core.testConnection(id)
    expect(newLogin.requests).toBe(0)

    expect((await invoke('integrations:update', { id, config: entra(newLogin.port), secret: null })).ok).toBe(true)
    await t.core.testConnection(id)
    expect(newLogin.received()).not.toContain(CLIENT_SECRET)
    expect(newLogin.requests).toBe(0)
  })

  it('Google: a new token URL is refused without the key, and no signed assertion reaches it', async () => {
    const { key } = createServiceAccountKey()
    const oldToken = await track(httpsListener(pki))
    const newToken = await track(httpsListener(pki))
    const google = (port: number): IntegrationConfig =>
      IntegrationConfigSchema.parse({ type: 'google', settings: { adminEmail: 'admin@corp.test', customerId: 'C01', tokenUrl: `https://127.0.0.1:${port}/token`, rootUrl: `https://127.0.0.1:${port}/`, caCertificatePem: pki.caCertPem } })
    const id = await create(google(oldToken.port), JSON.stringify(key))

    // The listener sees an assertion when one is sent: the old token endpoint receives it.
    await t.core.testConnection(id)
    expect(oldToken.received()).toContain('assertion=')

    const refused = await invoke('integrations:update', { id, config: google(newToken.port) })
    expect(refused.error?.message).toMatch(/Changing tokenUrl, rootUrl/)
    expect((await invoke('integrations:update', { id, config: google(newToken.port), secret: null })).ok).toBe(true)
    await t.core.testConnection(id)
    expect(newToken.requests).toBe(0)
    expect(newToken.received()).not.toContain('assertion=')
  })

  it('cloud endpoints must use https, even on loopback', () => {
    const entra = IntegrationConfigSchema.safeParse({ type: 'entra', settings: { tenantId: 't', clientId: '6f1c2a52-3d0e-4c8b-9a41-0d4e2b7f9c11', authorityHost: 'http://127.0.0.1:8080' } })
    const google = IntegrationConfigSchema.safeParse({ type: 'google', settings: { adminEmail: 'admin@corp.test', tokenUrl: 'http://attacker.example/token' } })
    expect(entra.error?.issues[0]?.message).toMatch(/must use https/)
    expect(google.error?.issues[0]?.message).toMatch(/token endpoint must use https/)
  })

  it('the audit log names the settings that changed and never the secret', async () => {
    const dc = await track(tcpListener())
    const base = { host: '127.0.0.1', port: dc.port, encryption: 'none', bindDn: 'CN=reader,DC=corp,DC=test', baseDn: 'DC=corp,DC=test' }
    const id = await create(IntegrationConfigSchema.parse({ type: 'ldap', settings: base }), BIND_PASSWORD)
    const replacement = 'A-new-password-for-dc2'
    expect((await invoke('integrations:update', { id, config: { type: 'ldap', settings: { ...base, host: 'localhost', pageSize: 100 } }, secret: replacement })).ok).toBe(true)
    const [entry] = t.core.auditLog({ event: 'integration-updated' }, 0, 1).entries
    expect(entry?.detail).toEqual({ fields: ['config'], settingsChanged: ['host', 'pageSize'], endpointChanged: ['host'], secret: 'replaced' })
    expect(JSON.stringify(entry)).not.toContain(replacement)
  })
})

describe('dirsync integrations edit', () => {
  let dir: ReturnType<typeof makeTempDir>
  beforeEach(() => {
    dir = makeTempDir('dirsync-endpoint-cli')
    process.env['DIRSYNC_SECRET_KEY'] = 'a passphrase for the test'
    process.env['TEST_BIND_PASSWORD'] = BIND_PASSWORD
  })
  afterEach(() => {
    delete process.env['DIRSYNC_SECRET_KEY']
    delete process.env['TEST_BIND_PASSWORD']
    dir.remove()
  })

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const code = await runCli(['--data-dir', dir.path, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) })
    return { code, stdout, stderr }
  }

  it('exits 1 with the reason when the host changes and no new secret comes with it', async () => {
    const settings = join(dir.path, 'ad.json')
    writeFileSync(settings, JSON.stringify({ host: 'dc1.corp.test', encryption: 'ldaps', bindDn: 'CN=reader,DC=corp,DC=test', baseDn: 'DC=corp,DC=test' }))
    expect((await cli('integrations', 'add', '--type', 'ad', '--name', 'Corp', '--config', settings, '--secret-env', 'TEST_BIND_PASSWORD')).code).toBe(0)
    const repoint = join(dir.path, 'new.json')
    writeFileSync(repoint, JSON.stringify({ host: '203.0.113.9', port: 389 }))

    const refused = await cli('integrations', 'edit', 'Corp', '--config', repoint)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/Changing host, port changes where the stored secret would be sent.*--secret-stdin or --secret-env/)
    expect(JSON.parse((await cli('integrations', 'show', 'Corp', '--json')).stdout)).toMatchObject({ config: { settings: { host: 'dc1.corp.test' } }, hasSecret: true })

    const withSecret = await cli('integrations', 'edit', 'Corp', '--config', repoint, '--secret-env', 'TEST_BIND_PASSWORD')
    expect(withSecret.code).toBe(0)
  })
})
