import { useAppStore } from '../../store/app-store.ts'
import { PAGE_ORDER, PAGE_REGISTRY } from './page-registry.tsx'

const ITEMS = PAGE_ORDER.map((page) => ({ page, label: PAGE_REGISTRY[page].nav }))

export function SideNav() {
  const current = useAppStore((state) => state.route.page)
  const navigate = useAppStore((state) => state.navigate)
  const held = useAppStore((state) => (state.status ? state.status.heldByReason.blocked + state.status.heldByReason.threshold : 0))
  const migrating = useAppStore((state) => state.migrations.some((migration) => migration.step !== 'done'))

  return (
    <nav className="side-nav" aria-label="Console">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          DS
        </span>
        <span>Directory Sync</span>
      </div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.page}>
            <a
              href={`#/${item.page}`}
              aria-current={current === item.page ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault()
                navigate({ page: item.page })
              }}
            >
              {item.label}
              {item.page === 'held' && held > 0 ? (
                <span className="nav-count" aria-label={`${held} held`}>
                  {held.toLocaleString()}
                </span>
              ) : null}
              {item.page === 'migration' && migrating ? <span className="nav-count nav-count-info">In progress</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
