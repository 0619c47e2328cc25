/**
 * A deterministic organisation, the shape `gen-ldif.sh` / `gen-ad-ldif.sh` give the LDAP and AD
 * test servers (see /work/shared/notes/directory-servers.md): users `userNNNNNN` with a primary
 * address `given.sur.N@domain` and three aliases; the first six groups are the big ones (all-staff,
 * engineering, sales, support, contractors, vpn-users, each capped at the user count), the rest have
 * 2 + 500·r⁴ members, and every 50th group nests the two groups before it. The emulators map this
 * one model onto their own wire shapes, so every directory type holds the same organisation.
 *
 * The awk generator's random stream cannot be reproduced in JS, so names and small-group members
 * differ from the LDAP seed; sizes, naming and nesting follow the same rules.
 */

export interface OrgUser {
  /** 1-based ordinal; `userNNNNNN` is derived from it. */
  readonly n: number
  readonly uid: string
  readonly givenName: string
  readonly surname: string
  readonly displayName: string
  readonly primaryAddress: string
  readonly aliases: readonly string[]
  readonly title: string
  readonly department: string
  readonly enabled: boolean
  readonly guest: boolean
}

export interface OrgGroup {
  readonly n: number
  readonly name: string
  readonly address: string
  /** Direct user members (ordinals). */
  readonly memberUsers: readonly number[]
  /** Direct nested groups (ordinals). */
  readonly memberGroups: readonly number[]
}

export interface OrgModel {
  readonly domain: string
  readonly users: readonly OrgUser[]
  readonly groups: readonly OrgGroup[]
}

const FIRST = 'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret Donald Sandra Steven Ashley Paul Kimberly Andrew Emily'.split(' ')
const LAST = 'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott'.split(' ')
const TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'Director', 'Analyst', 'Consultant', 'Sales Representative', 'Support Specialist']
const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', 'Marketing', 'HR', 'Legal', 'Operations', 'IT', 'Research']
const BIG_GROUPS: ReadonlyArray<readonly [string, number]> = [
  ['all-staff', 0], // 0 = everyone
  ['engineering', 20_000],
  ['sales', 10_000],
  ['support', 5_000],
  ['contractors', 2_000],
  ['vpn-users', 1_501],
]

/** mulberry32: small, fast, deterministic; good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface OrgModelOptions {
  readonly users: number
  readonly groups: number
  /** Mail domain (Default: example.com). */
  readonly domain?: string
  /** Random seed (Default: 42). */
  readonly seed?: number
  /** Every Nth user is disabled (Default: 97; 0 = none). */
  readonly disabledEvery?: number
  /** Every Nth user is a guest (Default: 0 = none). */
  readonly guestEvery?: number
}

export function generateOrgModel(options: OrgModelOptions): OrgModel {
  const domain = options.domain ?? 'example.com'
  const rand = prng(options.seed ?? 42)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T
  const disabledEvery = options.disabledEvery ?? 97
  const guestEvery = options.guestEvery ?? 0
  const N = options.users

  const users: OrgUser[] = []
  for (let n = 1; n <= N; n++) {
    const uid = `user${String(n).padStart(6, '0')}`
    const givenName = pick(FIRST)
    const surname = pick(LAST)
    const lg = givenName.toLowerCase()
    const ls = surname.toLowerCase()
    users.push({
      n,
      uid,
      givenName,
      surname,
      displayName: `${givenName} ${surname} (${uid})`,
      primaryAddress: `${lg}.${ls}.${n}@${domain}`,
      aliases: [`${uid}@${domain}`, `${lg.slice(0, 1)}.${ls}.${n}@${domain}`, `${uid}@mail.${domain}`],
      title: pick(TITLES),
      department: DEPARTMENTS[n % DEPARTMENTS.length] as string,
      enabled: disabledEvery === 0 || n % disabledEvery !== 0,
      guest: guestEvery > 0 && n % guestEvery === 0,
    })
  }

  const groups: OrgGroup[] = []
  for (let g = 1; g <= options.groups; g++) {
    const big = BIG_GROUPS[g - 1]
    let size: number
    let name: string
    if (big) {
      name = big[0]
      size = big[1] === 0 || big[1] > N ? N : big[1]
    } else {
      const r = rand()
      size = Math.min(N, 2 + Math.floor(500 * r ** 4))
      const kind = g % 3
      name = `${kind === 0 ? 'team-' : kind === 1 ? 'project-' : 'dl-'}${String(g).padStart(5, '0')}`
    }
    let members: number[]
    if (size === N) members = Array.from({ length: N }, (_, i) => i + 1)
    else {
      const chosen = new Set<number>()
      while (chosen.size < size) chosen.add(1 + Math.floor(rand() * N))
      members = [...chosen].sort((a, b) => a - b)
    }
    const nested = g > BIG_GROUPS.length + 2 && g % 50 === 0 ? [g - 1, g - 2] : []
    groups.push({ n: g, name, address: `${name}@${domain}`, memberUsers: members, memberGroups: nested })
  }
  return { domain, users, groups }
}

/** Users of a group through nested groups (ordinals, sorted). */
export function transitiveUserMembers(model: OrgModel, groupN: number): number[] {
  const seen = new Set<number>()
  const out = new Set<number>()
  const walk = (g: number): void => {
    if (seen.has(g)) return
    seen.add(g)
    const group = model.groups[g - 1]
    if (!group) return
    for (const u of group.memberUsers) out.add(u)
    for (const child of group.memberGroups) walk(child)
  }
  walk(groupN)
  return [...out].sort((a, b) => a - b)
}
