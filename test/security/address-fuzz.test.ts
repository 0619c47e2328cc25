import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AccountSettings } from '../../shared/domain/account.ts'
import type { DirectorySnapshotData } from '../../shared/domain/directory-snapshot.ts'
import { DEFAULT_POLICY } from '../../shared/domain/integration-policy.ts'
import { normalizeAddress } from '../../main/directory-rules/email-address.ts'
import { AccountStateBuilder } from '../../main/model/account-state.ts'
import type { AccountState, PlanIntegration } from '../../main/model/plan-types.ts'
import { planSync } from '../../main/sync/planner.ts'
import { recordFigures } from '../reliability/figures.ts'

/**
 * Addresses with Unicode, upper case, surrounding whitespace and duplicates across integrations,
 * through the real planner (empty account, 2–3 integrations). Properties: every address the plan
 * writes is in its one normalised spelling; no address ends up on two users; spellings of one
 * address from several directories make one user, not several; and an address two different
 * people claim is reported as a conflict.
 */
const RUNS = 1500
const NOW = new Date('2025-03-01T08:00:00.000Z')
const SETTINGS: AccountSettings = { internalDomains: [], schedule: ['08:00'], scheduleEnabled: false, retentionDays: 30, journalRetentionDays: 400 }
const EMPTY: AccountState = new AccountStateBuilder().build()

/** Local parts with letters that have upper case, composed/decomposed forms and look-alikes. */
const localPart = fc.array(fc.constantFrom('a', 'b', 'e', 'z', '.', '-', 'é', 'ø', 'ß', 'ü', 'Ω', 'ж', '1'), { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''))
const canonical = fc.tuple(localPart, fc.constantFrom('example.com', 'exämple.org', 'corp.example.com')).map(([local, domain]) => normalizeAddress(`${local}@${domain}`))

/** One way a directory may spell the address: case flips, NFD decomposition, spaces, tabs, NBSP around it. */
const spelling = (address: string) =>
  fc.tuple(fc.array(fc.boolean(), { minLength: address.length, maxLength: address.length }), fc.boolean(), fc.constantFrom('', ' ', '\t', '\u00a0', '  '), fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000')).map(([upper, decompose, before, after]) => {
    // Only case flips that round-trip: "ß".toUpperCase() is "SS", which lower-cases to a different address.
    const cased = [...address].map((c, i) => (upper[i] && c.toUpperCase().toLowerCase() === c ? c.toUpperCase() : c)).join('')
    return `${before}${decompose ? cased.normalize('NFD') : cased}${after}`
  })

interface Scenario {
  readonly pool: string[]
  /** Per integration: users as (primary index, alias indexes) into the pool. */
  readonly integrations: Array<Array<{ primary: number; aliases: number[] }>>
}

const scenario: fc.Arbitrary<Scenario> = fc.uniqueArray(canonical, { minLength: 2, maxLength: 8 }).chain((pool) =>
  fc.record({
    pool: fc.constant(pool),
    integrations: fc.array(
      // Primaries are distinct within one directory (a directory does not list one mailbox twice).
      fc.uniqueArray(fc.record({ primary: fc.nat({ max: pool.length - 1 }), aliases: fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 2 }) }), { selector: (u) => u.primary, minLength: 1, maxLength: pool.length }),
      { minLength: 2, maxLength: 3 },
    ),
  }),
)

function withSpellings(s: Scenario) {
  const all = s.integrations.flatMap((users) => users.flatMap((u) => [u.primary, ...u.aliases]))
  return fc.tuple(fc.constant(s), fc.tuple(...all.map((i) => spelling(s.pool[i] ?? ''))))
}

function toIntegrations(s: Scenario, spelled: readonly string[]): PlanIntegration[] {
  let next = 0
  return s.integrations.map((users, index) => {
    const snapshot: DirectorySnapshotData = {
      users: users.map((u, k) => ({ externalId: `i${index}-u${k}`, primaryAddress: spelled[next++] ?? '', aliases: u.aliases.map(() => spelled[next++] ?? ''), displayName: `User ${k}`, enabled: true, attributes: {} })),
      groups: [],
    }
    return { id: `integration-${index}`, name: `Directory ${index}`, status: 'ok', statusSince: NOW.toISOString(), statusReason: null, policy: DEFAULT_POLICY, deleted: false, snapshot }
  })
}

