/**
 * Planner benchmark: plan + gate for a large account, in memory.
 *
 *   node bench/plan-sync.ts [--users 1000000] [--groups 100000] [--memberships 5000000] [--churn 0.01]
 *
 * Builds one integration's snapshot in the shape `snapshots.load()` returns (users with an alias
 * every 4th, groups with an address, each group with memberships/groups members as row positions)
 * and an account state built as `loadAccountState` builds it (AccountStateBuilder), equal to the
 * snapshot except for `churn`: that fraction of users, groups and memberships is split between "missing from the account" (→ create/add) and "extra in the
 * account" (→ demote/delete/remove), and a quarter of it has a changed display name (→ update).
 * Only `planSync` + `gateActions` are timed. Target (DESIGN/issue 3): ≤ 5 s and ≤ 1.5 GB peak RSS
 * for 1M users / 100k groups / 5M memberships on the 2-core reference machine.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_ACCOUNT_SETTINGS } from '../shared/domain/account.ts'
import type { DirectoryUser } from '../shared/domain/directory-snapshot.ts'
import { DEFAULT_POLICY } from '../shared/domain/integration-policy.ts'
import { gateActions } from '../main/sync/gate.ts'
import { AccountStateBuilder } from '../main/model/account-state.ts'
import { IndexedGroup, type IndexedSnapshotData } from '../main/model/indexed-snapshot.ts'
import type { AccountAddressState, AccountState, PlanIntegration } from '../main/model/plan-types.ts'
import { planSync } from '../main/sync/planner.ts'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    groups: { type: 'string', default: '100000' },
    memberships: { type: 'string', default: '5000000' },
    churn: { type: 'string', default: '0.01' },
  },
})
const USERS = Number(values.users)
const GROUPS = Number(values.groups)
const MEMBERSHIPS = Number(values.memberships)
const CHURN = Number(values.churn)
if (![USERS, GROUPS, MEMBERSHIPS, CHURN].every(Number.isFinite) || USERS < 1 || GROUPS < 1 || MEMBERSHIPS < GROUPS || CHURN < 0 || CHURN > 1) {
  throw new Error('usage: node bench/plan-sync.ts [--users N] [--groups N] [--memberships N ≥ groups] [--churn 0..1]')
}

const MB = 1024 * 1024
const rssMb = (): number => Math.round(process.memoryUsage().rss / MB)
const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024)
const fmt = (n: number): string => n.toLocaleString('en-US')

/** Every `1 / rate`-th index is churned; `phase` picks which residue, so different churns do not overlap. */
const every = (rate: number): number => (rate > 0 ? Math.max(2, Math.round(1 / rate)) : Number.POSITIVE_INFINITY)
const half = every(CHURN / 2)
const quarter = every(CHURN / 4)

const ID = 'ad'
const SOURCES: readonly string[] = Object.freeze([ID])
const userAddress = (i: number): string => `user${i}@example.org`
const groupAddress = (g: number): string => `group${g}@example.org`
const perGroup = Math.floor(MEMBERSHIPS / GROUPS)
// Members of group g: start + k·stride (mod USERS); stride ≥ 2 keeps them distinct and leaves room for "extra" ones at +1.
const stride = Math.max(2, Math.floor(USERS / perGroup))
const memberIndex = (g: number, k: number): number => ((g * 9973) % USERS + k * stride) % USERS

let started = performance.now()

// --- The snapshot ------------------------------------------------------------------------------
const snapshotUsers: DirectoryUser[] = new Array<DirectoryUser>(USERS)
for (let i = 0; i < USERS; i++) {
  snapshotUsers[i] = {
    externalId: `guid-${i}`,
    primaryAddress: userAddress(i),
    aliases: i % 4 === 0 ? [`alias${i}@example.org`] : [],
    displayName: `User ${i}`,
    enabled: true,
    attributes: { department: `Dept ${i % 50}` },
  }
}
// Members as `load()` gives them: positions in the snapshot's users (member ids derived on demand).
const snapshotGroups: IndexedGroup[] = new Array<IndexedGroup>(GROUPS)
for (let g = 0; g < GROUPS; g++) {
  const rows = new Int32Array(perGroup)
  for (let k = 0; k < perGroup; k++) rows[k] = memberIndex(g, k)
  snapshotGroups[g] = new IndexedGroup({ externalId: `group-guid-${g}`, name: `Group ${g}`, address: groupAddress(g) }, { rows, allIds: null }, snapshotUsers)
}
const snapshot: IndexedSnapshotData = { users: snapshotUsers, groups: snapshotGroups, memberRowsResolved: true }
const integrations: PlanIntegration[] = [
  { id: ID, name: 'Active Directory', status: 'ok', statusSince: '2025-01-01T00:00:00.000Z', statusReason: null, policy: DEFAULT_POLICY, deleted: false, snapshot },
]

