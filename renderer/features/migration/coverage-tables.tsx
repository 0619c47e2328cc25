import { useDeferredValue, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { CoverageCategory, CoverageConflict, CoverageGroup, CoverageReport, CoverageUser } from '../../../shared/domain/migration.ts'
import { formatCount } from '../../components/format.ts'
import { VirtualRows } from '../../components/virtual-rows.tsx'

export const CATEGORY_LABELS: Readonly<Record<CoverageCategory, string>> = {
  matched: 'Matched by address',
  'matched-by-alias': 'Matched by alias',
  'only-in-old': 'Only in old',
  'only-in-new': 'Only in new',
}

const CONFLICT_LABELS: Readonly<Record<CoverageConflict['kind'], string>> = {
  owner: 'Address owned by someone else',
  'display-name': 'Display name differs',
  enabled: 'Enabled flag differs',
}

type TableId = 'users' | 'conflicts' | 'groups'

/** Case-insensitive "contains" over the given texts; an empty query matches everything. */
function matches(query: string, ...texts: readonly (string | null)[]): boolean {
  if (query === '') return true
  return texts.some((text) => text !== null && text.toLowerCase().includes(query))
}

/**
 * The report's rows: users, conflicts, and groups whose membership differs — each filterable by
 * category and text, and virtualised (a migration of 100k users has 100k rows here).
 */
export function CoverageTables({ report }: { readonly report: CoverageReport }) {
  const [table, setTable] = useState<TableId>(report.counts.onlyInOld > 0 ? 'users' : report.conflicts.length > 0 ? 'conflicts' : 'users')
  const [category, setCategory] = useState<string>('')
  const [text, setText] = useState('')
  // Typing stays responsive while a large list is filtered behind it.
  const query = useDeferredValue(text.trim().toLowerCase())
  const id = useId()
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({})

  const groupDifferences = useMemo(() => report.groups.filter((group) => group.category !== 'matched' || group.membersOnlyInOld.length > 0 || group.membersOnlyInNew.length > 0), [report.groups])
  const users = useMemo(
    () => report.users.filter((user) => (category === '' || user.category === category) && matches(query, user.oldPrimary, user.newPrimary, user.oldDisplayName, user.newDisplayName, user.via)),
    [report.users, category, query],
  )
  const conflicts = useMemo(
    () => report.conflicts.filter((conflict) => (category === '' || conflict.kind === category) && matches(query, conflict.address, conflict.old, conflict.new, conflict.detail)),
    [report.conflicts, category, query],
  )
  const groups = useMemo(
    () =>
      groupDifferences.filter(
        (group) => (category === '' || group.category === category) && matches(query, group.oldName, group.newName, group.address, ...group.membersOnlyInOld, ...group.membersOnlyInNew),
      ),
    [groupDifferences, category, query],
  )

  const tabs: readonly { readonly id: TableId; readonly label: string; readonly count: number }[] = [
    { id: 'users', label: 'Users', count: report.users.length },
    { id: 'conflicts', label: 'Conflicts', count: report.conflicts.length },
    { id: 'groups', label: 'Group differences', count: groupDifferences.length },
  ]
  const categories: readonly [string, string][] = table === 'conflicts' ? Object.entries(CONFLICT_LABELS) : Object.entries(CATEGORY_LABELS)
  const shown = table === 'users' ? users.length : table === 'conflicts' ? conflicts.length : groups.length
  const totalOf = tabs.find((tab) => tab.id === table)?.count ?? 0

  function choose(next: TableId): void {
    setTable(next)
    setCategory('')
  }

  function onTabKey(event: React.KeyboardEvent, index: number): void {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (delta === 0) return
    event.preventDefault()
    const next = tabs[(index + delta + tabs.length) % tabs.length]
    if (!next) return
    choose(next.id)
    tabRefs.current[next.id]?.focus()
  }

  return (
    <section className="coverage-tables" aria-label="Coverage details">
      <div role="tablist" aria-label="Coverage details" className="tabs">
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              tabRefs.current[tab.id] = element
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab.id}`}
            aria-selected={table === tab.id}
            aria-controls={`${id}-panel`}
            tabIndex={table === tab.id ? 0 : -1}
            onClick={() => choose(tab.id)}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {tab.label} ({formatCount(tab.count)})
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${table}`} className="tab-panel">
        <form className="filters" aria-label="Filter the coverage rows" onSubmit={(event) => event.preventDefault()}>
          <div className="field">
            <label htmlFor={`${id}-category`}>{table === 'conflicts' ? 'Kind' : 'Category'}</label>
            <select id={`${id}-category`} value={category} onChange={(event) => setCategory(event.target.value)}>
              <option value="">All</option>
              {categories.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field search-field">
            <label htmlFor={`${id}-search`}>Search</label>
            <input id={`${id}-search`} type="search" value={text} placeholder="Address or name" onChange={(event) => setText(event.target.value)} />
          </div>
          <p className="muted small filter-count" role="status" data-testid="coverage-shown">
            {shown === totalOf ? `${formatCount(shown)} rows` : `${formatCount(shown)} of ${formatCount(totalOf)} rows`}
          </p>
        </form>
        {shown === 0 ? <p className="muted">No row matches.</p> : null}
        {/* Keyed by the filter: a new filter starts at the top, with a fresh virtual range. */}
        {shown > 0 && table === 'users' ? <UserRows key={`${category}|${query}`} rows={users} /> : null}
        {shown > 0 && table === 'conflicts' ? <ConflictRows key={`${category}|${query}`} rows={conflicts} /> : null}
        {shown > 0 && table === 'groups' ? <GroupRows key={`${category}|${query}`} rows={groups} /> : null}
      </div>
    </section>
  )
}

