import { describe, expect, it } from 'vitest'
import type { IntegrationStatus } from '../../../../shared/domain/integration-status.ts'
import type { MaxUnlinks } from '../../../../shared/domain/integration-policy.ts'
import type { ActionKind, SyncAction } from '../../../../shared/domain/sync-action.ts'
import { gateActions, type GateInput } from '../../../../main/sync/gate.ts'
import type { PlanIntegration } from '../../../../main/model/plan-types.ts'
import { integration, NOW } from '../../../helpers/plan-fixtures.ts'
import { ActionSequence } from '../../../../main/model/action-sequence.ts'
import { MemberAdditionsBuilder } from '../../../../main/model/member-additions.ts'

function action(kind: ActionKind, target: string, integrationIds: readonly string[]): SyncAction {
  return { id: `${kind}:${target}`, kind, target, detail: '', integrationIds: [...integrationIds] }
}

/** n destructive actions (demotions) attributed to one integration. */
function demotions(integrationId: string, n: number): SyncAction[] {
  return Array.from({ length: n }, (_, i) => action('demote-address', `${integrationId}${i}@example.org`, [integrationId]))
}

const nonDestructive = [action('create-user', 'new@example.org', ['a']), action('add-member', 'staff@example.org', ['b']), action('update-user', 'x@example.org', ['a'])]

function gate(actions: ActionSequence | readonly SyncAction[], integrations: readonly PlanIntegration[], extra: Partial<GateInput> = {}) {
  return gateActions({ actions, integrations, approved: new Set(), heldSince: new Map(), now: NOW, ...extra })
}

describe('gateActions: while ANY integration is disabled or in error, EVERY destructive action of EVERY integration is held', () => {
  it('a plan’s compact add-members apply whole while destructive actions around them are held', () => {
    const additions = new MemberAdditionsBuilder(2)
    additions.add('staff@example.org', 'Staff', 0, 'ann@example.org', ['a'])
    additions.add('staff@example.org', 'Staff', 1, 'bob@example.org', ['a'])
    const plan = new ActionSequence([action('create-user', 'ann@example.org', ['a']), action('remove-member', 'sales@example.org', ['a'])], additions.finish())
    const verdict = gate(plan, [integration('a', null), integration('c', null, { status: 'disabled' })])
    expect(Array.from(verdict.apply, (a) => `${a.kind} ${a.target}${a.member ? ` ${a.member}` : ''}`)).toEqual(['create-user ann@example.org', 'add-member staff@example.org ann@example.org', 'add-member staff@example.org bob@example.org'])
    expect(verdict.held.map((a) => a.kind)).toEqual(['remove-member'])
  })

  const statuses: ReadonlyArray<readonly [IntegrationStatus, boolean]> = [
    ['disabled', true],
    ['error', true],
    ['ok', false],
    ['never-synced', false],
    ['syncing', false],
  ]
  it.each(statuses)('C is %s → blocks: %s', (status, blocks) => {
    const destructive = [action('remove-member', 'staff@example.org', ['a']), action('demote-address', 'b@example.org', ['b']), action('delete-user', 'd@example.org', ['a']), action('purge-user', 'p@example.org', ['b']), action('delete-group', 'g@example.org', ['a'])]
    const verdict = gate([...nonDestructive, ...destructive], [integration('a', null), integration('b', null), integration('c', null, { status, since: '2025-02-10T12:00:00.000Z' })])
    expect(verdict.apply.toArray().map((a) => a.id)).toEqual([...nonDestructive, ...(blocks ? [] : destructive)].map((a) => a.id))
    expect(verdict.held.map((a) => a.id)).toEqual(blocks ? destructive.map((a) => a.id) : [])
    if (blocks) {
      for (const held of verdict.held) {
        expect(held).toMatchObject({ reason: 'blocked', blockingIntegrationIds: ['c'], heldSince: NOW.toISOString() })
        expect(held.reasonText).toContain(`C (${status === 'disabled' ? 'disabled' : 'in error'} since 2025-02-10T12:00:00.000Z)`)
      }
    }
  })

  it('the reason names every blocking integration, and each since when', () => {
    const verdict = gate(demotions('a', 1), [integration('a', null), integration('b', null, { status: 'error', since: 'T1' }), integration('c', null, { status: 'disabled', since: 'T2' })])
    expect(verdict.held[0]?.reasonText).toMatch(/^Paused: B \(in error since T1\), C \(disabled since T2\)\./)
    expect(verdict.held[0]?.blockingIntegrationIds).toEqual(['b', 'c'])
    expect(verdict.blockers.map((b) => b.integrationId)).toEqual(['b', 'c'])
  })

  it('a deleted integration does not block, whatever its last status', () => {
    const verdict = gate(demotions('a', 1), [integration('a', null), integration('b', null, { status: 'disabled', deleted: true })])
    expect(verdict.held).toEqual([])
    expect(verdict.apply).toHaveLength(1)
  })

  it('an approval does not override a block', () => {
    const actions = demotions('a', 1)
    const verdict = gate(actions, [integration('a', null, { policy: { maxUnlinks: 0 } }), integration('b', null, { status: 'disabled' })], { approved: new Set(actions.map((a) => a.id)) })
    expect(verdict.apply.toArray()).toEqual([])
    expect(verdict.held[0]).toMatchObject({ reason: 'blocked', approved: true })
  })

  it('a held action keeps the time it was first held', () => {
    const actions = demotions('a', 2)
    const verdict = gate(actions, [integration('a', null), integration('b', null, { status: 'disabled' })], { heldSince: new Map([[actions[0]?.id ?? '', '2025-01-01T00:00:00.000Z']]) })
    expect(verdict.held.map((h) => h.heldSince)).toEqual(['2025-01-01T00:00:00.000Z', NOW.toISOString()])
  })
})

