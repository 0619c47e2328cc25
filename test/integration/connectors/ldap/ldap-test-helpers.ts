import { Client } from 'ldapts'
import type { DirectoryGroup, DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import { type LdapConfig, LdapConfigSchema } from '../../../../shared/domain/integration-config.ts'
import type { ReadSummary } from '../../../../main/connectors/directory-connector.ts'
import type { DirectoryConnector } from '../../../../main/connectors/directory-connector.ts'
import type { SambaAdDetails, SlapdDetails } from '../../../servers/ldap-test-servers.ts'

export interface ReadResult {
  readonly users: DirectoryUser[]
  readonly groups: DirectoryGroup[]
  readonly deletedUserIds: string[]
  readonly deletedGroupIds: string[]
  readonly summary: ReadSummary
  readonly batches: number
}

/**
 * Drains a connector read the way the engine does, keeping everything. `snapshot`: the read an
 * incremental one builds on (its ids are what an id-enumerating read compares with).
 */
export async function readAll(connector: DirectoryConnector, cursor: string | null = null, incrementalRunsSinceFull = 0, snapshot?: Pick<ReadResult, 'users' | 'groups'>): Promise<ReadResult> {
  const users: DirectoryUser[] = []
  const groups: DirectoryGroup[] = []
  const deletedUserIds: string[] = []
  const deletedGroupIds: string[] = []
  let batches = 0
  const knownIds = snapshot ? () => ({ users: snapshot.users.map((u) => u.externalId), groups: snapshot.groups.map((g) => g.externalId) }) : undefined
  const generator = connector.read({ cursor, incrementalRunsSinceFull, signal: new AbortController().signal, knownIds })
  for (;;) {
    const next = await generator.next()
    if (next.done) return { users, groups, deletedUserIds, deletedGroupIds, summary: next.value, batches }
    batches++
    const batch = next.value
    if (batch.kind === 'users') users.push(...batch.users)
    else if (batch.kind === 'groups') groups.push(...batch.groups)
    else {
      deletedUserIds.push(...batch.userIds)
      deletedGroupIds.push(...batch.groupIds)
    }
  }
}

export function slapdSettings(slapd: SlapdDetails, overrides: Partial<LdapConfig> = {}): LdapConfig {
  return LdapConfigSchema.parse({
    host: slapd.host,
    port: slapd.port,
    encryption: 'starttls',
    caCertificatePem: slapd.caPem,
    // The non-root reader: slapd caps its unpaged searches at 1,000 entries, so only paging reads all.
    bindDn: slapd.readerDn,
    baseDn: slapd.baseDn,
    timeoutSeconds: 10,
    ...overrides,
  })
}

export function sambaSettings(ad: SambaAdDetails, overrides: Partial<LdapConfig> = {}): LdapConfig {
  return LdapConfigSchema.parse({
    host: ad.host,
    encryption: 'ldaps',
    caCertificatePem: ad.caPem,
    bindDn: ad.adminUpn,
    baseDn: ad.corpDn,
    timeoutSeconds: 10,
    ...overrides,
  })
}

/** An admin connection for changing the directory under test. */
export async function adminClient(url: string, bindDn: string, password: string, ca?: string): Promise<Client> {
  const client = new Client({ url, tlsOptions: ca ? { ca: [ca] } : undefined, timeout: 20_000 })
  await client.bind(bindDn, password)
  return client
}

export function byName<T extends { name: string }>(items: readonly T[], name: string): T {
  const found = items.find((i) => i.name === name)
  if (!found) throw new Error(`no ${name}`)
  return found
}
