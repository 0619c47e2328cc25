import { formatCount } from '../../components/format.ts'
import { LocalTime } from '../../components/local-time.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { PAGE_REGISTRY } from './page-registry.tsx'

/** Breadcrumb as the cloud console writes it, and the account at a glance. */
export function AppHeader() {
  const page = useAppStore((state) => state.route.page)
  const status = useAppStore((state) => state.status)
  const host = useAppStore((state) => state.host)

  return (
    <header className="app-header">
      <div>
        <p className="breadcrumb">Users &amp; Groups | Directory Synchronization</p>
        <h1>{PAGE_REGISTRY[page].title}</h1>
      </div>
      {status ? (
        <dl className="header-facts">
          <div>
            <dt>Users</dt>
            <dd data-testid="account-user-count">{formatCount(status.counts.users)}</dd>
          </div>
          <div>
            <dt>Groups</dt>
            <dd>{formatCount(status.counts.groups)}</dd>
          </div>
          <div>
            <dt>Next scheduled sync</dt>
            <dd>
              <LocalTime iso={status.nextScheduledRun} />
            </dd>
          </div>
          {host === 'browser' ? (
            <div>
              <dt>Host</dt>
              <dd>Browser session</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </header>
  )
}
