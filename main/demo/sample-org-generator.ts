/**
 * A made-up organisation written as `ldifde -f` writes an Active Directory export: `changetype: add`,
 * objectGUID as base64, non-ASCII names base64-encoded (dn:: and cn::), proxyAddresses with SMTP:/smtp:
 * and X500: entries, userAccountControl 512/514/66048, and long lines folded. Deterministic: the same
 * options always give the same bytes, so the committed sample can be regenerated and diffed.
 *
 * Used by scripts/generate-sample-org.ts (the bundled demo) and bench/ldif-read.ts (100k users).
 */
export interface SampleOrgOptions {
  /** Mail-enabled users (Default: 200). Two service accounts without mail and one computer come on top. */
  readonly users?: number
  /** Groups (Default: 20, at least 12): 8 departments, All Staff nesting them, Leadership nesting Executives, then project groups. */
  readonly groups?: number
  /** Users with userAccountControl 514 (disabled) (Default: 10). */
  readonly disabledUsers?: number
  /** Mail domain; the base DN is derived from it (Default: sample.example.com → DC=sample,DC=example,DC=com). */
  readonly domain?: string
  /** PRNG seed (Default: 2849, the LDIF RFC). */
  readonly seed?: number
  /** Line end (Default: '\n'; ldifde on Windows writes '\r\n'). */
  readonly lineEnd?: string
}

/** What the bundled sample holds, for the demo's texts; the tests check the file against literal numbers. */
export const SAMPLE_ORG_DOMAIN = 'sample.example.com'

const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Human Resources', 'Legal', 'Operations'] as const
const TITLES: Readonly<Record<(typeof DEPARTMENTS)[number], readonly string[]>> = {
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'Site Reliability Engineer', 'QA Engineer'],
  Sales: ['Account Executive', 'Sales Manager', 'Sales Development Representative'],
  Marketing: ['Marketing Specialist', 'Content Writer', 'Marketing Manager'],
  Finance: ['Accountant', 'Financial Analyst', 'Controller'],
  Support: ['Support Engineer', 'Support Team Lead'],
  'Human Resources': ['HR Generalist', 'Recruiter', 'HR Manager'],
  Legal: ['Counsel', 'Paralegal'],
  Operations: ['Office Manager', 'Facilities Coordinator', 'IT Administrator'],
}
const FIRST_NAMES = [
  'Alice', 'Bruno', 'Chloé', 'Daniel', 'Elena', 'Farid', 'Grace', 'Hiroshi', 'Ingrid', 'Jonas', 'Keisha', 'Liam', 'Marta', 'Nikhil',
  'Olivia', 'Pedro', 'Quinn', 'Rosa', 'Søren', 'Tariq', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoë', 'Amir', 'Beatriz', 'Conor',
  'Dmitri', 'Emma', 'Fatima', 'Gabriel', 'Hannah', 'Isaac', 'Julia', 'Kofi', 'Lena', 'Mateo', 'Noor',
] as const
const LAST_NAMES = [
  'Anderson', 'Bakker', 'Chen', 'Dubois', 'Eriksson', 'Fernández', 'García', 'Hughes', 'Ivanova', 'Jensen', 'Kowalski', 'Larsen',
  'Müller', 'Nakamura', 'Okafor', 'Patel', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Umarov', 'Varga', 'Williams', 'Xu', 'Yilmaz',
  'Zimmermann', 'Brennan', 'Costa', 'Dahl', 'Evans',
] as const
const PROJECT_GROUPS = [
  'Project Phoenix', 'Project Atlas', 'VPN Users', 'Remote Workers', 'London Office', 'Berlin Office', 'Social Club', 'Mentors',
  'Security Champions', 'Helpdesk Escalation', 'Board Observers', 'Wellbeing Team',
] as const

/** LDIF lines longer than this are folded (slapcat's and ldifde's habit of ~76–80 columns). */
const FOLD_WIDTH = 76

