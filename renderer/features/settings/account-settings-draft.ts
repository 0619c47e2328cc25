import type { AccountSettings } from '../../../shared/domain/account.ts'

/** The settings as the form holds them: lists and numbers as typed text, so they can be edited freely. */
export interface AccountSettingsDraft {
  readonly internalDomains: string
  readonly schedule: string
  readonly scheduleEnabled: boolean
  readonly retentionDays: string
  readonly journalRetentionDays: string
}

const list = (text: string, lower: boolean): string[] =>
  text
    .split(/[\s,;]+/)
    .map((item) => (lower ? item.trim().toLowerCase() : item.trim()))
    .filter(Boolean)

const number = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text))

export function toAccountDraft(settings: AccountSettings): AccountSettingsDraft {
  return {
    internalDomains: settings.internalDomains.join('\n'),
    schedule: settings.schedule.join(', '),
    scheduleEnabled: settings.scheduleEnabled,
    retentionDays: String(settings.retentionDays),
    journalRetentionDays: String(settings.journalRetentionDays),
  }
}

/** What the form would save (unvalidated: AccountSettingsSchema says whether it may). */
export function fromAccountDraft(draft: AccountSettingsDraft): Record<keyof AccountSettings, unknown> {
  return {
    internalDomains: list(draft.internalDomains, true),
    schedule: list(draft.schedule, false),
    scheduleEnabled: draft.scheduleEnabled,
    retentionDays: number(draft.retentionDays),
    journalRetentionDays: number(draft.journalRetentionDays),
  }
}

/** Only the fields that differ from what is saved (so an audit entry names just what the admin changed). */
export function changedFields(saved: AccountSettings, next: AccountSettings): Partial<AccountSettings> {
  const changes: Partial<Record<keyof AccountSettings, unknown>> = {}
  for (const key of Object.keys(next) as (keyof AccountSettings)[]) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(next[key])) changes[key] = next[key]
  }
  return changes as Partial<AccountSettings>
}
