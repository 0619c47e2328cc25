import { useEffect } from 'react'
import type { Page, Route } from '../../store/slices/ui-slice.ts'
import { useAppStore } from '../../store/app-store.ts'
import { isPage } from './page-registry.tsx'

/** `#/integrations/abc` → { page: 'integrations', integrationId: 'abc' }; unknown hashes → the list. */
export function parseHash(hash: string): Route {
  const [pageName, rawId] = hash.replace(/^#\/?/, '').split('/')
  const page: Page = isPage(pageName) ? pageName : 'integrations'
  return { page, integrationId: rawId ? decodeURIComponent(rawId) : null }
}

export function routeToHash(route: Route): string {
  return `#/${route.page}${route.integrationId ? `/${encodeURIComponent(route.integrationId)}` : ''}`
}

/** Keeps the store's route and the address bar in step, so Back and links work. */
export function useHashRoute(): void {
  const route = useAppStore((state) => state.route)
  const navigate = useAppStore((state) => state.navigate)

  useEffect(() => {
    const apply = () => navigate(parseHash(window.location.hash))
    apply()
    window.addEventListener('hashchange', apply)
    return () => window.removeEventListener('hashchange', apply)
  }, [navigate])

  useEffect(() => {
    const hash = routeToHash(route)
    if (window.location.hash !== hash) window.history.pushState(null, '', hash)
  }, [route])
}
