import type { UserStatus } from '../../../shared/domain/account.ts'

/** A user's status in the console's words. */
export const USER_STATUS: Readonly<Record<UserStatus, string>> = { active: 'Active', disabled: 'Disabled', deleted: 'Deleted' }
