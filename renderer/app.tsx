import { useEffect } from 'react'
import { BlockerBanner } from './features/banners/blocker-banner.tsx'
import { ThresholdBanner } from './features/banners/threshold-banner.tsx'
import { AppHeader } from './features/shell/app-header.tsx'
import { NextSyncStrip } from './features/shell/next-sync-strip.tsx'
import { Notices } from './features/shell/notices.tsx'
import { PAGE_REGISTRY } from './features/shell/page-registry.tsx'
import { SideNav } from './features/shell/side-nav.tsx'
import { useHashRoute } from './features/shell/use-hash-route.ts'
import { useAppStore } from './store/app-store.ts'

/** The console: navigation, the banners every page shows, and the current page. */
export function App() {
  const page = useAppStore((state) => state.route.page)
  const refresh = useAppStore((state) => state.refresh)
  const loadAppInfo = useAppStore((state) => state.loadAppInfo)
  useHashRoute()
  const CurrentPage = PAGE_REGISTRY[page].component

  useEffect(() => {
    void loadAppInfo()
    void refresh()
  }, [loadAppInfo, refresh])

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SideNav />
      <div className="app-main">
        <AppHeader />
        <BlockerBanner />
        <ThresholdBanner />
        <NextSyncStrip />
        <main id="main" className="page" tabIndex={-1}>
          <CurrentPage />
        </main>
      </div>
      <Notices />
    </div>
  )
}