function Header({ className, columns }: { readonly className: string; readonly columns: readonly string[] }) {
  return (
    <div role="row" className={`grid-row grid-head ${className}`}>
      {columns.map((column) => (
        <span key={column} role="columnheader">
          {column}
        </span>
      ))}
    </div>
  )
}

function Cells({ className, children }: { readonly className: string; readonly children: ReactNode }) {
  return <div className={`grid-row ${className}`}>{children}</div>
}

function Cell({ children, className }: { readonly children: ReactNode; readonly className?: string }) {
  const content = children === null || children === '' ? '—' : children
  return (
    <span role="cell" className={className} title={typeof content === 'string' ? content : undefined}>
      {content}
    </span>
  )
}

function UserRows({ rows }: { readonly rows: readonly CoverageUser[] }) {
  return (
    <VirtualRows
      count={rows.length}
      label="Coverage of users"
      scrollerClassName="virtual-scroller-short"
      header={<Header className="grid-coverage-users" columns={['Category', 'Old primary', 'New primary', 'Old display name', 'New display name', 'Matched via']} />}
      renderRow={(index) => {
        const user = rows[index]
        if (!user) return null
        return (
          <Cells className="grid-coverage-users">
            <Cell className={`category category-${user.category}`}>{CATEGORY_LABELS[user.category]}</Cell>
            <Cell>{user.oldPrimary}</Cell>
            <Cell>{user.newPrimary}</Cell>
            <Cell>{user.oldDisplayName}</Cell>
            <Cell>{user.newDisplayName}</Cell>
            <Cell>{user.via}</Cell>
          </Cells>
        )
      }}
    />
  )
}

function ConflictRows({ rows }: { readonly rows: readonly CoverageConflict[] }) {
  return (
    <VirtualRows
      count={rows.length}
      label="Conflicts"
      scrollerClassName="virtual-scroller-short"
      header={<Header className="grid-coverage-conflicts" columns={['Kind', 'Address', 'Old', 'New', 'Detail']} />}
      renderRow={(index) => {
        const conflict = rows[index]
        if (!conflict) return null
        return (
          <Cells className="grid-coverage-conflicts">
            <Cell>{CONFLICT_LABELS[conflict.kind]}</Cell>
            <Cell>{conflict.address}</Cell>
            <Cell>{conflict.old}</Cell>
            <Cell>{conflict.new}</Cell>
            <Cell>{conflict.detail}</Cell>
          </Cells>
        )
      }}
    />
  )
}

/** "ann@x, bob@x and 8 more" — the full lists are in the CSV export. */
function memberSummary(members: readonly string[]): string {
  if (members.length === 0) return '—'
  const head = members.slice(0, 2).join(', ')
  return members.length > 2 ? `${formatCount(members.length)}: ${head} and ${formatCount(members.length - 2)} more` : `${members.length}: ${head}`
}

function GroupRows({ rows }: { readonly rows: readonly CoverageGroup[] }) {
  return (
    <VirtualRows
      count={rows.length}
      label="Group differences"
      scrollerClassName="virtual-scroller-short"
      header={<Header className="grid-coverage-groups" columns={['Category', 'Old name', 'New name', 'Address', 'Members only in old', 'Members only in new']} />}
      renderRow={(index) => {
        const group = rows[index]
        if (!group) return null
        return (
          <Cells className="grid-coverage-groups">
            <Cell className={`category category-${group.category}`}>{CATEGORY_LABELS[group.category]}</Cell>
            <Cell>{group.oldName}</Cell>
            <Cell>{group.newName}</Cell>
            <Cell>{group.address}</Cell>
            <Cell>{memberSummary(group.membersOnlyInOld)}</Cell>
            <Cell>{memberSummary(group.membersOnlyInNew)}</Cell>
          </Cells>
        )
      }}
    />
  )
}