describe('gateActions: per-integration "maximum unlinks" — when one integration\'s destructive actions exceed it, all of them are held', () => {
  const cases: ReadonlyArray<readonly [MaxUnlinks, number, boolean]> = [
    [0, 0, false],
    [0, 1, true],
    [10, 10, false],
    [10, 11, true],
    [500, 500, false],
    [500, 501, true],
    ['unlimited', 100_001, false],
  ]
  it.each(cases)('limit %s, %i destructive actions → held: %s; the other integration is unaffected', (limit, count, held) => {
    const actions = [...nonDestructive, ...demotions('a', count), ...demotions('b', 3)]
    const verdict = gate(actions, [integration('a', null, { policy: { maxUnlinks: limit } }), integration('b', null, { policy: { maxUnlinks: 10 } })])
    expect(verdict.held.length).toBe(held ? count : 0)
    expect(verdict.apply.length).toBe(actions.length - (held ? count : 0))
    expect(verdict.apply.toArray().filter((a) => a.integrationIds.includes('b'))).toHaveLength(4)
    if (held) {
      expect(verdict.breaches).toEqual([{ integrationId: 'a', name: 'A', count, limit }])
      expect(verdict.held.every((h) => h.reason === 'threshold' && h.blockingIntegrationIds.length === 0)).toBe(true)
      expect(verdict.held[0]?.reasonText).toBe(`A would make ${count} destructive changes in one run; its maximum unlinks is ${String(limit)}. Review and approve, or raise the limit.`)
    }
  })

  it('non-destructive actions never count towards the limit and always apply', () => {
    const verdict = gate([...nonDestructive, ...nonDestructive.map((a) => ({ ...a, id: `${a.id}:2` }))], [integration('a', null, { policy: { maxUnlinks: 0 } }), integration('b', null, { policy: { maxUnlinks: 0 } })])
    expect(verdict.held).toEqual([])
    expect(verdict.apply).toHaveLength(6)
  })

  it('an action attributed to two integrations is held when either one breaks its limit, and counts for both', () => {
    const shared = action('remove-member', 'staff@example.org', ['a', 'b'])
    const verdict = gate([shared, ...demotions('a', 10)], [integration('a', null, { policy: { maxUnlinks: 10 } }), integration('b', null, { policy: { maxUnlinks: 10 } })])
    expect(verdict.breaches.map((b) => [b.integrationId, b.count])).toEqual([['a', 11]])
    expect(verdict.held.map((h) => h.id)).toContain(shared.id)
    expect(verdict.apply.toArray()).toEqual([])
  })

  it('approved threshold holds apply; the others stay held', () => {
    const actions = demotions('a', 12)
    const approved = new Set([actions[3]?.id ?? ''])
    const verdict = gate(actions, [integration('a', null, { policy: { maxUnlinks: 10 } })], { approved })
    expect(verdict.apply.toArray().map((a) => a.id)).toEqual([...approved])
    expect(verdict.held).toHaveLength(11)
    expect(verdict.held.every((h) => !h.approved)).toBe(true)
  })

  it('a deleted integration\'s own limit still applies to what its deletion causes', () => {
    const verdict = gate(demotions('a', 11), [integration('a', null, { deleted: true, policy: { maxUnlinks: 10 } })])
    expect(verdict.held).toHaveLength(11)
  })
})
