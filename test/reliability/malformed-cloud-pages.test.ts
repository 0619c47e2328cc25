import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EntraConfigSchema, GoogleConfigSchema, type IntegrationConfig } from '../../shared/domain/integration-config.ts'
import { ConnectorError } from '../../main/connectors/connector-error.ts'
import type { DirectoryConnector } from '../../main/connectors/directory-connector.ts'
import { createEntraConnector } from '../../main/connectors/entra/create-entra-connector.ts'
import { createGoogleConnector } from '../../main/connectors/google/create-google-connector.ts'
import { createCore } from '../../main/core/dirsync-core.ts'
import { createEncryptedFileSecretStore } from '../../main/secrets/encrypted-file-secret-store.ts'
import { createSettingsStore } from '../../main/settings/settings-store.ts'
import { openDatabase } from '../../main/store/open-database.ts'
import { collectRead } from '../emulators/collect-read.ts'
import { EntraEmulator } from '../emulators/entra-emulator.ts'
import { GoogleEmulator } from '../emulators/google-emulator.ts'
import { generateOrgModel } from '../emulators/org-model.ts'
import { createServiceAccountKey, createTestPki } from '../emulators/test-pki.ts'
import { dumpAccount, makeTempDir, memoryBackend } from '../helpers/test-core.ts'
import { startRewritingProxy, type Rewrite, type RewritingProxy } from './rewriting-proxy.ts'
import { recordFigures } from './figures.ts'

/**
 * Malformed PAGES (not user objects: those are fuzzed at the mapper in test/security) from Microsoft
 * Graph and the Google Directory API: the real connectors read from the emulators through a proxy
 * that replaces the second page of users with a broken one. Every broken page must end the read with
 * a ConnectorError (never a TypeError, never a silently shorter read), and through the engine the
 * integration goes to `error` with its last snapshot kept; a page with only extra fields is read.
 */
const USERS = 60
const PAGE = 20
const tmp = makeTempDir('dirsync-malformed-pages')
const pki = createTestPki()
const model = generateOrgModel({ users: USERS, groups: 3, disabledEvery: 0 })
const tls = { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem }
const figures: string[] = []

type Mutation = (page: Record<string, unknown>) => unknown
interface Case {
  readonly name: string
  readonly answer: Rewrite['answer']
}

const json = (mutate: Mutation): Rewrite['answer'] => (body) => ({ body: JSON.stringify(mutate(JSON.parse(body) as Record<string, unknown>)) })
const raw = (body: (original: string) => string, contentType?: string): Rewrite['answer'] => (original) => ({ body: body(original), ...(contentType ? { contentType } : {}) })

/** Broken bodies every JSON API can send: the same for both. */
const transportCases: Case[] = [
  { name: 'a truncated JSON body', answer: raw((b) => b.slice(0, Math.floor(b.length / 2))) },
  { name: 'HTML instead of JSON with 200', answer: raw(() => '<html><body><h1>Service temporarily unavailable</h1></body></html>', 'text/html') },
  { name: 'an empty body', answer: raw(() => '') },
  { name: 'JSON null', answer: raw(() => 'null') },
  { name: 'a JSON array', answer: raw(() => '[]') },
  { name: 'a JSON string', answer: raw(() => '"users"') },
]

function listCases(list: string, next: string, offHostNext: string | null, emptyListOmitted: boolean): Case[] {
  const cases: Case[] = [
    // Google leaves an empty list out of the JSON on any page: a missing list is an empty page there, not a broken one.
    ...(emptyListOmitted ? [] : [{ name: `"${list}" missing`, answer: json(({ [list]: _, ...rest }) => rest) }]),
    { name: `"${list}" an object`, answer: json((p) => ({ ...p, [list]: { 0: (p[list] as unknown[])[0] } })) },
    { name: `"${list}" a string`, answer: json((p) => ({ ...p, [list]: 'abc' })) },
    { name: `"${list}" null`, answer: json((p) => ({ ...p, [list]: null })) },
    { name: 'a user item that is a number', answer: json((p) => ({ ...p, [list]: [...(p[list] as unknown[]), 42] })) },
    { name: 'a user item that is null', answer: json((p) => ({ ...p, [list]: [null, ...(p[list] as unknown[])] })) },
    { name: 'a user item that is an array', answer: json((p) => ({ ...p, [list]: [[], ...(p[list] as unknown[])] })) },
    { name: `"${next}" a number`, answer: json((p) => ({ ...p, [next]: 2 })) },
    { name: `"${next}" an object`, answer: json((p) => ({ ...p, [next]: { link: p[next] } })) },
    { name: `"${next}" an array`, answer: json((p) => ({ ...p, [next]: [p[next]] })) },
    { name: `"${next}" true`, answer: json((p) => ({ ...p, [next]: true })) },
  ]
  if (offHostNext) cases.push({ name: `"${next}" pointing off-host`, answer: json((p) => ({ ...p, [next]: offHostNext })) })
  return cases
}

