import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IntegrationViewSchema } from '../../shared/domain/integration.ts'
import type { IpcEvent } from '../../shared/ipc/channels.ts'
import { runCli } from '../../main/cli/dirsync-main.ts'
import type { Core } from '../../main/core/dirsync-core.ts'
import { createFileLogger } from '../../main/core/logger.ts'
import { openCore } from '../../main/core/open-core.ts'
import { startBrowserHost, type BrowserHost } from '../../main/headless/browser-host.ts'
import { createHandlers } from '../../main/ipc/handlers.ts'
import { SECRET_KEY_ENV } from '../../main/secrets/encrypted-file-secret-store.ts'
import { makeTempDir } from '../helpers/test-core.ts'
import { recordFigures } from '../reliability/figures.ts'

/**
 * Known secrets written through every path — create, edit, test connection (failing), sync
 * (failing), export, run summaries, audit — via the core, the browser host's HTTP API and the CLI.
 * Then every file in the data directory (database, WAL, backups, settings, logs, the encrypted
 * secrets file, the lock), every HTTP/IPC response, every pushed event and all CLI output are
 * scanned for each secret in clear, UTF-16, base64 and hex: 0 hits expected.
 */
const marker = randomBytes(6).toString('hex')
const SECRETS = {
  ldapCreate: `Bind-Pa55!${marker}-create`,
  ldapEdit: `Bind-Pa55!${marker}-edited`,
  entra: `Entra~Client.Secret_${marker}`,
  // A malformed service-account key: a JSON parser's error message quotes the text it choked on.
  googleMalformed: `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----${marker}`,
  googleValidShape: JSON.stringify({ type: 'service_account', client_email: `svc-${marker}@example.iam.gserviceaccount.com`, private_key: `-----BEGIN PRIVATE KEY-----\nMII${marker}Secret\n-----END PRIVATE KEY-----\n`, token_uri: 'https://127.0.0.1:1/token' }),
  cliLdap: `Cli-Bind-Pa55?${marker}`,
  cliEdit: `Cli-Edited-Pa55#${marker}`,
} as const
/** Distinctive pieces too: a leak of part of a secret (a truncated error message) is still a leak. */
const NEEDLES = [...Object.values(SECRETS), `PRIVATE KEY-----${marker}`, `MII${marker}Secret`]

function encodings(secret: string): Array<[string, Buffer]> {
  return [
    ['utf8', Buffer.from(secret, 'utf8')],
    ['utf16le', Buffer.from(secret, 'utf16le')],
    ['base64', Buffer.from(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''))],
    ['hex', Buffer.from(Buffer.from(secret, 'utf8').toString('hex'))],
    ['json-escaped', Buffer.from(JSON.stringify(secret).slice(1, -1))],
  ]
}