describe('address normalisation and conflicts across integrations (fast-check)', () => {
  it('normalizeAddress: trims, composes Unicode and lower-cases, and is idempotent', () => {
    expect(normalizeAddress('  José.Núñez@Example.COM\t')).toBe('josé.núñez@example.com')
    expect(normalizeAddress('Jose\u0301@example.com')).toBe(normalizeAddress('José@example.com'))
    fc.assert(fc.property(fc.string(), (s) => normalizeAddress(normalizeAddress(s)) === normalizeAddress(s)), { numRuns: 1000 })
  })

  it('the same address spelt with different case, whitespace and Unicode forms in two directories is one user backed by both', () => {
    const a = toIntegrations({ pool: ['josé@example.com'], integrations: [[{ primary: 0, aliases: [] }], [{ primary: 0, aliases: [] }]] }, [' JOSÉ@Example.com', 'jose\u0301@example.com\u00a0'])
    const plan = planSync({ now: NOW, settings: SETTINGS, integrations: a, account: EMPTY })
    const created = plan.actions.filter((x) => x.kind === 'create-user')
    expect(created.map((x) => x.target)).toEqual(['josé@example.com'])
    expect([...(created[0]?.integrationIds ?? [])].sort()).toEqual(['integration-0', 'integration-1'])
    expect(plan.conflicts).toEqual([])
  })

  it(`${RUNS} generated account-wide scenarios: one spelling, one owner per address, duplicates merged, clashes reported`, () => {
    let conflictsSeen = 0
    fc.assert(
      fc.property(scenario.chain(withSpellings), ([s, spelled]) => {
        const plan = planSync({ now: NOW, settings: SETTINGS, integrations: toIntegrations(s, spelled), account: EMPTY })
        const owners = new Map<string, string>()
        const created = plan.actions.filter((a) => a.kind === 'create-user')
        for (const action of created) {
          expect(action.target).toBe(normalizeAddress(action.target))
          for (const address of action.addresses ?? [action.target]) {
            expect(address).toBe(normalizeAddress(address))
            expect(owners.has(address), `${address} on two users`).toBe(false)
            owners.set(address, action.target)
          }
        }
        // Every primary is either its own user or (swapped primary/alias across directories) folded into one that lists it.
        const primaries = new Set(s.integrations.flatMap((users) => users.map((u) => s.pool[u.primary] ?? '')))
        for (const primary of primaries) expect(owners.has(primary), `${primary} lost`).toBe(true)
        expect(new Set(created.map((a) => a.target)).size).toBe(created.length)
        // A clash is reported, naming the address in its normalised spelling: (a) one person's
        // primary is another's alias (the planner either folds them — a migration window — or keeps
        // it on its owner; both say so), (b) an alias is claimed by people not linked by (a).
        const people = s.integrations.flat()
        const group = new Map<number, number>(people.map((u) => [u.primary, u.primary]))
        const find = (x: number): number => (group.get(x) === x ? x : find(group.get(x) ?? x))
        for (const x of people) for (const y of people) if (x.primary !== y.primary && x.aliases.includes(y.primary)) group.set(find(x.primary), find(y.primary))
        const mustName = new Set<string>()
        const aliasClaims = new Map<string, Set<number>>()
        for (const x of people) {
          for (const alias of x.aliases) {
            if (alias === x.primary) continue
            if (group.has(alias)) mustName.add(s.pool[alias] ?? '')
            else aliasClaims.set(s.pool[alias] ?? '', (aliasClaims.get(s.pool[alias] ?? '') ?? new Set()).add(find(x.primary)))
          }
        }
        for (const [address, groups] of aliasClaims) if (groups.size > 1) mustName.add(address)
        for (const address of mustName) {
          conflictsSeen++
          expect(plan.conflicts.some((c) => c.includes(address)), `no conflict names ${address}: ${plan.conflicts.join(' | ')}`).toBe(true)
        }
      }),
      { numRuns: RUNS },
    )
    expect(conflictsSeen).toBeGreaterThan(100)
    recordFigures('account-wide address scenarios', { validInputsAccepted: RUNS })
    console.info(`address fuzz: ${RUNS} scenarios, ${conflictsSeen} clashing addresses all reported as conflicts, 0 unnormalised addresses, 0 addresses on two users`)
  })
})
