import { writeFile } from 'node:fs/promises'
import { writeFileSync } from 'node:fs'

/** A user as a test writes it: the uid names it (its DN is `uid=<uid>,ou=people,dc=example,dc=org`). */
export interface LdifUser {
  readonly uid: string
  readonly mail: string
  readonly aliases?: readonly string[]
  readonly displayName?: string
  /** Written as userAccountControl 514 (ACCOUNTDISABLE) instead of 512. */
  readonly disabled?: boolean
  readonly department?: string
}

/** A group: members are user uids; with `mail` it is one group across integrations (keyed by address). */
export interface LdifGroup {
  readonly cn: string
  readonly mail?: string
  readonly members: readonly string[]
}

export interface LdifOrg {
  readonly users: readonly LdifUser[]
  readonly groups?: readonly LdifGroup[]
}

const BASE = 'dc=example,dc=org'
export const userDn = (uid: string): string => `uid=${uid},ou=people,${BASE}`

/** A slapcat-style LDIF export of the organisation, as the ldif-file connector reads it. */
export function ldifText(org: LdifOrg): string {
  const out: string[] = []
  for (const u of org.users) {
    out.push(`dn: ${userDn(u.uid)}`, 'objectClass: inetOrgPerson', `uid: ${u.uid}`, `cn: ${u.displayName ?? u.uid}`, `sn: ${u.uid}`)
    if (u.displayName !== undefined) out.push(`displayName: ${u.displayName}`)
    out.push(`mail: ${u.mail}`)
    for (const alias of u.aliases ?? []) out.push(`mailLocalAddress: ${alias}`)
    if (u.department !== undefined) out.push(`department: ${u.department}`)
    out.push(`userAccountControl: ${u.disabled === true ? 514 : 512}`, '')
  }
  for (const g of org.groups ?? []) {
    out.push(`dn: cn=${g.cn},ou=groups,${BASE}`, 'objectClass: groupOfNames', `cn: ${g.cn}`)
    if (g.mail !== undefined) out.push(`mail: ${g.mail}`)
    for (const member of g.members) out.push(`member: ${userDn(member)}`)
    out.push('')
  }
  return out.join('\n')
}

export async function writeLdif(path: string, org: LdifOrg): Promise<void> {
  await writeFile(path, ldifText(org), 'utf8')
}

export function writeLdifSync(path: string, org: LdifOrg): void {
  writeFileSync(path, ldifText(org), 'utf8')
}

/** `count` users u00001@<domain>… in `groupCount` groups (user i in group i % groupCount), for sizeable runs. */
export function syntheticOrg(count: number, groupCount: number, domain = 'example.org', skip: ReadonlySet<number> = new Set()): LdifOrg {
  const users: LdifUser[] = []
  const members: string[][] = Array.from({ length: groupCount }, () => [])
  for (let i = 0; i < count; i++) {
    if (skip.has(i)) continue
    const uid = `u${String(i).padStart(5, '0')}`
    users.push({ uid, mail: `${uid}@${domain}`, displayName: `User ${i}` })
    members[i % groupCount]?.push(uid)
  }
  return { users, groups: members.map((m, g) => ({ cn: `group${g}`, mail: `group${g}@${domain}`, members: m })) }
}
