import type { ComponentType } from 'react'
import type { Page } from '../../store/slices/ui-slice.ts'
import { DirectoryPage } from '../directory/directory-page.tsx'
import { HeldActionsPage } from '../held/held-actions-page.tsx'
import { IntegrationsPage } from '../integrations/integrations-page.tsx'
import { MigrationPage } from '../migration/migration-page.tsx'
import { RunsPage } from '../runs/runs-page.tsx'
import { AccountSettingsPage } from '../settings/account-settings-page.tsx'

export interface PageInfo {
  /** Its entry in the side navigation. */
  readonly nav: string
  /** The page heading (h1). */
  readonly title: string
  readonly component: ComponentType
}

/**
 * The console's pages, in navigation order: the one place that says which pages exist, what
 * they are called and what they show. The hash route, the navigation, the heading and the page
 * body all read it, and `satisfies` makes a page without an entry a compile error.
 */
export const PAGE_REGISTRY = {
  integrations: { nav: 'Integrations', title: 'Directory Synchronization', component: IntegrationsPage },
  held: { nav: 'Held actions', title: 'Held actions', component: HeldActionsPage },
  directory: { nav: 'Directory', title: 'Directory', component: DirectoryPage },
  runs: { nav: 'Run history', title: 'Run history', component: RunsPage },
  migration: { nav: 'Migrate', title: 'Migrate to a new directory', component: MigrationPage },
  settings: { nav: 'Settings', title: 'Account settings', component: AccountSettingsPage },
} as const satisfies Record<Page, PageInfo>

export const PAGE_ORDER = Object.keys(PAGE_REGISTRY) as Page[]

export function isPage(value: string | undefined): value is Page {
  return value !== undefined && Object.hasOwn(PAGE_REGISTRY, value)
}