// --- The account: the snapshot, minus churn, built as `loadAccountState` builds it ----------------
const builder = new AccountStateBuilder()
const inAccount = (i: number): boolean => i % half !== 0
function addAccountUser(address: string, displayName: string, attributes: Record<string, string>, alias: string | null): void {
  const addresses: AccountAddressState[] = [{ address, type: 'directory', primary: true }]
  if (alias !== null) addresses.push({ address: alias, type: 'directory', primary: false })
  builder.addUser({ address, displayName, status: 'active', deletedAt: null, deletedBy: [], attributes, sources: SOURCES, addresses })
}
let accountUsers = 0
for (let i = 0; i < USERS; i++) {
  if (!inAccount(i)) continue
  const u = snapshotUsers[i] as DirectoryUser
  addAccountUser(u.primaryAddress, i % quarter === 1 ? `Old name ${i}` : u.displayName, { ...u.attributes }, u.aliases[0] ?? null)
  accountUsers++
}
const extraUsers = Math.round((USERS * CHURN) / 2)
for (let i = USERS; i < USERS + extraUsers; i++) addAccountUser(userAddress(i), `Gone ${i}`, { department: 'Dept 0' }, null)
accountUsers += extraUsers

let accountGroups = 0
let accountMemberships = 0
for (let g = 0; g < GROUPS; g++) {
  if (g % half === 0) continue
  const key = groupAddress(g)
  builder.addGroup({ key, name: `Group ${g}`, address: key, origin: 'directory', sources: SOURCES })
  accountGroups++
  for (let k = 0; k < perGroup; k++) {
    const i = memberIndex(g, k)
    if (!inAccount(i) || (g * perGroup + k) % half === 1) continue
    builder.addMember(key, userAddress(i), SOURCES)
    accountMemberships++
  }
  // Extra members the directory no longer lists (index + 1 is never a member: stride ≥ 2).
  for (let k = 0; k < perGroup; k++) {
    if ((g * perGroup + k) % half !== 2) continue
    const i = (memberIndex(g, k) + 1) % USERS
    if (!inAccount(i)) continue
    builder.addMember(key, userAddress(i), SOURCES)
    accountMemberships++
  }
}
const extraGroups = Math.round((GROUPS * CHURN) / 2)
for (let g = GROUPS; g < GROUPS + extraGroups; g++) builder.addGroup({ key: groupAddress(g), name: `Old group ${g}`, address: groupAddress(g), origin: 'directory', sources: SOURCES })
accountGroups += extraGroups
const account: AccountState = builder.build()

const buildMs = performance.now() - started
console.log(`input: ${fmt(USERS)} users, ${fmt(GROUPS)} groups, ${fmt(GROUPS * perGroup)} memberships in the snapshot; account ${fmt(accountUsers)} users, ${fmt(accountGroups)} groups, ${fmt(accountMemberships)} memberships (churn ${CHURN})`)
console.log(`built in ${(buildMs / 1000).toFixed(1)} s; RSS before planning ${fmt(rssMb())} MB`)

// --- Timed: plan + gate ----------------------------------------------------------------------
const now = new Date('2025-03-01T08:00:00.000Z')
// CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
const cpuBefore = process.cpuUsage()
started = performance.now()
const plan = planSync({ now, settings: DEFAULT_ACCOUNT_SETTINGS, integrations, account })
const planMs = performance.now() - started
started = performance.now()
const verdict = gateActions({ actions: plan.sequence, integrations, approved: new Set(), heldSince: new Map(), now })
const gateMs = performance.now() - started
const cpu = process.cpuUsage(cpuBefore)

const byKind = plan.sequence.countByKind()
console.log(`plan: ${(planMs / 1000).toFixed(2)} s, gate: ${(gateMs / 1000).toFixed(2)} s, total ${((planMs + gateMs) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (GC threads included)`)
console.log(`actions: ${fmt(plan.sequence.length)} (${Object.entries(byKind).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}); apply ${fmt(verdict.apply.length)}, held ${fmt(verdict.held.length)}`)
console.log(`links: ${fmt(plan.links.users.length)} users, ${fmt(plan.links.groups.length)} groups, ${fmt(plan.links.memberships.length)} memberships; conflicts ${fmt(plan.conflicts.length)}; ignored ${fmt(plan.ignored.length)}`)
console.log(`peak RSS: ${fmt(peakMb())} MB (now ${fmt(rssMb())} MB)`)
const ok = planMs + gateMs <= 5000 && peakMb() <= 1536
console.log(ok ? 'within target (≤ 5 s, ≤ 1.5 GB)' : 'MISSES the target (≤ 5 s, ≤ 1.5 GB)')
