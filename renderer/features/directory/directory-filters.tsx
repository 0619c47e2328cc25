import { useId, useState } from 'react'
import { ADDRESS_TYPE_LABELS, ADDRESS_TYPES, type AddressType } from '../../../shared/domain/account.ts'
import { formatCount } from '../../components/format.ts'
import { IntegrationSelect } from '../../components/integration-select.tsx'
import { useAppStore } from '../../store/app-store.ts'
import type { DirectoryKind } from '../../store/slices/directory-slice.ts'
import { download } from '../runs/run-export.ts'

/**
 * The list's filters: the source integration (deleted ones by their name, "X (deleted)"), the
 * address type (users), and the CSV export of exactly the users the list holds as filtered.
 */
export function DirectoryFilters({ kind }: { readonly kind: DirectoryKind }) {
  const id = useId()
  const list = useAppStore((state) => (kind === 'users' ? state.directoryUsers : state.directoryGroups))
  const filter = useAppStore((state) => state.filterDirectory)
  const exportUsers = useAppStore((state) => state.exportDirectoryUsers)
  const notify = useAppStore((state) => state.notify)
  // Live integrations first, then deleted ones (whose users and groups may still name them).
  const names = [...useAppStore((state) => state.integrationNames)].sort((a, b) => Number(a.deleted) - Number(b.deleted) || a.name.localeCompare(b.name))
  const [exported, setExported] = useState<number | null>(null)

  async function runExport(): Promise<void> {
    setExported(0)
    const result = await exportUsers(setExported)
    setExported(null)
    if ('error' in result) notify('error', `The export stopped: ${result.error}`)
    else download(`directory-users-${new Date().toISOString().slice(0, 10)}.csv`, result.csv, 'text/csv')
  }

  return (
    <>
      <IntegrationSelect id={`${id}-source`} label="Source" entries={names} value={list.filters.source} onChange={(source) => void filter(kind, { source })} />
      {kind === 'users' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-type`}>Address type</label>
            <select
              id={`${id}-type`}
              value={list.filters.addressType ?? ''}
              onChange={(event) => void filter('users', { addressType: (event.target.value || null) as AddressType | null })}
            >
              <option value="">All address types</option>
              {ADDRESS_TYPES.map((type) => (
                <option key={type} value={type}>
                  {ADDRESS_TYPE_LABELS[type]}
                </option>
              ))}
            </select>
          </div>
          <button type="button" disabled={exported !== null || !list.total} onClick={() => void runExport()}>
            {exported === null ? 'Export CSV' : `Exporting… ${formatCount(exported)} users`}
          </button>
        </>
      ) : null}
    </>
  )
}
