import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readExport } from '../../../../main/connectors/ldif/read-export.ts'
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../../../main/headless/browser-host.ts'
import { createRemotePolicy, restrictHandlers } from '../../../../main/headless/remote-policy.ts'
import { createHandlers } from '../../../../main/ipc/handlers.ts'
import { dispatch } from '../../../../main/ipc/dispatch.ts'
import { createTestPki } from '../../../emulators/test-pki.ts'
import { send } from '../../../helpers/http-send.ts'
import { makeTempDir, openTestCore, type TestCore } from '../../../helpers/test-core.ts'


const TOKEN = 'exposure-test-token-0123456789'

describe('the browser host, exposed', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let t: TestCore
  let host: BrowserHost | null = null
  let clock = 0
  beforeEach(() => {
    tmp = makeTempDir('dirsync-exposure')
    mkdirSync(join(tmp.path, 'renderer'))
    writeFileSync(join(tmp.path, 'renderer', 'index.html'), '<!doctype html><html><head><title>console</title></head></html>')
    t = openTestCore(join(tmp.path, 'data'))
    clock = Date.parse('2026-12-01T08:00:00Z')
  })
  afterEach(async () => {
    await host?.close()
    host = null
    t.close()
    tmp.remove()
  })

  async function start(options: Partial<BrowserHostOptions> = {}): Promise<BrowserHost> {
    host = await startBrowserHost({ handlers: createHandlers(t.core, { version: 't', dataDir: t.dataDir, host: 'browser', demo: false }), rendererDir: join(tmp.path, 'renderer'), token: TOKEN, port: 0, now: () => clock, ...options })
    return host
  }

  async function signIn(h: BrowserHost, tls?: string): Promise<{ cookie: string; setCookie: string; pageToken: string }> {
    const login = await send(h.port, `/?token=${TOKEN}`, { ...(tls ? { tls } : {}) })
    const setCookie = String(login.headers['set-cookie'])
    const cookie = setCookie.split(';')[0] ?? ''
    const page = await send(h.port, '/', { headers: { cookie }, ...(tls ? { tls } : {}) })
    return { cookie, setCookie, pageToken: /name="dirsync-page-token" content="([\w-]+)"/.exec(page.body)?.[1] ?? '' }
  }

  const list = (h: BrowserHost, headers: Record<string, string>) => send(h.port, '/api/invoke/integrations:list', { method: 'POST', headers: { 'x-dirsync-request': '1', ...headers }, body: '{}' })

  it('a session cookie replayed by another local server opens nothing without the page token', async () => {
    const h = await start()
    const { cookie, pageToken } = await signIn(h)
    expect(cookie).toMatch(new RegExp(`^dirsync_session_${h.port}=`))
    expect(pageToken).not.toBe('')
    expect((await list(h, { cookie })).status).toBe(401)
    expect((await list(h, { cookie, 'x-dirsync-page': 'a-guess' })).status).toBe(401)
    expect((await list(h, { cookie, 'x-dirsync-page': pageToken })).status).toBe(200)
  })

  it('uses a __Host- cookie (Secure, Path=/, no Domain) when served over TLS', async () => {
    const pki = createTestPki()
    const h = await start({ tls: { cert: pki.serverCertPem, key: pki.serverKeyPem } })
    const { setCookie } = await signIn(h, pki.caCertPem)
    expect(setCookie).toMatch(/^__Host-dirsync_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/; Secure$/)
    expect(setCookie).not.toMatch(/Domain/i)
  })

  it('ends a session after 12 hours without use', async () => {
    const h = await start()
    const { cookie, pageToken } = await signIn(h)
    clock += 11 * 3_600_000
    expect((await list(h, { cookie, 'x-dirsync-page': pageToken })).status).toBe(200)
    clock += 12 * 3_600_000
    const expired = await list(h, { cookie, 'x-dirsync-page': pageToken })
    expect(expired.status).toBe(401)
    expect(expired.body).toMatch(/sessions end after 12 hours without use/)
  })

  it('counts wrong tokens per client address and never refuses the right one', async () => {
    const h = await start()
    for (let i = 0; i < 10; i++) expect((await send(h.port, '/?token=guess', { from: '127.0.0.2' })).status).toBe(401)
    expect((await send(h.port, '/?token=guess', { from: '127.0.0.2' })).status).toBe(429)
    expect((await send(h.port, '/?token=typo', { from: '127.0.0.1' })).status, 'another address is not locked out').toBe(401)
    expect((await send(h.port, `/?token=${TOKEN}`, { from: '127.0.0.2' })).status, 'the right token from the guessing address').toBe(302)
    clock += 61_000
    expect((await send(h.port, '/?token=guess', { from: '127.0.0.2' })).status).toBe(401)
  })

  it('cuts a connection that sends its headers too slowly', async () => {
    const h = await start({ headersTimeoutMs: 300 })
    const socket = connect(h.port, '127.0.0.1')
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n`)
    const started = Date.now()
    const closedAfter = await new Promise<number>((resolve) => {
      socket.on('data', () => undefined)
      socket.on('close', () => resolve(Date.now() - started))
      socket.on('error', () => undefined)
    })
    expect(closedAfter).toBeLessThan(5_000)
  })

  it('caps open connections', async () => {
    const h = await start({ maxConnections: 2 })
    const open = async (): Promise<Socket> => {
      const socket = connect(h.port, '127.0.0.1')
      await new Promise((resolve) => socket.once('connect', resolve))
      return socket
    }
    const kept = [await open(), await open()]
    const third = await open()
    await new Promise<void>((resolve) => {
      third.on('close', () => resolve())
      third.on('error', () => undefined)
    })
    expect(third.destroyed).toBe(true)
    for (const socket of kept) socket.destroy()
  })
})

describe('a browser host served to the network (--allow-remote)', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let t: TestCore
  let importDir: string
  beforeEach(() => {
    tmp = makeTempDir('dirsync-remote')
    importDir = join(tmp.path, 'imports')
    mkdirSync(importDir)
    t = openTestCore(join(tmp.path, 'data'))
  })
  afterEach(() => {
    t.close()
    tmp.remove()
  })

  function restricted(allowHosts: string[] = ['dc1.corp.test']) {
    const handlers = restrictHandlers(createHandlers(t.core, { version: 't', dataDir: t.dataDir, host: 'browser', demo: false }), createRemotePolicy({ importDir, allowHosts, dataDir: t.dataDir }))
    return (channel: string, request: unknown) => dispatch(handlers, channel, request)
  }
  const ldif = (path: string) => ({ name: 'Export', config: { type: 'ldif-file', settings: { path, format: 'auto' } } })

  it('reads export files only inside the import folder, following links to where they lead', async () => {
    const invoke = restricted()
    const inside = join(importDir, 'org.ldif')
    writeFileSync(inside, 'dn: CN=a,DC=corp,DC=test\nobjectClass: person\nmail: a@corp.test\n')
    symlinkSync('/etc/passwd', join(importDir, 'passwd.ldif'))
    expect(await invoke('integrations:create', ldif('/etc/shadow'))).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/inside the import folder/) as unknown } })
    expect(await invoke('integrations:create', ldif('/proc/self/environ'))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await invoke('integrations:create', ldif(join(t.dataDir, 'dirsync.db')))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await invoke('integrations:create', ldif(join(importDir, 'passwd.ldif')))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await invoke('integrations:create', ldif(join(importDir, '..', 'data', 'dirsync.db')))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await invoke('integrations:create', ldif(inside))).toMatchObject({ ok: true })
  })

  it('connects only to the directory hosts allowed at start: no port scanning, no certificate fetching', async () => {
    const invoke = restricted()
    const ad = (host: string) => ({ name: `AD ${host}`, config: { type: 'active-directory', settings: { host, bindDn: 'CN=r,DC=corp,DC=test', baseDn: 'DC=corp,DC=test' } } })
    expect(await invoke('integrations:create', ad('10.0.0.5'))).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/connects only to dc1\.corp\.test \(--allow-hosts\); 10\.0\.0\.5 is not among them/) as unknown } })
    expect(await invoke('integrations:create', ad('DC1.corp.test'))).toMatchObject({ ok: true })
    const google = { name: 'G', config: { type: 'google', settings: { adminEmail: 'a@corp.test', tokenUrl: 'https://169.254.169.254/token' } } }
    expect(await invoke('integrations:create', google)).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    // An integration added locally (the CLI) to another host cannot be tested from the network either.
    const local = await t.core.createIntegration({ name: 'Local', description: '', config: { type: 'ldap', settings: { host: '192.0.2.7', encryption: 'ldaps', verifyCertificate: true, bindDn: 'CN=r', baseDn: 'DC=x', attributeMap: {}, pageSize: 500, timeoutSeconds: 30, honourForeignDirectorySync: true, fullReadEvery: 6 } }, policy: {}, enabled: true })
    expect(await invoke('integrations:test', { id: local.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await invoke('integrations:update', { id: local.id, name: 'Renamed' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('refuses an import folder that would expose the system or the data directory', () => {
    expect(() => createRemotePolicy({ importDir: '/', dataDir: t.dataDir })).toThrow(/would expose the system's files/)
    expect(() => createRemotePolicy({ importDir: '/proc', dataDir: t.dataDir })).toThrow(/would expose the system's files/)
    expect(() => createRemotePolicy({ importDir: t.dataDir, dataDir: t.dataDir })).toThrow(/overlaps the data directory/)
    expect(() => createRemotePolicy({ importDir: tmp.path, dataDir: t.dataDir })).toThrow(/overlaps the data directory/)
  })
})

describe('parse errors of a file that is not an export', () => {
  it('quote nothing of it (the /etc/shadow reproduction)', async () => {
    const tmp = makeTempDir('dirsync-shadow')
    try {
      for (const [name, format] of [['shadow', 'auto'], ['shadow.ldif', 'ldif'], ['shadow.csv', 'csv']] as const) {
        const path = join(tmp.path, name)
        writeFileSync(path, 'root:$6$Zq1cSecretHash$abcdefghijklmnop:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n')
        const read = async () => {
          for await (const batch of readExport({ path, format })) void batch
        }
        const error = await read().then(() => null, (e: unknown) => e as Error)
        expect(error?.message).toMatch(/does not start like an LDIF export .* nothing of it is shown/)
        expect(error?.message).not.toMatch(/root|Zq1c|SecretHash|daemon/)
      }
    } finally {
      tmp.remove()
    }
  })

  it('still quote the offending line of a real export', async () => {
    const tmp = makeTempDir('dirsync-bad-ldif')
    try {
      const path = join(tmp.path, 'org.ldif')
      writeFileSync(path, 'version: 1\n\ndn: CN=a,DC=corp,DC=test\nthis line has no colon\n')
      const error = await (async () => {
        for await (const batch of readExport({ path, format: 'auto' })) void batch
      })().then(() => null, (e: unknown) => e as Error)
      expect(error?.message).toMatch(/org\.ldif line 4: .*got 'this line has no colon'/)
    } finally {
      tmp.remove()
    }
  })
})