function findSecrets(haystack: Buffer | string, where: string): string[] {
  const buffer = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack
  const hits: string[] = []
  for (const needle of NEEDLES) for (const [name, bytes] of encodings(needle)) if (buffer.includes(bytes)) hits.push(`${where}: ${name} of "${needle.slice(0, 24)}…"`)
  return hits
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('secrets never leave the secret store', () => {
  const tmp = makeTempDir('dirsync-secrets')
  const dataDir = join(tmp.path, 'data')
  const token = `host-token-${marker}`
  const captured: Array<{ where: string; text: string }> = []
  const capture = (where: string, value: unknown): void => void captured.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value) })
  let core: Core
  let host: BrowserHost
  let port: number
  const savedKey = process.env[SECRET_KEY_ENV]
  const ids: Record<string, string> = {}

  async function invoke(channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    const response = await fetch(`http://127.0.0.1:${host.port}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-dirsync-request': '1', 'content-type': 'application/json' },
      body: JSON.stringify(request),
    })
    const text = await response.text()
    capture(`HTTP ${channel}`, text)
    return JSON.parse(text) as { ok: boolean; value?: unknown; error?: { code: string; message: string } }
  }

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const code = await runCli(['--data-dir', dataDir, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) })
    capture(`CLI ${args.join(' ')} (stdout)`, stdout)
    capture(`CLI ${args.join(' ')} (stderr)`, stderr)
    return { code, stdout, stderr }
  }

  beforeAll(async () => {
    process.env[SECRET_KEY_ENV] = `passphrase-${marker}`
    port = await closedLoopbackPort()
    const logger = createFileLogger(dataDir, false)
    core = await openCore({ dataDir, emit: <E extends IpcEvent>(event: E, payload: unknown) => capture(`event ${event}`, payload) })
    logger.info(`browser host started, data dir ${dataDir}`)
    host = await startBrowserHost({ handlers: createHandlers(core, { version: 'test', dataDir, host: 'browser', demo: false }), rendererDir: join(tmp.path, 'renderer'), token, port: 0, onUnexpected: (error) => logger.error('request failed', error) })
  })

  afterAll(async () => {
    await host.close()
    if (savedKey === undefined) delete process.env[SECRET_KEY_ENV]
    else process.env[SECRET_KEY_ENV] = savedKey
    tmp.remove()
  })

  it('creates, edits, tests and syncs an LDAP integration with a bind password through the browser host; every call fails without echoing it', async () => {
    const ldap = { host: '127.0.0.1', port, encryption: 'none', bindDn: 'cn=admin,dc=example,dc=com', baseDn: 'dc=example,dc=com', timeoutSeconds: 2 }
    const created = await invoke('integrations:create', { name: 'Closed LDAP', config: { type: 'ldap', settings: ldap }, secret: SECRETS.ldapCreate })
    expect(created.ok).toBe(true)
    ids['ldap'] = (created.value as { id: string }).id
    expect(created.value).toMatchObject({ hasSecret: true })

    const edited = await invoke('integrations:update', { id: ids['ldap'], secret: SECRETS.ldapEdit, config: { type: 'ldap', settings: { ...ldap, bindDn: 'cn=sync,dc=example,dc=com' } } })
    expect(edited.ok).toBe(true)

    const tested = await invoke('integrations:test', { id: ids['ldap'] })
    expect(tested.ok).toBe(true)
    expect((tested.value as Array<{ verdict: string }>).some((s) => s.verdict === 'fail')).toBe(true)

    const synced = await invoke('sync:run', { scope: { integration: ids['ldap'] } })
    expect(synced.ok).toBe(true)
    expect(synced.value).toMatchObject({ outcome: 'failed' })

    // A request that fails validation must not echo the secret it carried either.
    const invalid = await invoke('integrations:create', { name: '', config: { type: 'ldap', settings: { ...ldap, port: 70000 } }, secret: SECRETS.ldapCreate })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })

  it('creates Entra and Google integrations with a client secret and service-account keys (one malformed) through the core; tests and syncs fail', async () => {
    const entra = await core.createIntegration({ name: 'Closed Entra', description: '', enabled: true, policy: {}, secret: SECRETS.entra, config: { type: 'entra', settings: { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', authorityHost: `https://127.0.0.1:${port}`, graphEndpoint: `https://127.0.0.1:${port}` } } as never })
    const googleBad = await core.createIntegration({ name: 'Google bad key', description: '', enabled: true, policy: {}, secret: SECRETS.googleMalformed, config: { type: 'google', settings: { adminEmail: 'admin@example.com', rootUrl: `https://127.0.0.1:${port}/`, tokenUrl: `https://127.0.0.1:${port}/token` } } as never })
    const googleClosed = await core.createIntegration({ name: 'Google closed', description: '', enabled: true, policy: {}, secret: SECRETS.googleValidShape, config: { type: 'google', settings: { adminEmail: 'admin@example.com', rootUrl: `https://127.0.0.1:${port}/`, tokenUrl: `https://127.0.0.1:${port}/token` } } as never })
    for (const view of [entra, googleBad, googleClosed]) {
      capture(`core create ${view.name}`, view)
      capture(`core test ${view.name}`, await core.testConnection(view.id, (step) => capture('test step', step)))
    }
    for (const view of [entra, googleBad, googleClosed]) {
      const run = await invoke('sync:run', { scope: { integration: view.id } })
      expect(run.ok).toBe(true)
      expect(run.value).toMatchObject({ outcome: 'failed' })
    }
    capture('core runs', core.runs(0, 100))
    capture('core status', core.status())
  })

  it('adds, edits, tests, syncs and exports through the CLI with the secret from an environment variable', async () => {
    process.env['DIRSYNC_TEST_SECRET'] = SECRETS.cliLdap
    const settings = join(tmp.path, 'cli-ldap.json')
    writeFileSync(settings, JSON.stringify({ host: '127.0.0.1', port, encryption: 'none', bindDn: 'cn=cli,dc=example,dc=com', baseDn: 'dc=example,dc=com', timeoutSeconds: 2 }))
    expect((await cli('integrations', 'add', '--type', 'ldap', '--name', 'CLI LDAP', '--config', settings, '--secret-env', 'DIRSYNC_TEST_SECRET', '--json')).code).toBe(0)
    process.env['DIRSYNC_TEST_SECRET'] = SECRETS.cliEdit
    expect((await cli('integrations', 'edit', 'CLI LDAP', '--secret-env', 'DIRSYNC_TEST_SECRET')).code).toBe(0)
    delete process.env['DIRSYNC_TEST_SECRET']
    await cli('integrations', 'test', 'CLI LDAP')
    await cli('integrations', 'test', 'CLI LDAP', '--json')
    expect((await cli('sync', 'CLI LDAP')).code).toBe(1)
    await cli('sync', 'CLI LDAP', '--json')
    expect((await cli('integrations', 'export')).code).toBe(0)
    for (const args of [['integrations', 'list', '--json'], ['integrations', 'show', 'Closed LDAP', '--json'], ['runs', '--json'], ['status', '--json'], ['audit', '--all', '--json'], ['audit']]) {
      expect((await cli(...args)).code, args.join(' ')).toBe(0)
    }
  })

  it('a successful LDIF sync and an account settings change write the backup and the settings file the scan must also cover', async () => {
    const ldif = await invoke('integrations:create', { name: 'LDIF', config: { type: 'ldif-file', settings: { path: join(import.meta.dirname, '..', 'fixtures', 'ldif', 'ldifde-export.ldif'), format: 'ldif' } } })
    expect(ldif.ok).toBe(true)
    expect((await invoke('account:set', { retentionDays: 31 })).ok).toBe(true)
    // The LDAP/Entra/Google integrations are in error, so this run reads the LDIF file and holds destructive actions.
    const run = await invoke('sync:run', { scope: { integration: (ldif.value as { id: string }).id } })
    expect(run.value).toMatchObject({ outcome: expect.stringMatching(/success|held/) as string })
  })

  it('reads everything back through every read channel of the browser host', async () => {
    for (const [channel, request] of [['integrations:list', {}], ['integrations:get', { id: ids['ldap'] }], ['status:get', {}], ['runs:list', {}], ['audit:list', { limit: 1000 }], ['held:list', {}], ['approvals:list', {}], ['app:info', {}], ['sync:preview', { scope: 'all' }], ['integrations:delete-preview', { id: ids['ldap'] }]] as const) {
      expect((await invoke(channel, request)).ok, channel).toBe(true)
    }
  })

  it('finds 0 secrets in every file of the data directory, every response, every event and all CLI output', () => {
    const files = filesUnder(dataDir)
    // The scan covers what must be there: the database (and its WAL), the encrypted secrets, settings, the log, backups.
    expect(files.map((f) => f.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(['dirsync.db', 'dirsync.db-wal', 'secrets.enc.json', 'settings.json', 'logs/dirsync.log', expect.stringMatching(/^backups\/dirsync-.*-after-run\.db$/) as string]))
    const hits = [...files.flatMap((file) => findSecrets(readFileSync(file), file.slice(dataDir.length + 1))), ...captured.flatMap((c) => findSecrets(c.text, c.where))]
    expect(hits).toEqual([])
    // Guard against a scan that cannot fail: the secrets really went in (encrypted), and outputs were captured.
    const stored = JSON.parse(readFileSync(join(dataDir, 'secrets.enc.json'), 'utf8')) as { entries: Record<string, string> }
    expect(Object.keys(stored.entries)).toHaveLength(5)
    expect(captured.length).toBeGreaterThan(40)
    expect(findSecrets(`x${SECRETS.ldapEdit}x`, 'self-test')).not.toEqual([])
    // The figures for test/reliability/README.md.
    recordFigures('secrets scan (9 secrets × 5 encodings, data dir + outputs)', { secretsFound: hits.length })
    console.info(`secrets scan: ${NEEDLES.length} secrets × 5 encodings over ${files.length} files (${files.reduce((n, f) => n + statSync(f).size, 0)} bytes) and ${captured.length} responses/outputs: ${hits.length} hits`)
  })

  it('the renderer-facing IntegrationView carries only hasSecret: no field can hold a secret', () => {
    const keys = Object.keys(IntegrationViewSchema.shape)
    expect(keys).toContain('hasSecret')
    expect(keys.filter((k) => /secret|password|credential|key|token/i.test(k))).toEqual(['hasSecret'])
    expect(IntegrationViewSchema.shape.hasSecret.safeParse('x').success).toBe(false)
  })
})
