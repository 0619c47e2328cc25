import type { IntegrationStatus } from '../../shared/domain/integration-status.ts'
import type { RunOutcome } from '../../shared/domain/integration.ts'

export const STATUS_LABELS: Readonly<Record<IntegrationStatus, string>> = {
  ok: 'OK',
  syncing: 'Syncing',
  disabled: 'Disabled',
  error: 'In error',
  'never-synced': 'Never synced',
}

export const OUTCOME_LABELS: Readonly<Record<RunOutcome, string>> = {
  success: 'Success',
  partial: 'Partly applied',
  held: 'Actions held',
  failed: 'Failed',
  rejected: 'Read rejected',
}

const OUTCOME_TONE: Readonly<Record<RunOutcome, string>> = { success: 'ok', partial: 'warn', held: 'warn', failed: 'error', rejected: 'error' }

/** Status as a word and a colour (never colour alone). */
export function StatusBadge({ status }: { readonly status: IntegrationStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>
}

export function OutcomeBadge({ outcome }: { readonly outcome: RunOutcome | null }) {
  if (!outcome) return <span className="muted">—</span>
  return <span className={`badge badge-outcome-${OUTCOME_TONE[outcome]}`}>{OUTCOME_LABELS[outcome]}</span>
}
