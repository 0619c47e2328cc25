import type { AccountGroupDetail } from '../../../shared/domain/directory-detail.ts'
import { LoadError } from '../../components/empty-state.tsx'
import { formatCount } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { directoryParam } from './directory-route.ts'
import { GroupAliases } from './group-aliases.tsx'
import { HistorySlot } from './history-slot.tsx'
import { SourceNames } from './source-names.tsx'

/**
 * A group's title that tells two groups of one name apart: "Finance <finance@a.example>", or,
 * without an address, "Finance (HR Export)".
 */
export function groupTitle(group: Pick<AccountGroupDetail, 'name' | 'address' | 'sources' | 'origin'>): string {
  if (group.address) return `${group.name} <${group.address}>`
  const from = group.sources.map((source) => source.name).join(', ')
  return `${group.name} (${from || (group.origin === 'manual' ? 'manually created' : 'no integration')})`
}

/**
 * One group's page beside the list: which integrations back it, its address and aliases, its
 * members (each a link to the user's page), and its history.
 */
export function GroupPage({ onClose }: { readonly onClose: () => void }) {
  const open = useAppStore((state) => state.openGroupDetail)
  const members = useAppStore((state) => state.openGroup)
  const navigate = useAppStore((state) => state.navigate)
  if (!open) return null
  const group = open.detail

  return (
    <aside className="pane directory-pane" aria-label={group ? `Group ${groupTitle(group)}` : 'Group'}>
      <div className="pane-header">
        <h2>{group ? groupTitle(group) : 'Loading the group…'}</h2>
        <button type="button" className="link-button" aria-label="Close group" onClick={onClose}>
          Close
        </button>
      </div>
      {open.error ? <LoadError message={open.error} /> : null}
      {group ? (
        <>
          <dl className="facts">
            <div className="fact">
              <dt>Integrations</dt>
              <dd>
                <SourceNames sources={group.sources} none={group.origin === 'manual' ? 'Manually created' : 'No integration'} />
              </dd>
            </div>
            <div className="fact">
              <dt>Address</dt>
              <dd>{group.address ?? <span className="muted">No address</span>}</dd>
            </div>
          </dl>
          <GroupAliases aliases={group.aliases} />
        </>
      ) : null}
      {members?.error ? <LoadError message={members.error} /> : null}
      {members && members.total === null && !members.error ? <p className="muted">Loading members…</p> : null}
      {members && members.total !== null ? (
        <section aria-label="Members">
          <h3>
            {formatCount(members.total)} {members.total === 1 ? 'member' : 'members'}
            {members.total > members.members.length ? ` (first ${formatCount(members.members.length)} shown)` : ''}
          </h3>
          {/* Focusable: a list that scrolls must be reachable by keyboard (axe: scrollable-region-focusable). */}
          <ul className="member-list" tabIndex={0} aria-label="Members">
            {members.members.map((member) => (
              <li key={member.address}>
                <a
                  href={`#/directory/${encodeURIComponent(directoryParam({ type: 'user', key: member.address }))}`}
                  onClick={(event) => {
                    event.preventDefault()
                    navigate({ page: 'directory', integrationId: directoryParam({ type: 'user', key: member.address }) })
                  }}
                >
                  {member.displayName ? `${member.displayName} — ` : ''}
                  {member.address}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {group ? <HistorySlot subject={{ type: 'group', key: group.key }} /> : null}
    </aside>
  )
}
