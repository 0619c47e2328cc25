import { describe, expect, it } from 'vitest'
import { AccountSettingsSchema, DEFAULT_ACCOUNT_SETTINGS } from '../../../../../shared/domain/account.ts'
import { changedFields, fromAccountDraft, toAccountDraft } from '../../../../../renderer/features/settings/account-settings-draft.ts'

describe('the account settings form', () => {
  it('round-trips the saved settings unchanged', () => {
    const parsed = AccountSettingsSchema.parse(fromAccountDraft(toAccountDraft(DEFAULT_ACCOUNT_SETTINGS)))
    expect(parsed).toEqual(DEFAULT_ACCOUNT_SETTINGS)
  })

  it('reads domains one per line or comma-separated, lower-cased, and times comma-separated', () => {
    const draft = { ...toAccountDraft(DEFAULT_ACCOUNT_SETTINGS), internalDomains: 'Example.ORG\n  contoso.com, \n', schedule: '07:30,19:00' }
    expect(fromAccountDraft(draft)).toMatchObject({ internalDomains: ['example.org', 'contoso.com'], schedule: ['07:30', '19:00'] })
  })

  it('refuses an empty number of days instead of saving zero', () => {
    const draft = { ...toAccountDraft(DEFAULT_ACCOUNT_SETTINGS), journalRetentionDays: ' ' }
    expect(AccountSettingsSchema.safeParse(fromAccountDraft(draft)).success).toBe(false)
  })

  it('saves only what the admin changed, so the audit entry names just that', () => {
    const next = { ...DEFAULT_ACCOUNT_SETTINGS, journalRetentionDays: 90, schedule: ['07:30'] }
    expect(changedFields(DEFAULT_ACCOUNT_SETTINGS, next)).toEqual({ journalRetentionDays: 90, schedule: ['07:30'] })
  })
})
