import type { JournalIntegration, JournalReason } from '../../shared/domain/journal.ts'
import type { HeldAction } from '../../shared/domain/sync-action.ts'
import type { Blocker } from './gate.ts'

export interface Approval {
  readonly by: string
  readonly at: string
}

/** The attribution with the integrations' names as they are now (journalled as they were then). */
export function attribution(integrationIds: readonly string[], names: ReadonlyMap<string, string>): JournalIntegration[] {
  return integrationIds.map((id) => ({ id, name: names.get(id) ?? id }))
}

/** Why an action is held: the blockers (named, with since when) or the threshold, as the gate said it. */
export function holdReason(held: HeldAction, blockers: readonly Blocker[], approval: Approval | undefined): JournalReason {
  const blocking = blockers.filter((b) => held.blockingIntegrationIds.includes(b.integrationId)).map((b) => ({ id: b.integrationId, name: b.name, since: b.since }))
  return { hold: held.reason, text: held.reasonText, blocking, heldSince: held.heldSince, approvedBy: approval?.by ?? null, approvedAt: approval?.at ?? null }
}

/** Why an action that had been held is applied now: approved, or the block or threshold is gone. */
export function releaseReason(wasHeld: HeldAction, names: ReadonlyMap<string, string>, approval: Approval | undefined): JournalReason {
  const text = approval ? `Approved by ${approval.by} at ${approval.at}; held since ${wasHeld.heldSince}: ${wasHeld.reasonText}` : `Held since ${wasHeld.heldSince} (${wasHeld.reasonText}); applied once nothing held it back any more.`
  return { hold: wasHeld.reason, text, blocking: blockersOf(wasHeld, names), heldSince: wasHeld.heldSince, approvedBy: approval?.by ?? null, approvedAt: approval?.at ?? null }
}

/** Why a held action was dropped without being applied. */
export function dropReason(wasHeld: HeldAction, names: ReadonlyMap<string, string>): JournalReason {
  return { hold: wasHeld.reason, text: `No longer planned: the directories no longer call for it (held since ${wasHeld.heldSince}: ${wasHeld.reasonText})`, blocking: blockersOf(wasHeld, names), heldSince: wasHeld.heldSince, approvedBy: null, approvedAt: null }
}

/** The integrations that blocked an earlier hold (since when is in that hold's own journal entry). */
function blockersOf(held: HeldAction, names: ReadonlyMap<string, string>): JournalReason['blocking'] {
  return held.blockingIntegrationIds.map((id) => ({ id, name: names.get(id) ?? id, since: null }))
}