/** Generated breakages of one page: any non-list for the list, any non-string for the paging token, any non-object item, any cut of the body. */
function pageFuzz(list: string, next: string): fc.Arbitrary<{ label: string; answer: Rewrite['answer'] }> {
  // As sent on the wire: NaN and Infinity become null, which means "absent" for a paging link.
  const onWire = (v: unknown): boolean => v !== undefined && JSON.stringify(v) !== 'null'
  const notArray = fc.anything().filter((v) => !Array.isArray(v) && onWire(v))
  const notString = fc.anything().filter((v) => typeof v !== 'string' && onWire(v))
  const notObject = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.anything()))
  return fc.oneof(
    notArray.map((v) => ({ label: 'list', answer: json((p) => ({ ...p, [list]: v })) })),
    notString.map((v) => ({ label: 'next', answer: json((p) => ({ ...p, [next]: v })) })),
    fc.tuple(notObject, fc.nat()).map(([v, at]) => ({ label: 'item', answer: json((p) => ({ ...p, [list]: (p[list] as unknown[]).toSpliced(at % PAGE, 0, v) })) })),
    fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((f) => ({ label: 'cut', answer: raw((b) => b.slice(0, Math.floor(b.length * f))) })),
  )
}

async function expectConnectorError(connector: DirectoryConnector, proxy: RewritingProxy, what: string): Promise<ConnectorError> {
  const error = await collectRead(connector).then(
    (r) => new Error(`${what}: the read succeeded with ${r.users.length} users`),
    (e: unknown) => e,
  )
  expect(proxy.served, `${what}: the broken page was never requested`).toBe(true)
  expect(error, `${what}: ${String(error)}`).toBeInstanceOf(ConnectorError)
  const e = error as ConnectorError
  expect(['malformed-data', 'protocol', 'incomplete-read'], `${what}: ${e.code} ${e.message}`).toContain(e.code)
  expect(e.message).not.toMatch(/at \w+ \(|node:internal|TypeError|undefined/)
  return e
}

interface Provider {
  readonly name: string
  readonly path: RegExp
  readonly engineNth: number
  readonly list: string
  readonly next: string
  readonly offHostNext: string | null
  /** The API leaves an empty list out of a page (Google), so a page without one is valid. */
  readonly emptyListOmitted: boolean
  readonly secret: string
  config(proxyUrl: string): IntegrationConfig
  start(): Promise<{ url: string; close(): Promise<void> }>
}

const app = { clientId: '0a1b2c3d-1111-4222-8333-444455556666', clientSecret: 'emulator-only~secret', roles: ['User.Read.All', 'Group.Read.All'] }
const { key, publicKeyPem } = createServiceAccountKey('dirsync-reader')
const scopes = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly']
let entraUrl = ''
let googleUrl = ''

const providers: Provider[] = [
  {
    name: 'Microsoft Graph',
    path: /^\/v1\.0\/users(\/delta)?$/,
    // The engine's second read is a delta read: its first users page is the one to break.
    engineNth: 1,
    list: 'value',
    next: '@odata.nextLink',
    offHostNext: 'https://graph.attacker.example/v1.0/users?$skiptoken=x',
    emptyListOmitted: false,
    secret: app.clientSecret,
    // Sign-in straight at the emulator; Graph through the proxy.
    config: (proxyUrl) => ({ type: 'entra', settings: { tenantId: 'contoso.onmicrosoft.com', clientId: app.clientId, authorityHost: entraUrl, graphEndpoint: proxyUrl, caCertificatePem: pki.caCertPem, pageSize: PAGE } }) as IntegrationConfig,
    start: async () => {
      const e = await new EntraEmulator({ tls, tenantId: '5f1c2a9e-0d3b-4c7e-9a51-2b8e6f4d7c10', tenantDomain: 'contoso.onmicrosoft.com', model, apps: [app] }).start()
      entraUrl = e.url
      return e
    },
  },
  {
    name: 'Google Directory API',
    path: /^\/admin\/directory\/v1\/users$/,
    engineNth: 2,
    list: 'users',
    next: 'nextPageToken',
    // Google pages carry a token, not a link: nothing to point elsewhere.
    offHostNext: null,
    emptyListOmitted: true,
    secret: JSON.stringify(key),
    config: (proxyUrl) => ({ type: 'google', settings: { adminEmail: `admin@${model.domain}`, rootUrl: `${proxyUrl}/`, tokenUrl: `${googleUrl}/token`, caCertificatePem: pki.caCertPem, pageSize: PAGE } }),
    start: async () => {
      const g = await new GoogleEmulator({ tls, model, customerId: 'C03az79cb', serviceAccounts: [{ clientEmail: key.client_email, publicKeyPem, delegatedScopes: scopes }] }).start()
      googleUrl = g.url
      return g
    },
  },
]

afterAll(() => {
  console.info(`malformed cloud pages:\n  ${figures.join('\n  ')}`)
  tmp.remove()
})

for (const provider of providers) {
  describe(`${provider.name}: a malformed page of users`, () => {
    let emulator: { url: string; close(): Promise<void> }
    let proxy: RewritingProxy
    const connector = (): DirectoryConnector => {
      const c = provider.config(proxy.url)
      return c.type === 'entra' ? createEntraConnector(EntraConfigSchema.parse(c.settings), provider.secret) : createGoogleConnector(GoogleConfigSchema.parse(c.settings), provider.secret)
    }
    const cases = [...transportCases, ...listCases(provider.list, provider.next, provider.offHostNext, provider.emptyListOmitted)]

    beforeAll(async () => {
      emulator = await provider.start()
      proxy = await startRewritingProxy({ target: emulator.url, certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, caPem: pki.caCertPem })
    })
    afterAll(async () => {
      await proxy.close()
      await emulator.close()
    })

    it('reads every user through the proxy when nothing is rewritten, and when a page only has extra fields', async () => {
      proxy.set(null)
      expect((await collectRead(connector())).users).toHaveLength(USERS)
      proxy.set({ path: provider.path, answer: json((p) => ({ ...p, extra: { nested: [1, 'two'] }, '@odata.count': 'many', [provider.list]: (p[provider.list] as Record<string, unknown>[]).map((u) => ({ ...u, unexpected: [null] })) })) })
      expect((await collectRead(connector())).users).toHaveLength(USERS)
      expect(proxy.served).toBe(true)
    })

    it(`each hand-picked broken page ends the read with a ConnectorError`, async () => {
      const codes: Record<string, number> = {}
      for (const c of cases) {
        proxy.set({ path: provider.path, answer: c.answer })
        const e = await expectConnectorError(connector(), proxy, c.name)
        codes[e.code] = (codes[e.code] ?? 0) + 1
      }
      recordFigures(`${provider.name} pages, hand-picked`, { invalidInputsTried: cases.length })
      figures.push(`${provider.name}: ${cases.length} hand-picked broken pages → ConnectorError ${JSON.stringify(codes)}`)
    })

    it('100 generated broken pages (wrong list, wrong paging token, non-object item, cut body) each end the read with a ConnectorError', async () => {
      let tried = 0
      await fc.assert(
        fc.asyncProperty(pageFuzz(provider.list, provider.next), async ({ label, answer }) => {
          tried++
          proxy.set({ path: provider.path, answer })
          await expectConnectorError(connector(), proxy, label)
        }),
        { numRuns: 100 },
      )
      recordFigures(`${provider.name} pages, generated`, { invalidInputsTried: tried })
      figures.push(`${provider.name}: ${tried} generated broken pages → ConnectorError, 0 crashes, 0 shorter reads`)
    }, 120_000)

    it('through the engine: each broken page leaves the integration in error with its snapshot and the account unchanged', async () => {
      const dir = join(tmp.path, provider.name.replaceAll(' ', '-'))
      const db = openDatabase(dir)
      try {
        const core = createCore({ db, dataDir: dir, secrets: createEncryptedFileSecretStore(dir, 'test-passphrase'), settings: createSettingsStore(memoryBackend()), actor: 'test-admin' })
        proxy.set(null)
        const target = await core.createIntegration({ name: provider.name, description: '', config: provider.config(proxy.url), policy: {}, enabled: true, secret: provider.secret })
        const first = await core.runSync('all', 'manual')
        expect(first.outcome, first.errors.join(' ')).toBe('success')
        const good = core.getIntegration(target.id).snapshot
        expect(good?.users).toBe(USERS)
        const before = dumpAccount(db)
        for (const c of cases) {
          proxy.set({ path: provider.path, nth: provider.engineNth, answer: c.answer })
          await core.runSync('all', 'manual')
          expect(proxy.served, c.name).toBe(true)
          const after = core.getIntegration(target.id)
          expect(after.status, c.name).toBe('error')
          expect(after.statusReason, c.name).toMatch(/\S/)
          expect(after.snapshot, c.name).toEqual(good)
          expect(dumpAccount(db), c.name).toEqual(before)
        }
        figures.push(`${provider.name}: ${cases.length} broken pages through the engine → integration error, snapshot and account unchanged`)
      } finally {
        db.close()
      }
    }, 120_000)
  })
}
