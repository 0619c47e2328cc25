import { ADDRESS_TYPE_LABELS, type AccountUser } from '../domain/account.ts'
import { csvRows } from './csv.ts'

export const USER_CSV_HEADER = ['Primary address', 'Display name', 'Status', 'Addresses', 'Address types', 'Sources'] as const

/**
 * Users as CSV rows (the directory browser's export): every address and its type in the product's
 * words, the backing integrations by name, alphabetically. `header` starts the file; later chunks leave it out.
 */
export function usersToCsv(users: readonly AccountUser[], nameOf: (integrationId: string) => string, header: boolean): string {
  const rows = users.map((user) => [
    user.primaryAddress,
    user.displayName,
    user.status,
    user.addresses.map((a) => a.address).join('; '),
    user.addresses.map((a) => ADDRESS_TYPE_LABELS[a.type]).join('; '),
    user.sources.map(nameOf).sort((a, b) => a.localeCompare(b)).join('; '),
  ])
  return rows.length === 0 && !header ? '' : csvRows(header ? [[...USER_CSV_HEADER], ...rows] : rows)
}
