import { ADDRESS_TYPE_LABELS } from '../../../shared/domain/account.ts'
import { LoadError } from '../../components/empty-state.tsx'
import { LocalTime } from '../../components/local-time.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { directoryParam } from './directory-route.ts'
import { HistorySlot } from './history-slot.tsx'
import { SourceNames } from './source-names.tsx'
import { USER_STATUS } from './user-status.ts'

/**
 * One user's page beside the list: status, the integrations backing it, each address with its
 * type and the integrations whose directory holds it, the groups it is in (each a link to the
 * group's page), its attributes, and its history.
 */
export function UserPage({ onClose }: { readonly onClose: () => void }) {
  const open = useAppStore((state) => state.openUser)
  const navigate = useAppStore((state) => state.navigate)
  if (!open) return null
  const user = open.detail
  const title = user ? user.displayName || user.primaryAddress : open.key

  return (
    <aside className="pane directory-pane" aria-label={`User ${open.key}`}>
      <div className="pane-header">
        <div>
          <h2>{title}</h2>
          {user && user.displayName ? <p className="muted">{user.primaryAddress}</p> : null}
        </div>
        <button type="button" className="link-button" aria-label="Close user" onClick={onClose}>
          Close
        </button>
      </div>
      {open.error ? <LoadError message={open.error} /> : null}
      {!user && !open.error ? <p aria-busy="true">Loading the user…</p> : null}
      {user ? (
        <>
          <dl className="facts">
            <div className="fact">
              <dt>Status</dt>
              <dd>
                {USER_STATUS[user.status]}
                {user.deletedAt ? (
                  <>
                    {' '}
                    since <LocalTime iso={user.deletedAt} />
                  </>
                ) : null}
              </dd>
            </div>
            <div className="fact">
              <dt>Backed by</dt>
              <dd>
                <SourceNames sources={user.sources} none="No integration" />
              </dd>
            </div>
          </dl>
          <table className="data-table compact">
            <caption>Addresses</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Address type</th>
                <th scope="col">Integrations</th>
              </tr>
            </thead>
            <tbody>
              {user.addresses.map((address) => (
                <tr key={address.address}>
                  <td>
                    {address.address} {address.primary ? <span className="badge badge-ok">Primary</span> : null}
                  </td>
                  <td>{ADDRESS_TYPE_LABELS[address.type]}</td>
                  <td>
                    <SourceNames sources={address.sources} none="None (in no directory now)" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="data-table compact">
            <caption>Groups</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Address</th>
                <th scope="col">Integrations</th>
              </tr>
            </thead>
            <tbody>
              {user.groups.length === 0 ? (
                <tr>
                  <td colSpan={3} className="muted">
                    In no group.
                  </td>
                </tr>
              ) : (
                user.groups.map((group) => (
                  <tr key={group.key}>
                    <td>
                      <a
                        href={`#/directory/${encodeURIComponent(directoryParam({ type: 'group', key: group.key }))}`}
                        onClick={(event) => {
                          event.preventDefault()
                          navigate({ page: 'directory', integrationId: directoryParam({ type: 'group', key: group.key }) })
                        }}
                      >
                        {group.name}
                      </a>
                    </td>
                    <td>{group.address ?? <span className="muted">No address</span>}</td>
                    <td>
                      <SourceNames sources={group.sources} none="Manually created" />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {Object.keys(user.attributes).length > 0 ? (
            <dl className="facts">
              {Object.entries(user.attributes).map(([key, value]) => (
                <div key={key} className="fact">
                  <dt>{key}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <HistorySlot subject={{ type: 'user', key: user.primaryAddress }} />
        </>
      ) : null}
    </aside>
  )
}
