import type { TestProject } from 'vitest/node'
import { EntraEmulator } from '../emulators/entra-emulator.ts'
import { GoogleEmulator } from '../emulators/google-emulator.ts'
import { generateOrgModel, type OrgModel } from '../emulators/org-model.ts'
import { createServiceAccountKey, createTestPki, type ServiceAccountKey, type TestPki } from '../emulators/test-pki.ts'
import { setupLdapServers, type SambaAdDetails, type SlapdDetails } from '../servers/ldap-test-servers.ts'
import { startHost, test as base, type ConsoleHost } from './fixtures.ts'

/**
 * The real directories the integration-type specs create integrations against, as Playwright
 * worker fixtures: each is started the first time a test asks for it and stopped (by PID, through
 * the same scripts and wrappers as the vitest integration suite) when the worker ends — also when a
 * test failed, since Playwright then tears the worker down. A spec that does not ask starts nothing.
 */

/** Passphrase of the host's encrypted headless secret store (test-only; the host has no keychain). */
const SECRET_KEY = 'e2e-integration-types-secret-store-key'
/** Emulated cloud directories: small enough to sync in seconds, large enough to page (Graph 100/page, Google 200/page). */
export const CLOUD_SEED = { users: 450, groups: 14 } as const

export interface LdapServers {
  readonly slapd: SlapdDetails
  readonly sambaAd: SambaAdDetails
}

export interface EntraDirectory {
  readonly url: string
  readonly caPem: string
  readonly tenantId: string
  readonly clientId: string
  readonly clientSecret: string
  readonly model: OrgModel
}

export interface GoogleDirectory {
  readonly url: string
  readonly caPem: string
  readonly customerId: string
  readonly adminEmail: string
  readonly key: ServiceAccountKey
  readonly model: OrgModel
}

interface WorkerFixtures {
  ldapServers: LdapServers
  pki: TestPki
  entraDirectory: EntraDirectory
  googleDirectory: GoogleDirectory
}

/** `secretHost`: a fresh, empty browser host whose secret store can write. */
export const test = base.extend<{ secretHost: ConsoleHost }, WorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern
  secretHost: async ({}, use) => {
    const { host, stop } = await startHost({ demo: false, env: { DIRSYNC_SECRET_KEY: SECRET_KEY } })
    await use(host)
    await stop()
  },

  // slapd (≈ 5 s) and Samba AD (≈ 20–40 s on two shared cores) start in parallel, once per worker.
  // setupLdapServers hands its details to vitest's `provide`; this collects them instead, and its
  // teardown stops both by PID (Samba's loopback address is removed again).
  ldapServers: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const provided: Record<string, unknown> = {}
      const project = { provide: (key: string, value: unknown) => void (provided[key] = value) } as unknown as TestProject
      const teardown = await setupLdapServers(project)
      try {
        await use({ slapd: provided['slapd'] as SlapdDetails, sambaAd: provided['sambaAd'] as SambaAdDetails })
      } finally {
        await teardown()
      }
    },
    { scope: 'worker', timeout: 240_000 },
  ],

  pki: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use(createTestPki())
    },
    { scope: 'worker' },
  ],

  entraDirectory: [
    async ({ pki }, use) => {
      const tenantId = '3f1e2d4c-5b6a-4789-8a0b-1c2d3e4f5a6b'
      const app = { clientId: '9a8b7c6d-1111-4222-8333-444455556666', clientSecret: 'e2e~entra~Client-Secret~4711' }
      const model = generateOrgModel({ users: CLOUD_SEED.users, groups: CLOUD_SEED.groups })
      const emulator = await new EntraEmulator({
        tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
        tenantId,
        tenantDomain: 'northwind.onmicrosoft.com',
        model,
        apps: [{ ...app, roles: ['User.Read.All', 'Group.Read.All'] }],
      }).start()
      try {
        await use({ url: emulator.url, caPem: pki.caCertPem, tenantId, ...app, model })
      } finally {
        await emulator.close()
      }
    },
    { scope: 'worker' },
  ],

  googleDirectory: [
    async ({ pki }, use) => {
      const customerId = 'C02e2etest'
      const account = createServiceAccountKey('dirsync-e2e')
      const model = generateOrgModel({ users: CLOUD_SEED.users, groups: CLOUD_SEED.groups })
      const scopes = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly']
      const emulator = await new GoogleEmulator({
        tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem },
        model,
        customerId,
        serviceAccounts: [{ clientEmail: account.key.client_email, publicKeyPem: account.publicKeyPem, delegatedScopes: scopes }],
      }).start()
      try {
        await use({ url: emulator.url, caPem: pki.caCertPem, customerId, adminEmail: `admin@${model.domain}`, key: account.key, model })
      } finally {
        await emulator.close()
      }
    },
    { scope: 'worker' },
  ],
})

export { expect } from './fixtures.ts'
