/** userAccountControl bit ACCOUNTDISABLE (0x0002). */
const ACCOUNT_DISABLED = 0x2

/** Whether AD's userAccountControl says the account is disabled. Absent or unparsable → enabled. */
export function isAccountDisabled(userAccountControl: string | undefined | null): boolean {
  if (userAccountControl === undefined || userAccountControl === null) return false
  const flags = Number.parseInt(userAccountControl.trim(), 10)
  return Number.isFinite(flags) && (flags & ACCOUNT_DISABLED) !== 0
}
