import type { admin_directory_v1 } from '@googleapis/admin'
import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'

/** Directory API user → DirectoryUser. Suspended users are read as disabled; aliases exclude the primary. */
export function mapGoogleUser(user: admin_directory_v1.Schema$User): DirectoryUser | null {
  // The response is JSON from the wire: its types are checked here, not trusted (a wrongly typed
  // field skips the user or is ignored, instead of a TypeError halfway through a page).
  if (typeof user.id !== 'string' || user.id === '' || typeof user.primaryEmail !== 'string' || !user.primaryEmail.includes('@')) return null
  const primary = user.primaryEmail.toLowerCase()
  const attributes: Record<string, string> = {}
  if (typeof user.orgUnitPath === 'string' && user.orgUnitPath) attributes['orgUnitPath'] = user.orgUnitPath
  const fullName: unknown = user.name?.fullName
  return {
    externalId: user.id,
    primaryAddress: primary,
    aliases: googleAliases(user, primary),
    displayName: typeof fullName === 'string' ? fullName : primary,
    enabled: user.suspended !== true && user.archived !== true,
    attributes,
  }
}

/** `aliases` and `nonEditableAliases` (e.g. the test-google-a.com ones) of a user or group, lower-cased, without the primary, sorted. */
export function googleAliases(entry: { aliases?: unknown; nonEditableAliases?: unknown }, primary: string | null): string[] {
  const aliases = new Set<string>()
  for (const a of [...strings(entry.aliases), ...strings(entry.nonEditableAliases)]) {
    const address = a.toLowerCase()
    if (address !== primary && address.includes('@')) aliases.add(address)
  }
  return [...aliases].sort()
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
