import { useEffect, useId, useState } from 'react'
import { ADDRESS_TYPE_LABELS, type AccountGroup, type AccountUser } from '../../../shared/domain/account.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { formatCount, formatDateTime, formatRelative } from '../../components/format.ts'
import { directoryRow, type DirectoryKind } from '../../store/slices/directory-slice.ts'
import { useAppStore } from '../../store/app-store.ts'
import { integrationLabelOf } from '../../store/slices/integrations-slice.ts'
import { VirtualRows } from '../../components/virtual-rows.tsx'
import { AliasCount, GroupAliases } from './group-aliases.tsx'

const USER_STATUS = { active: 'Active', disabled: 'Disabled', deleted: 'Deleted' } as const

/**
 * The account directory as of the last sync, browsable offline: nothing here contacts a
 * directory, so it works while every source is unreachable.
 */
export function DirectoryPage() {
  const [kind, setKind] = useState<DirectoryKind>('users')
  const users = useAppStore((state) => state.directoryUsers)
  const groups = useAppStore((state) => state.directoryGroups)
  const search = useAppStore((state) => state.searchDirectory)
  const ensure = useAppStore((state) => state.ensureDirectoryRows)
  const openGroup = useAppStore((state) => state.openGroup)
  const openDirectoryGroup = useAppStore((state) => state.openDirectoryGroup)
  const integrationNames = useAppStore((state) => state.integrationNames)
  const [selectedUser, setSelectedUser] = useState<AccountUser | null>(null)
  const id = useId()

  const list = kind === 'users' ? users : groups
  useEffect(() => {
    // Always reload on opening the page: the directory may have changed since the last visit.
    void search(kind, list.query)
  }, [kind])

  const nameOf = (integrationId: string) => integrationLabelOf(integrationNames, integrationId)

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
        <p className="as-of" role="status">
          <span className="offline-dot" aria-hidden="true" /> Offline copy —{' '}
          {list.asOf ? (
            <>
              as of <time dateTime={list.asOf}>{formatDateTime(list.asOf)}</time> ({formatRelative(list.asOf)})
            </>
          ) : (
            'no sync yet'
          )}
          {list.total !== null ? (
            <>
              {' '}
              · <span data-testid="directory-total">{formatCount(list.total)}{list.capped ? '+' : ''}</span> {list.total === 1 ? kind.slice(0, -1) : kind}
            </>
          ) : null}
        </p>
      </div>

      {list.error ? <LoadError message={list.error} onRetry={() => void search(kind, list.query)} /> : null}
      {list.total === 0 && !list.error ? (
        <EmptyState title={list.query ? `No ${kind} match “${list.query}”` : `No ${kind} yet`}>
          {list.query ? 'Try part of an address or a name.' : 'Run a sync to fill the account directory from your integrations.'}
        </EmptyState>
      ) : null}

      <div className={`directory-body ${(kind === 'users' && selectedUser) || (kind === 'groups' && openGroup) ? 'with-pane' : ''}`}>
        {list.total !== null && list.total > 0 && !list.error && kind === 'users' ? (
          <VirtualRows
            key={`users-${users.generation}`}
            count={users.total ?? 0}
            label="Users"
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
              return (
                // The row is not a button (a button cannot hold table cells): the address is, and a
                // click anywhere on the row does the same for the mouse.
                <div className={`grid-row grid-users ${selectedUser?.primaryAddress === user.primaryAddress ? 'selected' : ''}`} onClick={() => setSelectedUser(user)}>
                  <span role="cell">
                    <button type="button" className="row-link" aria-pressed={selectedUser?.primaryAddress === user.primaryAddress} onClick={(event) => {
                      event.stopPropagation()
                      setSelectedUser(user)
                    }}>
                      {user.primaryAddress}
                    </button>
                  </span>
                  <span role="cell">{user.displayName}</span>
                  <span role="cell" className={`user-status user-${user.status}`}>
                    {USER_STATUS[user.status]}
                  </span>
                  <span role="cell" className="ellipsis">
                    {user.addresses.length} ({[...new Set(user.addresses.map((address) => ADDRESS_TYPE_LABELS[address.type]))].join(', ')})
                  </span>
                  <span role="cell" className="ellipsis">
                    {user.sources.map(nameOf).join(', ') || '—'}
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
              return (
                <div className={`grid-row grid-groups ${openGroup?.key === group.key ? 'selected' : ''}`} onClick={() => void openDirectoryGroup(group.key)}>
                  <span role="cell">
                    <button type="button" className="row-link" aria-pressed={openGroup?.key === group.key} onClick={(event) => {
                      event.stopPropagation()
                      void openDirectoryGroup(group.key)
                    }}>
                      {group.name}
                    </button>
                  </span>
                  <span role="cell">
                    {group.address ?? '—'}
                    <AliasCount aliases={group.aliases} />
                  </span>
                  <span role="cell">{formatCount(group.memberCount)}</span>
                  <span role="cell" className="ellipsis">
                    {group.sources.map(nameOf).join(', ') || (group.origin === 'manual' ? 'Manually created' : '—')}
                  </span>
                </div>
              )
            }}
          />
        ) : null}

        {kind === 'users' && selectedUser ? (
          <aside className="pane" aria-label={`User ${selectedUser.primaryAddress}`}>
            <div className="pane-header">
              <h2>{selectedUser.displayName || selectedUser.primaryAddress}</h2>
              <button type="button" className="link-button" aria-label="Close user" onClick={() => setSelectedUser(null)}>
                ✕
              </button>
            </div>
            <p>
              {USER_STATUS[selectedUser.status]}
              {selectedUser.deletedAt ? ` since ${formatDateTime(selectedUser.deletedAt)}` : ''} · backed by {selectedUser.sources.map(nameOf).join(', ') || 'no integration'}
            </p>
            <table className="data-table compact">
              <caption>Addresses</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Address type</th>
                </tr>
              </thead>
              <tbody>
                {selectedUser.addresses.map((address) => (
                  <tr key={address.address}>
                    <td>
                      {address.address} {address.primary ? <span className="badge badge-ok">Primary</span> : null}
                    </td>
                    <td>{ADDRESS_TYPE_LABELS[address.type]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {Object.keys(selectedUser.attributes).length > 0 ? (
              <dl className="facts">
                {Object.entries(selectedUser.attributes).map(([key, value]) => (
                  <div key={key} className="fact">
                    <dt>{key}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </aside>
        ) : null}

        {kind === 'groups' && openGroup ? (
          <aside className="pane" aria-label="Group members">
            <div className="pane-header">
              <h2>{directoryGroupName(groups.pages, openGroup.key)}</h2>
              <button type="button" className="link-button" aria-label="Close group" onClick={() => void openDirectoryGroup(null)}>
                ✕
              </button>
            </div>
            <GroupAliases aliases={directoryGroupRow(groups.pages, openGroup.key)?.aliases ?? []} />
            {openGroup.error ? <LoadError message={openGroup.error} /> : null}
            {openGroup.total === null && !openGroup.error ? <p className="muted">Loading members…</p> : null}
            {openGroup.total !== null ? (
              <>
                <p>
                  {formatCount(openGroup.total)} {openGroup.total === 1 ? 'member' : 'members'}
                  {openGroup.total > openGroup.members.length ? ` (first ${formatCount(openGroup.members.length)} shown)` : ''}
                </p>
                {/* Focusable: a list that scrolls must be reachable by keyboard (axe: scrollable-region-focusable). */}
                <ul className="member-list" tabIndex={0} aria-label="Members">
                  {openGroup.members.map((member) => (
                    <li key={member.address}>
                      {member.displayName ? `${member.displayName} — ` : ''}
                      {member.address}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </aside>
        ) : null}
      </div>
    </div>
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

function directoryGroupName(pages: Readonly<Record<number, readonly AccountGroup[]>>, key: string): string {
  return directoryGroupRow(pages, key)?.name ?? key
}

function directoryGroupRow(pages: Readonly<Record<number, readonly AccountGroup[]>>, key: string): AccountGroup | undefined {
  for (const rows of Object.values(pages)) {
    const group = rows.find((row) => row.key === key)
    if (group) return group
  }
  return undefined
}
