/**
 * The plan's one line for a user it creates ("Ann Lee <ann@example.org> with 2 alias(es)"). One
 * rule for the planner that writes it and the change journal that derives it again on read
 * instead of storing it per entry (journal-change.ts).
 */
export function createUserDetail(displayName: string, address: string, addressCount: number, disabled: boolean): string {
  return `${displayName} <${address}>${addressCount > 1 ? ` with ${addressCount - 1} alias(es)` : ''}${disabled ? ', disabled' : ''}`
}
