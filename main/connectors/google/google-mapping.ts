import type { admin_directory_v1 } from '@googleapis/admin'
import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'

/** Directory API user → DirectoryUser. Suspended users are read as disabled; aliases exclude the primary. */
export function mapGoogleUser(user: admin_directory_v1.Schema$User): DirectoryUser | null {
  if (!user.id || !user.primaryEmail) return null
  const primary = user.primaryEmail.toLowerCase()
  const aliases = new Set<string>()
  for (const a of [...(user.aliases ?? []), ...(user.nonEditableAliases ?? [])]) {
    const address = a.toLowerCase()
    if (address !== primary) aliases.add(address)
  }
  const attributes: Record<string, string> = {}
  if (user.orgUnitPath) attributes['orgUnitPath'] = user.orgUnitPath
  return {
    externalId: user.id,
    primaryAddress: primary,
    aliases: [...aliases].sort(),
    displayName: user.name?.fullName ?? primary,
    enabled: user.suspended !== true && user.archived !== true,
    attributes,
  }
}
