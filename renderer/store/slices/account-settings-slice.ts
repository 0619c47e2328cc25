import type { AccountSettings } from '../../../shared/domain/account.ts'
import { call } from '../call.ts'
import { NOT_LOADED, type Loadable, type SliceContext } from '../types.ts'

/** The account-wide settings (internal domains, schedule, retention), as the core has them. */
export interface AccountSettingsSlice {
  readonly accountSettings: AccountSettings | null
  readonly accountSettingsLoad: Loadable
  readonly loadAccountSettings: () => Promise<void>
  /** Saves the changed fields; resolves to the core's message when it refused them. */
  readonly saveAccountSettings: (changes: Partial<AccountSettings>) => Promise<string | null>
}

export function createAccountSettingsSlice({ set, get, api }: SliceContext): AccountSettingsSlice {
  return {
    accountSettings: null,
    accountSettingsLoad: NOT_LOADED,
    async loadAccountSettings() {
      set({ accountSettingsLoad: { ...get().accountSettingsLoad, loading: !get().accountSettingsLoad.loaded } })
      const result = await call(api, 'account:get', {})
      if (result.ok) set({ accountSettings: result.value, accountSettingsLoad: { loaded: true, loading: false, error: null } })
      else set({ accountSettingsLoad: { ...get().accountSettingsLoad, loading: false, error: result.error.message } })
    },
    async saveAccountSettings(changes) {
      const result = await call(api, 'account:set', changes)
      if (!result.ok) return result.error.message
      set({ accountSettings: result.value })
      get().notify('success', 'Account settings saved.')
      return null
    },
  }
}
