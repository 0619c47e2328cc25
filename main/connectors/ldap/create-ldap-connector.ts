import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import type { DirectoryConnector } from '../directory-connector.ts'
import { toConnectorError } from './ldap-errors.ts'
import { matchingAny } from './ldap-filters.ts'
import { mailAddress } from '../../directory-rules/email-address.ts'
import { type RawEntry, mapUser } from './ldap-mapping.ts'
import { type LdapFlavour, userAttributes } from './ldap-presets.ts'
import { runConnectionTest } from './ldap-connection-test.ts'
import { type LdapReadPlan, resolvePlan } from './ldap-read-plan.ts'
import { readDirectory } from './ldap-reader.ts'
import { openSession } from './ldap-session.ts'

export interface LdapConnectorOptions {
  /**
   * AD range retrieval step (values per request) — null/absent: plain `member`, following the
   * server's own ranges (Windows: 1,500). Tests set a small step to exercise the continuation
   * path, which Samba never forces.
   */
  readonly memberRangeStep?: number | null
}

/** An LDAP-family connector; `lookupUser` is an extra for the console's "find a user" check. */
export interface LdapDirectoryConnector extends DirectoryConnector {
  /** The user whose mail/alias is exactly `address` (matched literally: no wildcards, no filter syntax). */
  lookupUser(address: string, signal: AbortSignal): Promise<DirectoryUser | null>
}

/** One LDAP connector (ldapts), three presets: Active Directory, generic LDAP, Domino Directory. */
export function createLdapConnector(type: LdapFlavour, settings: LdapConfig, secret: string | null, options: LdapConnectorOptions = {}): LdapDirectoryConnector {
  // Resolved on first use, so a malformed filter surfaces as a 'config' failure of the test or read.
  let resolved: LdapReadPlan | undefined
  const getPlan = () => (resolved ??= resolvePlan(type, settings, options.memberRangeStep ?? null))
  return {
    testConnection: async (signal, onStep) => runConnectionTest(getPlan(), secret, signal, onStep),
    read: async function* (readOptions) {
      return yield* readDirectory(getPlan(), secret, readOptions)
    },
    lookupUser: async (address, signal) => {
      const plan = getPlan()
      const wanted = mailAddress(address) ?? address
      const { map } = plan
      const clauses = [
        { attribute: map.mail, value: address },
        { attribute: map.aliases, value: address },
        // proxyAddresses matching is case-insensitive in AD, so one clause covers SMTP: and smtp:.
        { attribute: map.proxyAddresses, value: `smtp:${address}` },
      ]
      const session = await openSession(settings, secret, signal)
      try {
        const result = await session.client.search(settings.baseDn, {
          scope: 'sub',
          filter: matchingAny(plan.userFilter, clauses),
          attributes: userAttributes(map),
          explicitBufferAttributes: plan.preset.binaryAttributes.flatMap((a) => [a, a.toLowerCase()]),
          sizeLimit: 2,
        })
        for (const entry of result.searchEntries as RawEntry[]) {
          const mapped = mapUser(entry, plan.mapping)
          if ('user' in mapped && (mapped.user.primaryAddress === wanted || mapped.user.aliases.includes(wanted))) return mapped.user
        }
        return null
      } catch (error) {
        throw toConnectorError(error, { host: session.host, port: session.port, phase: 'base-read', baseDn: settings.baseDn })
      } finally {
        await session.close()
      }
    },
  }
}