export function* generateSampleOrgLdif(options: SampleOrgOptions = {}): Generator<string, void, void> {
  const userCount = options.users ?? 200
  const groupCount = Math.max(12, options.groups ?? 20)
  const disabledCount = Math.min(userCount, options.disabledUsers ?? 10)
  const domain = options.domain ?? SAMPLE_ORG_DOMAIN
  const eol = options.lineEnd ?? '\n'
  const random = mulberry32(options.seed ?? 2849)
  const baseDn = domain
    .split('.')
    .map((part) => `DC=${part}`)
    .join(',')
  const netbios = (domain.split('.')[0] ?? 'SAMPLE').toUpperCase()

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const guid = () => Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256)))
  const entry = (lines: ReadonlyArray<readonly [string, string | Buffer]>) => `${eol}${lines.map(([name, value]) => ldifLine(name, value, eol)).join(eol)}${eol}`

  yield entry([
    ['dn', `OU=Staff,${baseDn}`], ['changetype', 'add'], ['objectClass', 'top'], ['objectClass', 'organizationalUnit'], ['ou', 'Staff'],
    ['objectGUID', guid()],
  ]).slice(eol.length) // ldifde starts the file with the first dn, records are separated by a blank line
  yield entry([['dn', `OU=Groups,${baseDn}`], ['changetype', 'add'], ['objectClass', 'top'], ['objectClass', 'organizationalUnit'], ['ou', 'Groups'], ['objectGUID', guid()]])

  // Disabled users are spread evenly through the file, not bunched at the start.
  const disabledEvery = disabledCount > 0 ? Math.floor(userCount / disabledCount) : 0
  const usedNames = new Set<string>()
  const usedMail = new Set<string>()
  const membersByDepartment = new Map<string, string[]>(DEPARTMENTS.map((department) => [department, []]))
  const allUserDns: string[] = []
  const executives: string[] = []

  for (let index = 0; index < userCount; index++) {
    const first = pick(FIRST_NAMES)
    const last = pick(LAST_NAMES)
    let cn = `${first} ${last}`
    for (let suffix = 2; usedNames.has(cn.toLowerCase()); suffix++) cn = `${first} ${last} ${suffix}`
    usedNames.add(cn.toLowerCase())
    let local = `${ascii(first)}.${ascii(last)}`
    for (let suffix = 2; usedMail.has(local); suffix++) local = `${ascii(first)}.${ascii(last)}${suffix}`
    usedMail.add(local)

    const department = DEPARTMENTS[index % DEPARTMENTS.length] ?? 'Operations'
    const title = index < DEPARTMENTS.length ? 'Director' : pick(TITLES[department])
    const dn = `CN=${escapeRdn(cn)},OU=Staff,${baseDn}`
    const disabled = disabledEvery > 0 && index % disabledEvery === disabledEvery - 1 && index < disabledEvery * disabledCount
    const sam = local.slice(0, 20)
    const proxies = [`SMTP:${local}@${domain}`]
    // About one user in four has an old-style alias; a few also keep an alias from a former mail subdomain.
    if (index % 4 === 1) proxies.push(`smtp:${ascii(first).charAt(0)}${ascii(last)}@${domain}`)
    if (index % 15 === 7) proxies.push(`smtp:${local}@mail.${domain}`)
    // Exchange adds X500 (legacy routing) and SIP (Skype) addresses; they are not mail and must be ignored.
    if (index % 10 === 3) proxies.push(`X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${local.replace('.', '')}${index}`)
    if (index % 12 === 5) proxies.push(`SIP:${local}@${domain}`)

    yield entry([
      ['dn', dn], ['changetype', 'add'],
      ['objectClass', 'top'], ['objectClass', 'person'], ['objectClass', 'organizationalPerson'], ['objectClass', 'user'],
      ['cn', cn], ['sn', last], ['title', title], ['givenName', first], ['distinguishedName', dn], ['displayName', cn],
      ['department', department], ['company', 'Sample Organisation'], ['name', cn], ['objectGUID', guid()],
      ['userAccountControl', disabled ? '514' : index % 9 === 0 ? '66048' : '512'],
      ['employeeID', String(100000 + index)], ['sAMAccountName', sam], ['userPrincipalName', `${local}@${domain}`],
      ['objectCategory', `CN=Person,CN=Schema,CN=Configuration,${baseDn}`], ['mail', `${local}@${domain}`],
      ...proxies.map((proxy) => ['proxyAddresses', proxy] as const),
    ])
    membersByDepartment.get(department)?.push(dn)
    allUserDns.push(dn)
    if (title === 'Director') executives.push(dn)
  }

  // Service accounts (no mail: skipped by the connector, with a warning) and a computer (not a user).
  const serviceDns: string[] = []
  for (const name of ['svc-backup', 'svc-scanner']) {
    const dn = `CN=${name},OU=Staff,${baseDn}`
    serviceDns.push(dn)
    yield entry([
      ['dn', dn], ['changetype', 'add'], ['objectClass', 'top'], ['objectClass', 'person'], ['objectClass', 'organizationalPerson'],
      ['objectClass', 'user'], ['cn', name], ['description', 'Service account, no mailbox'], ['objectGUID', guid()],
      ['userAccountControl', '66048'], ['sAMAccountName', name],
    ])
  }
  yield entry([
    ['dn', `CN=WS-0001,OU=Staff,${baseDn}`], ['changetype', 'add'], ['objectClass', 'top'], ['objectClass', 'person'],
    ['objectClass', 'organizationalPerson'], ['objectClass', 'user'], ['objectClass', 'computer'], ['cn', 'WS-0001'], ['objectGUID', guid()],
    ['userAccountControl', '4096'], ['sAMAccountName', 'WS-0001$'], ['dNSHostName', `ws-0001.${domain}`],
  ])

  const groupDn = (name: string) => `CN=${escapeRdn(name)},OU=Groups,${baseDn}`
  const group = (name: string, members: readonly string[], mail: boolean) => {
    const sam = name.replace(/\s+/g, '-')
    const local = name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    return entry([
      ['dn', groupDn(name)], ['changetype', 'add'], ['objectClass', 'top'], ['objectClass', 'group'], ['cn', name],
      ...members.map((member) => ['member', member] as const),
      ['distinguishedName', groupDn(name)], ['name', name], ['objectGUID', guid()], ['sAMAccountName', sam],
      // Distribution groups (2, global) carry mail; security groups (-2147483646) do not.
      ['groupType', mail ? '2' : '-2147483646'],
      ...(mail ? ([['mail', `${local}@${domain}`], ['proxyAddresses', `SMTP:${local}@${domain}`]] as const) : []),
      ['description', `${name} (${netbios})`],
    ])
  }

  for (const department of DEPARTMENTS) yield group(department, membersByDepartment.get(department) ?? [], true)
  // Nested: All Staff lists the department groups, not the users.
  yield group('All Staff', DEPARTMENTS.map(groupDn), true)
  yield group('Executives', executives, true)
  // Nested twice over: Leadership holds Executives plus a few named users.
  yield group('Leadership', [groupDn('Executives'), ...allUserDns.slice(DEPARTMENTS.length, DEPARTMENTS.length + 3)], true)
  yield group('Backup Operators', [...serviceDns, ...allUserDns.slice(0, 2)], false)

  const projectCount = groupCount - DEPARTMENTS.length - 4
  for (let index = 0; index < projectCount; index++) {
    const name = PROJECT_GROUPS[index] ?? `Project Group ${index + 1}`
    // Members sampled without repeats: 5–29 users, or about 1% of a large organisation.
    const size = Math.min(allUserDns.length, Math.max(5 + Math.floor(random() * 25), Math.floor(allUserDns.length / 100)))
    const members = new Set<string>()
    while (members.size < size) members.add(pick(allUserDns))
    yield group(name, [...members], index % 2 === 0)
  }
}

/** One `name: value` line as ldifde writes it: base64 (`::`) for binary or non-ASCII values, folded past FOLD_WIDTH. */
function ldifLine(name: string, value: string | Buffer, eol: string): string {
  const line = typeof value !== 'string' || needsBase64(value) ? `${name}:: ${Buffer.from(value).toString('base64')}` : `${name}: ${value}`
  if (line.length <= FOLD_WIDTH) return line
  const pieces = [line.slice(0, FOLD_WIDTH)]
  for (let start = FOLD_WIDTH; start < line.length; start += FOLD_WIDTH - 1) pieces.push(` ${line.slice(start, start + FOLD_WIDTH - 1)}`)
  return pieces.join(eol)
}

/** RFC 2849 SAFE-STRING: ASCII without NUL/CR/LF, not starting with space, ':' or '<', not ending with space. */
function needsBase64(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code === 0 || code === 10 || code === 13 || code > 127) return true
  }
  return /^[ :<]/.test(value) || value.endsWith(' ')
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase()
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=#])/g, '\\$1')
}

/** Small seeded PRNG (mulberry32): deterministic across Node versions, unlike Math.random. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
