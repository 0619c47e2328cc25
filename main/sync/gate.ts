import { isBlockingStatus } from '../../shared/domain/integration-status.ts'
import { ACTION_KIND_TABLE, isDestructiveKind, type HeldAction, type SyncAction } from '../../shared/domain/sync-action.ts'
import { integrationLabel } from '../../shared/domain/integration.ts'
import type { PlanIntegration } from '../model/plan-types.ts'
import { ActionSequence } from '../model/action-sequence.ts'
import type { MemberAdditions } from '../model/member-additions.ts'

/**
 * A plan's compact add-members pass the gate whole, as every non-destructive action does: the
 * kind table says add-member is not destructive (this fails to compile if it ever says otherwise).
 */
function passedWhole(sequence: ActionSequence): MemberAdditions {
  const destructive: false = ACTION_KIND_TABLE['add-member'].destructive
  return destructive || sequence.additions
}

export interface GateInput {
  /** A plan's sequence, or actions in the order to apply them. */
  readonly actions: ActionSequence | readonly SyncAction[]
  readonly integrations: readonly PlanIntegration[]
  /** Action ids an administrator approved (threshold holds only). */
  readonly approved: ReadonlySet<string>
  /** When each action was first held, from earlier runs; new holds start now. */
  readonly heldSince: ReadonlyMap<string, string>
  readonly now: Date
}

export interface Blocker {
  readonly integrationId: string
  readonly name: string
  readonly status: 'disabled' | 'error'
  readonly since: string
  readonly reason: string | null
}

export interface ThresholdBreach {
  readonly integrationId: string
  readonly name: string
  readonly count: number
  readonly limit: number
}

export interface GateVerdict {
  /** What may be applied, in the input's order. */
  readonly apply: ActionSequence
  readonly held: readonly HeldAction[]
  readonly blockers: readonly Blocker[]
  readonly breaches: readonly ThresholdBreach[]
}

export function findBlockers(integrations: readonly PlanIntegration[]): Blocker[] {
  return integrations
    .filter((i) => !i.deleted && isBlockingStatus(i.status))
    .map((i) => ({ integrationId: i.id, name: i.name, status: i.status as 'disabled' | 'error', since: i.statusSince, reason: i.statusReason }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function blockText(blockers: readonly Blocker[]): string {
  const names = blockers.map((b) => `${b.name} (${b.status === 'disabled' ? 'disabled' : 'in error'} since ${b.since})`).join(', ')
  return `Paused: ${names}. While any integration is disabled or in error, destructive actions are paused for all integrations; enable, fix or delete it to resume.`
}

/**
 * Pure. While ANY integration is disabled or in error, EVERY destructive action of EVERY
 * integration is held — an approval cannot override that. Otherwise, when the destructive
 * actions attributed to one integration exceed its "maximum unlinks", all of them are held
 * unless approved. Non-destructive actions always apply.
 */
export function gateActions(input: GateInput): GateVerdict {
  const blockers = findBlockers(input.integrations)
  const now = input.now.toISOString()
  const sequence = input.actions instanceof ActionSequence ? input.actions : new ActionSequence(input.actions)
  const actions = sequence.others
  const passed = passedWhole(sequence)
  const apply: SyncAction[] = []
  const held: HeldAction[] = []
  const hold = (action: SyncAction, reason: HeldAction['reason'], reasonText: string, blocking: readonly string[]): void => {
    held.push({ ...action, reason, reasonText, blockingIntegrationIds: [...blocking], heldSince: input.heldSince.get(action.id) ?? now, approved: input.approved.has(action.id) })
  }

  if (blockers.length > 0) {
    const text = blockText(blockers)
    const ids = blockers.map((b) => b.integrationId)
    for (const action of actions) {
      if (isDestructiveKind(action.kind)) hold(action, 'blocked', text, ids)
      else apply.push(action)
    }
    return { apply: new ActionSequence(apply, passed), held, blockers, breaches: [] }
  }

  const counts = new Map<string, number>()
  for (const action of actions) {
    if (!isDestructiveKind(action.kind)) continue
    for (const id of action.integrationIds) counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  const byId = new Map(input.integrations.map((i) => [i.id, i]))
  const breaches: ThresholdBreach[] = []
  for (const [id, count] of counts) {
    const integration = byId.get(id)
    const limit = integration?.policy.maxUnlinks ?? 'unlimited'
    if (limit !== 'unlimited' && count > limit) breaches.push({ integrationId: id, name: integration?.name ?? id, count, limit })
  }
  breaches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const breached = new Map(breaches.map((b) => [b.integrationId, b]))

  for (const action of actions) {
    if (!isDestructiveKind(action.kind)) {
      apply.push(action)
      continue
    }
    const over = action.integrationIds.map((id) => breached.get(id)).filter((b): b is ThresholdBreach => b !== undefined)
    if (over.length === 0 || input.approved.has(action.id)) {
      apply.push(action)
      continue
    }
    // A deleted integration's limit cannot be raised any more: only approving is left.
    const anyLive = over.some((b) => byId.get(b.integrationId)?.deleted !== true)
    const text =
      over.map((b) => `${integrationLabel({ name: b.name, deleted: byId.get(b.integrationId)?.deleted === true })} would make ${b.count} destructive changes in one run; its maximum unlinks is ${b.limit}.`).join(' ') +
      (anyLive ? ' Review and approve, or raise the limit.' : ' Review and approve.')
    hold(action, 'threshold', text, [])
  }
  return { apply: new ActionSequence(apply, passed), held, blockers, breaches }
}
