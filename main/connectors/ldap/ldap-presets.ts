/**
 * What each directory flavour calls things: default filters and the attribute behind every value
 * the connector maps. Admins override attribute names per integration (`attributeMap`, keyed by
 * the logical names below, e.g. { "mail": "mailPrimaryAddress" }); only mapped attributes are
 * ever requested from the server.
 */

export type LdapFlavour = 'active-directory' | 'ldap' | 'domino'

export interface LdapAttributeMap {
  /** Stable id: objectGUID (AD, binary), entryUUID (OpenLDAP), dominoUNID (Domino). */
  readonly externalId: string
  /** Primary address; for OpenLDAP/Domino the first value is primary and the rest are aliases. */
  readonly mail: string
  /** Extra alias addresses (mailLocalAddress on OpenLDAP); empty = none. AD uses proxyAddresses instead. */
  readonly aliases: string
  /** AD only: SMTP:/smtp: typed addresses. */
  readonly proxyAddresses: string
  readonly displayName: string
  readonly commonName: string
  readonly givenName: string
  readonly surname: string
  /** Log-on name: sAMAccountName, uid, ShortName. Also what posixGroup memberUid values refer to. */
  readonly login: string
  readonly title: string
  readonly department: string
  /** AD only: bit 2 (ACCOUNTDISABLE) = disabled. */
  readonly userAccountControl: string
  readonly groupName: string
  readonly groupMail: string
  /** DN-valued member attributes (groupOfNames member, groupOfUniqueNames uniqueMember). */
  readonly member: string
  readonly uniqueMember: string
  /** posixGroup memberUid (values are log-on names, not DNs); empty = not read. */
  readonly memberUid: string
  /** Domino "Allow Foreign Directory Synchronization" item; empty = not read. */
  readonly foreignDirectorySync: string
}

export type LdapAttributeKey = keyof LdapAttributeMap

export interface LdapPreset {
  readonly flavour: LdapFlavour
  readonly label: string
  readonly userFilter: string
  readonly groupFilter: string
  readonly attributes: LdapAttributeMap
  /** Binary attributes ldapts must hand back as Buffers. */
  readonly binaryAttributes: readonly string[]
  /** How incremental reads find changes: AD update sequence numbers, or modifyTimestamp. */
  readonly changeTracking: 'usn' | 'timestamp'
}

const NONE = ''

export const LDAP_PRESETS: Readonly<Record<LdapFlavour, LdapPreset>> = {
  'active-directory': {
    flavour: 'active-directory',
    label: 'Active Directory',
    userFilter: '(&(objectCategory=person)(objectClass=user))',
    groupFilter: '(objectClass=group)',
    attributes: {
      externalId: 'objectGUID',
      mail: 'mail',
      aliases: NONE,
      proxyAddresses: 'proxyAddresses',
      displayName: 'displayName',
      commonName: 'cn',
      givenName: 'givenName',
      surname: 'sn',
      login: 'sAMAccountName',
      title: 'title',
      department: 'department',
      userAccountControl: 'userAccountControl',
      groupName: 'cn',
      groupMail: 'mail',
      member: 'member',
      uniqueMember: NONE,
      memberUid: NONE,
      foreignDirectorySync: NONE,
    },
    binaryAttributes: ['objectGUID'],
    changeTracking: 'usn',
  },
  ldap: {
    flavour: 'ldap',
    label: 'LDAP',
    userFilter: '(objectClass=inetOrgPerson)',
    groupFilter: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))',
    attributes: {
      externalId: 'entryUUID',
      mail: 'mail',
      aliases: 'mailLocalAddress',
      proxyAddresses: NONE,
      displayName: 'displayName',
      commonName: 'cn',
      givenName: 'givenName',
      surname: 'sn',
      login: 'uid',
      title: 'title',
      department: 'departmentNumber',
      userAccountControl: NONE,
      groupName: 'cn',
      groupMail: 'mail',
      member: 'member',
      uniqueMember: 'uniqueMember',
      memberUid: 'memberUid',
      foreignDirectorySync: NONE,
    },
    binaryAttributes: [],
    changeTracking: 'timestamp',
  },
  domino: {
    flavour: 'domino',
    label: 'Domino Directory',
    userFilter: '(objectClass=dominoPerson)',
    groupFilter: '(objectClass=dominoGroup)',
    attributes: {
      externalId: 'dominoUNID',
      mail: 'mail',
      aliases: NONE,
      proxyAddresses: NONE,
      displayName: 'displayName',
      commonName: 'cn',
      givenName: 'givenName',
      surname: 'sn',
      login: 'ShortName',
      title: 'title',
      department: 'department',
      userAccountControl: NONE,
      groupName: 'cn',
      groupMail: 'mail',
      member: 'member',
      uniqueMember: NONE,
      memberUid: NONE,
      // The Person/Group document item behind "Allow Foreign Directory Synchronization" as Domino's
      // LDAP task publishes it (overridable: attributeMap.foreignDirectorySync).
      foreignDirectorySync: 'AllowForeignDirSync',
    },
    binaryAttributes: [],
    changeTracking: 'timestamp',
  },
}

const KEYS = Object.keys(LDAP_PRESETS.ldap.attributes) as LdapAttributeKey[]

/** The preset's attribute map with the admin's overrides applied; unknown keys are reported, not ignored silently. */
export function resolveAttributeMap(flavour: LdapFlavour, overrides: Readonly<Record<string, string>>): { map: LdapAttributeMap; unknownKeys: string[] } {
  const map: Record<string, string> = { ...LDAP_PRESETS[flavour].attributes }
  const unknownKeys: string[] = []
  for (const [key, value] of Object.entries(overrides)) {
    if ((KEYS as string[]).includes(key)) map[key] = value.trim()
    else unknownKeys.push(key)
  }
  return { map: map as unknown as LdapAttributeMap, unknownKeys }
}

/** The attributes a user search asks for: only what is mapped (never `*`). */
export function userAttributes(map: LdapAttributeMap): string[] {
  return unique([map.externalId, map.mail, map.aliases, map.proxyAddresses, map.displayName, map.commonName, map.givenName, map.surname, map.login, map.title, map.department, map.userAccountControl, map.foreignDirectorySync])
}

/** The attributes a group search asks for. `memberAttribute` may carry a range option (AD). */
export function groupAttributes(map: LdapAttributeMap, memberAttribute: string = map.member): string[] {
  return unique([map.externalId, map.groupName, map.groupMail, map.proxyAddresses, memberAttribute, map.uniqueMember, map.memberUid, map.foreignDirectorySync])
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const name of names) {
    if (!name) continue
    const key = name.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(name)
  }
  return out
}
