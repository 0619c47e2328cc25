import { formatCount, formatDateTime } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'

const TITLES = { integrations: 'Directory Synchronization', held: 'Held actions', directory: 'Directory', runs: 'Run history', migration: 'Migrate to a new directory' } as const

/** Breadcrumb as the cloud console writes it, and the account at a glance. */
export function AppHeader() {
  const page = useAppStore((state) => state.route.page)
  const status = useAppStore((state) => state.status)
  const host = useAppStore((state) => state.host)

  return (
    <header className="app-header">
      <div>
        <p className="breadcrumb">Users &amp; Groups | Directory Synchronization</p>
        <h1>{TITLES[page]}</h1>
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
            <dd>{formatDateTime(status.nextScheduledRun)}</dd>
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
