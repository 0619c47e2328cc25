import { useEffect, useId, type ReactNode } from 'react'
import { ADDRESS_TYPE_LABELS } from '../../../shared/domain/account.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatCount } from '../../components/format.ts'
import { LocalTime } from '../../components/local-time.tsx'
import { VirtualRows } from '../../components/virtual-rows.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { directoryRow, type DirectoryKind } from '../../store/slices/directory-slice.ts'
import { integrationLabelOf } from '../../store/slices/integrations-slice.ts'
import { DirectoryFilters } from './directory-filters.tsx'
import { directoryParam, parseDirectoryTarget, type DirectoryTarget } from './directory-route.ts'
import { AliasCount } from './group-aliases.tsx'
import { GroupPage } from './group-page.tsx'
import { UserPage } from './user-page.tsx'
import { USER_STATUS } from './user-status.ts'

/**
 * The account directory as of the last sync, browsable offline: nothing here contacts a
 * directory, so it works while every source is unreachable. A user's or group's page opens beside
 * the list (its own address: `#/directory/user:<address>`, `#/directory/group:<key>`).
 */
export function DirectoryPage() {
  const route = useAppStore((state) => state.route)
  const navigate = useAppStore((state) => state.navigate)
  const users = useAppStore((state) => state.directoryUsers)
  const groups = useAppStore((state) => state.directoryGroups)
  const search = useAppStore((state) => state.searchDirectory)
  const ensure = useAppStore((state) => state.ensureDirectoryRows)
  const openDirectoryGroup = useAppStore((state) => state.openDirectoryGroup)
  const openDirectoryUser = useAppStore((state) => state.openDirectoryUser)
  const integrationNames = useAppStore((state) => state.integrationNames)
  const id = useId()

  const target = parseDirectoryTarget(route.page === 'directory' ? route.integrationId : null)
  // The list shows the kind of what is open; a tab chosen by hand wins until something else opens.
  const chosenKind = useAppStore((state) => state.directoryKind)
  const setKind = useAppStore((state) => state.setDirectoryKind)
  const kind: DirectoryKind = chosenKind
  const list = kind === 'users' ? users : groups

  useEffect(() => {
    if (target) setKind(target.type === 'user' ? 'users' : 'groups')
    void openDirectoryUser(target?.type === 'user' ? target.key : null)
    void openDirectoryGroup(target?.type === 'group' ? target.key : null)
  }, [target?.type, target?.key])

  useEffect(() => {
    // Always reload on opening the page or a tab: the directory may have changed since the last visit.
    void search(kind, list.query)
  }, [kind])

  const open = (next: DirectoryTarget | null) => navigate({ page: 'directory', integrationId: next ? directoryParam(next) : null })
  const namesOf = (ids: readonly string[]) => ids.map((integrationId) => integrationLabelOf(integrationNames, integrationId)).sort((a, b) => a.localeCompare(b)).join(', ')
  const paneOpen = (kind === 'users' && target?.type === 'user') || (kind === 'groups' && target?.type === 'group')

  return (
    <div className="directory-page">
      <div className="directory-toolbar">
        <div role="tablist" aria-label="Directory" className="tabs">
          {(['users', 'groups'] as const).map((item) => (
            <button key={item} type="button" role="tab" aria-selected={kind === item} onClick={() => setKind(item)}>
              {item === 'users' ? 'Users' : 'Groups'}
            </button>
          ))}
        </div>
        <div className="field search-field">
          <label htmlFor={`${id}-search`}>Search {kind}</label>
          <input
            id={`${id}-search`}
            type="search"
            value={list.query}
            placeholder={kind === 'users' ? 'Address or name' : 'Group name or address'}
            onChange={(event) => void search(kind, event.target.value)}
          />
        </div>
        <DirectoryFilters kind={kind} />
        <p className="as-of" role="status">
          <span className="offline-dot" aria-hidden="true" /> Offline copy —{' '}
          {list.asOf ? (
            <>
              as of <LocalTime iso={list.asOf} />
            </>
          ) : (
            'no sync yet'
          )}
          {list.total !== null ? (
            <>
              {' '}
              · <span data-testid="directory-total">
                {formatCount(list.total)}
                {list.capped ? '+' : ''}
              </span>{' '}
              {list.total === 1 && !list.capped ? kind.slice(0, -1) : kind}
            </>
          ) : null}
        </p>
      </div>

      {list.error ? <LoadError message={list.error} onRetry={() => void search(kind, list.query)} /> : null}
      {list.total === 0 && !list.error ? (
        <EmptyState title={list.query ? `No ${kind} match “${list.query}”` : list.filters.source || list.filters.addressType ? `No ${kind} match these filters` : `No ${kind} yet`}>
          {list.query || list.filters.source || list.filters.addressType ? 'Try part of an address or a name, or clear a filter.' : 'Run a sync to fill the account directory from your integrations.'}
        </EmptyState>
      ) : null}

      <div className={`directory-body ${paneOpen ? 'with-pane' : ''}`}>
        {list.total !== null && list.total > 0 && !list.error && kind === 'users' ? (
          <VirtualRows
            key={`users-${users.generation}`}
            count={users.total ?? 0}
            label="Users"
            rowNavigation
            onRange={(start, end) => void ensure('users', start, end)}
            header={
              <div role="row" className="grid-row grid-users grid-head">
                <span role="columnheader">Primary address</span>
                <span role="columnheader">Display name</span>
                <span role="columnheader">Status</span>
                <span role="columnheader">Addresses</span>
                <span role="columnheader">Sources</span>
              </div>
            }
            renderRow={(index) => {
              const user = directoryRow(users, index)
              if (!user) return <LoadingRow />
              const selected = target?.type === 'user' && target.key === user.primaryAddress
              const show = () => open({ type: 'user', key: user.primaryAddress })
              return (
                // The row is not a button (a button cannot hold table cells): the address is, and a
                // click anywhere on the row does the same for the mouse.
                <div className={`grid-row grid-users ${selected ? 'selected' : ''}`} onClick={show}>
                  <RowLink selected={selected} onOpen={show}>
                    {user.primaryAddress}
                  </RowLink>
                  <span role="cell">{user.displayName}</span>
                  <span role="cell" className={`user-status user-${user.status}`}>
                    {USER_STATUS[user.status]}
                  </span>
                  <span role="cell" className="ellipsis">
                    {user.addresses.length} ({[...new Set(user.addresses.map((address) => ADDRESS_TYPE_LABELS[address.type]))].join(', ')})
                  </span>
                  <span role="cell" className="ellipsis">
                    {namesOf(user.sources) || '—'}
                  </span>
                </div>
              )
            }}
          />
        ) : null}
        {list.total !== null && list.total > 0 && !list.error && kind === 'groups' ? (
          <VirtualRows
            key={`groups-${groups.generation}`}
            count={groups.total ?? 0}
            label="Groups"
            rowNavigation
            onRange={(start, end) => void ensure('groups', start, end)}
            header={
              <div role="row" className="grid-row grid-groups grid-head">
                <span role="columnheader">Name</span>
                <span role="columnheader">Address</span>
                <span role="columnheader">Members</span>
                <span role="columnheader">Sources</span>
              </div>
            }
            renderRow={(index) => {
              const group = directoryRow(groups, index)
              if (!group) return <LoadingRow />
              const selected = target?.type === 'group' && target.key === group.key
              const show = () => open({ type: 'group', key: group.key })
              return (
                <div className={`grid-row grid-groups ${selected ? 'selected' : ''}`} onClick={show}>
                  <RowLink selected={selected} onOpen={show}>
                    {group.name}
                  </RowLink>
                  <span role="cell">
                    {group.address ?? '—'}
                    <AliasCount aliases={group.aliases} />
                  </span>
                  <span role="cell">{formatCount(group.memberCount)}</span>
                  <span role="cell" className="ellipsis">
                    {namesOf(group.sources) || (group.origin === 'manual' ? 'Manually created' : '—')}
                  </span>
                </div>
              )
            }}
          />
        ) : null}

        {kind === 'users' && target?.type === 'user' ? <UserPage onClose={() => open(null)} /> : null}
        {kind === 'groups' && target?.type === 'group' ? <GroupPage onClose={() => open(null)} /> : null}
      </div>
    </div>
  )
}

/** A row's first cell: the button that opens its page (the row's own click does the same for the mouse). */
function RowLink({ selected, onOpen, children }: { readonly selected: boolean; readonly onOpen: () => void; readonly children: ReactNode }) {
  return (
    <span role="cell">
      <button
        type="button"
        className="row-link"
        aria-pressed={selected}
        onClick={(event) => {
          event.stopPropagation()
          onOpen()
        }}
      >
        {children}
      </button>
    </span>
  )
}

/** A row whose page is still on its way; one cell, so the table structure stays valid for screen readers. */
function LoadingRow() {
  return (
    <div className="grid-row placeholder">
      <span role="cell">Loading…</span>
    </div>
  )
}
