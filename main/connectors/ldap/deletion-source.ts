import { type Client, Control, type Filter } from 'ldapts'
import type { KnownIds } from '../directory-connector.ts'
import { type RawEntry, firstString, scopedIdOf } from './ldap-mapping.ts'
import type { LdapReadPlan } from './ldap-read-plan.ts'
import type { PageReader } from './page-reader.ts'

/** LDAP_SERVER_SHOW_DELETED_OID: lets a search see tombstones in CN=Deleted Objects. */
export const SHOW_DELETED_OID = '1.2.840.113556.1.4.417'

/** The well-known GUID of a domain's Deleted Objects container (its name is localised on some DCs). */
const DELETED_OBJECTS_WKGUID = '18e2ea80684f11d2b9aa00c04f79f805'

/**
 * How an incremental read learns what was deleted:
 * - `tombstones` (AD, when the bind account may list CN=Deleted Objects): the tombstones changed
 *   since the cursor — a search that returns only what was deleted.
 * - `id-enumeration` (AD bound as an ordinary user, generic LDAP, Domino): every id in scope is
 *   listed (the id attribute only, paged) and the snapshot's ids that are missing are deleted.
 */
export type DeletionMethod = 'tombstones' | 'id-enumeration'

/** What Test Connection and the read detail say about the method, and the right that would make it cheaper. */
export interface DeletionSource {
  readonly method: DeletionMethod
  /** Plain language, for the read detail and the ladder. */
  readonly description: string
  /** The right that would let the reads use the cheaper method; null when already used or none exists. */
  readonly cheaperWith: string | null
}

/** The right that makes AD's tombstones visible, and how an admin grants it. */
export const TOMBSTONE_RIGHT =
  'List Contents and Read Property on CN=Deleted Objects for the bind account (as a domain admin: `dsacls "CN=Deleted Objects,<domain DN>" /takeownership`, then `dsacls "CN=Deleted Objects,<domain DN>" /G <DOMAIN>\\<account>:LCRP`)'

/**
 * Whether the bind account can see AD's tombstones. Active Directory does not refuse a search of
 * CN=Deleted Objects by an ordinary user: it answers with nothing (Windows) or with the container
 * stripped of its attributes (Samba). So the test is whether the container's own `isDeleted`
 * (TRUE on every DC) is readable with the show-deleted control.
 */
export async function canSeeTombstones(client: Client, domainDn: string): Promise<boolean> {
  try {
    const result = await client.search(`<WKGUID=${DELETED_OBJECTS_WKGUID},${domainDn}>`, { scope: 'base', filter: '(objectClass=*)', attributes: ['isDeleted'] }, [new Control(SHOW_DELETED_OID)])
    const container: RawEntry | undefined = result.searchEntries[0]
    return container !== undefined && firstString(container, 'isDeleted')?.toUpperCase() === 'TRUE'
  } catch {
    // noSuchObject or insufficientAccessRights: not visible to this account.
    return false
  }
}

export function deletionSource(plan: LdapReadPlan, tombstonesVisible: boolean): DeletionSource {
  const id = plan.map.externalId
  if (plan.preset.changeTracking === 'usn') {
    return tombstonesVisible
      ? { method: 'tombstones', description: 'deletions from the tombstones in CN=Deleted Objects (the bind account may list them)', cheaperWith: null }
      : {
          method: 'id-enumeration',
          description: `deletions found by listing every ${id} in scope and comparing with the snapshot (the bind account cannot list CN=Deleted Objects)`,
          cheaperWith: TOMBSTONE_RIGHT,
        }
  }
  return {
    method: 'id-enumeration',
    description: `deletions found by listing every ${id} in scope and comparing with the snapshot (this directory keeps no record of deletions)`,
    cheaperWith: null,
  }
}

/** The ids of the entries a filter selects that the mapping would keep (Domino's opt-out honoured). */
export async function idsInScope(reader: PageReader, plan: LdapReadPlan, filter: Filter): Promise<Set<string>> {
  const attributes = [plan.map.externalId]
  if (plan.mapping.honourForeignDirectorySync && plan.map.foreignDirectorySync) attributes.push(plan.map.foreignDirectorySync)
  const ids = new Set<string>()
  for await (const page of reader.search(plan.settings.baseDn, filter, attributes)) {
    for (const entry of page) {
      const id = scopedIdOf(entry, plan.mapping)
      if (id !== null) ids.add(id)
    }
  }
  return ids
}

/** The snapshot's ids that the enumeration did not find. */
export function missingIds(known: KnownIds, present: { readonly users: ReadonlySet<string>; readonly groups: ReadonlySet<string> }): { userIds: string[]; groupIds: string[] } {
  return { userIds: known.users.filter((id) => !present.users.has(id)), groupIds: known.groups.filter((id) => !present.groups.has(id)) }
}
