import { walkGroups } from '../walk-groups.ts'

/**
 * Google group membership as the Directory API lists it, and the walk through nested groups. Rows
 * are USER (a user of the customer, or of another organisation), GROUP (nested) and CUSTOMER
 * ("everyone in the organisation").
 */
export interface GoogleMembers {
  readonly users: Set<string>
  readonly groups: Set<string>
  /** A CUSTOMER row: every user of the customer is a member. */
  customer: boolean
  /** USER rows that are not users of the customer, id → address: reported, not imported. */
  readonly outside: Map<string, string>
}

export function addMemberRow(into: GoogleMembers, row: Record<string, unknown>, isCustomerUser: (id: string) => boolean): void {
  const id = row['id']
  if (typeof id !== 'string' || id === '') return
  if (row['type'] === 'CUSTOMER') into.customer = true
  else if (row['type'] === 'GROUP') into.groups.add(id)
  else if (row['type'] === 'USER') {
    if (isCustomerUser(id)) into.users.add(id)
    else into.outside.set(id, typeof row['email'] === 'string' ? row['email'] : id)
  }
}

/**
 * The imported users who are members of a group through any depth of nesting (cycles allowed): a
 * CUSTOMER row anywhere below counts every imported user; ids that are not imported users (people
 * outside the customer or the Domain filter) are left out.
 */
export function flattenGoogleMembers(groupId: string, direct: ReadonlyMap<string, GoogleMembers>, imported: ReadonlySet<string>): string[] {
  const users = new Set<string>()
  let everyone = false
  walkGroups(groupId, (id) => direct.get(id)?.groups ?? [], (id) => {
    const members = direct.get(id)
    if (members?.customer) everyone = true
    for (const u of members?.users ?? []) if (imported.has(u)) users.add(u)
  })
  return everyone ? [...imported] : [...users]
}
