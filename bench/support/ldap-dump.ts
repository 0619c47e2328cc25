import { stat } from 'node:fs/promises'
import path from 'node:path'
import { filterText } from '../../main/connectors/ldap/ldap-filters.ts'
import { resolvePlan } from '../../main/connectors/ldap/ldap-read-plan.ts'
import { groupAttributes, userAttributes } from '../../main/connectors/ldap/ldap-presets.ts'
import { LdapConfigSchema } from '../../shared/domain/integration-config.ts'
import type { BenchSlapd } from './bench-slapd.ts'
import { megabytes } from './measure.ts'
import { timed } from './timed-process.ts'

/** The LDAP integration the benches configure: plain LDAP on loopback, every other setting at its default. */
export function benchLdapSettings(slapd: BenchSlapd): Record<string, unknown> {
  return { host: '127.0.0.1', port: slapd.port, encryption: 'none', bindDn: slapd.adminDn, baseDn: slapd.baseDn }
}

/** One search the way the connector's full read asks for it: filter, attributes, page size. */
export interface ConnectorSearch {
  readonly filter: string
  readonly attributes: readonly string[]
  readonly pageSize: number
}

/**
 * The user and group searches of the connector's full read with these settings, derived from the
 * connector's own plan (preset filters, mapped attributes, default page size), so the dump asks
 * the server for exactly what the connector asks for. A full read also asks for modifyTimestamp
 * where changes are tracked by time (page-reader.ts), to start the next incremental read from.
 */
export function connectorSearches(settings: Record<string, unknown>): { users: ConnectorSearch; groups: ConnectorSearch } {
  const plan = resolvePlan('ldap', LdapConfigSchema.parse(settings))
  const tracked = plan.preset.changeTracking === 'timestamp' ? ['modifyTimestamp'] : []
  const pageSize = plan.settings.pageSize
  return {
    users: { filter: filterText(plan.userFilter), attributes: [...userAttributes(plan.map), ...tracked], pageSize },
    groups: { filter: filterText(plan.groupFilter), attributes: [...groupAttributes(plan.map), ...tracked], pageSize },
  }
}

export interface DumpMeasurement {
  /** From the start of both searches to the end of the later one. */
  readonly seconds: number
  readonly usersSeconds: number
  readonly groupsSeconds: number
  /** User + system CPU of both ldapsearch processes. */
  readonly cpuSeconds: number
  /** Both processes' peaks added: they run at the same time. */
  readonly peakRssMb: number
  readonly outputMb: number
}

/**
 * The physical limit of a read: two `ldapsearch` paged dumps, users and groups at the same time
 * (as the connector reads them on two connections), asking for exactly the connector's attributes
 * at its page size, written to files in `outDir` (a client has to put the data somewhere).
 */
export async function dumpDirectory(slapd: BenchSlapd, outDir: string): Promise<DumpMeasurement> {
  const searches = connectorSearches(benchLdapSettings(slapd))
  const one = (search: ConnectorSearch, file: string) =>
    timed('ldapsearch', ['-x', '-LLL', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword, '-b', slapd.baseDn, '-E', `pr=${search.pageSize}/noprompt`, search.filter, ...search.attributes], {
      stdoutFile: path.join(outDir, file),
    })
  const started = performance.now()
  const [users, groups] = await Promise.all([one(searches.users, 'users.ldif'), one(searches.groups, 'groups.ldif')])
  const seconds = (performance.now() - started) / 1000
  const output = (await stat(path.join(outDir, 'users.ldif'))).size + (await stat(path.join(outDir, 'groups.ldif'))).size
  return {
    seconds,
    usersSeconds: users.wallSeconds,
    groupsSeconds: groups.wallSeconds,
    cpuSeconds: users.cpuSeconds + groups.cpuSeconds,
    peakRssMb: users.peakRssMb + groups.peakRssMb,
    outputMb: megabytes(output),
  }
}

