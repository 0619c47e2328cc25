import type { AccountGroup, AccountUser, AddressType } from '../../../shared/domain/account.ts'
import type { AccountGroupDetail, AccountUserDetail } from '../../../shared/domain/directory-detail.ts'
import type { IpcResponse } from '../../../shared/ipc/contract.ts'
import { call } from '../call.ts'
import type { SliceContext } from '../types.ts'

/** Rows fetched per request while scrolling; 200 rows ≈ 6 screens, small enough to answer fast. */
export const DIRECTORY_PAGE_SIZE = 200

/** Users per export request: 5,000 rows of CSV (~1 MB) per answer. */
const EXPORT_CHUNK = 5000

export type DirectoryKind = 'users' | 'groups'
type Row<K extends DirectoryKind> = K extends 'users' ? AccountUser : AccountGroup

/** What a list is narrowed to besides its search text (the address type applies to users only). */
export interface DirectoryFilters {
  /** An integration id, live or deleted; null = every source. */
  readonly source: string | null
  readonly addressType: AddressType | null
}

export interface DirectoryList<T> {
  readonly query: string
  readonly filters: DirectoryFilters
  /** Bumped on every new query, so answers to an older query are dropped. */
  readonly generation: number
  readonly total: number | null
  /** The total is a lower bound ("10,000+"): the core stops counting there; it grows as later pages arrive. */
  readonly capped: boolean
  readonly asOf: string | null
  /** page index → rows; absent pages are fetched when scrolled into view. */
  readonly pages: Readonly<Record<number, readonly T[]>>
  readonly error: string | null
}

export type GroupMember = IpcResponse<'directory:group-members'>['rows'][number]

/** A user's or group's page, loading (detail null), loaded, or failed. */
export interface OpenObject<D> {
  readonly key: string
  readonly detail: D | null
  readonly error: string | null
}

export interface DirectorySlice {
  /** Which list the directory page shows (Default: users); opening a user's or group's page switches it. */
  readonly directoryKind: DirectoryKind
  readonly setDirectoryKind: (kind: DirectoryKind) => void
  readonly directoryUsers: DirectoryList<AccountUser>
  readonly directoryGroups: DirectoryList<AccountGroup>
  readonly openGroup: { readonly key: string; readonly members: readonly GroupMember[]; readonly total: number | null; readonly error: string | null } | null
  /** The group page open beside the list (its sources and aliases), with `openGroup` holding its members. */
  readonly openGroupDetail: OpenObject<AccountGroupDetail> | null
  /** The user page open beside the list. */
  readonly openUser: OpenObject<AccountUserDetail> | null
  readonly searchDirectory: (kind: DirectoryKind, query: string) => Promise<void>
  /** Narrow a list by source or address type; the list starts again from its first page. */
  readonly filterDirectory: (kind: DirectoryKind, filters: Partial<DirectoryFilters>) => Promise<void>
  readonly openDirectoryUser: (address: string | null) => Promise<void>
  /**
   * Every user of the list as filtered now (all of them, not only those loaded) as CSV, streamed
   * from the core a chunk at a time; `onProgress` hears the users written so far.
   */
  readonly exportDirectoryUsers: (onProgress: (users: number) => void) => Promise<{ readonly csv: string } | { readonly error: string }>
  /** Make sure the rows [start, end) are loaded (called by the virtual list as it scrolls). */
  readonly ensureDirectoryRows: (kind: DirectoryKind, start: number, end: number) => Promise<void>
  readonly openDirectoryGroup: (key: string | null) => Promise<void>
}

const EMPTY_LIST = { query: '', filters: { source: null, addressType: null }, generation: 0, total: null, capped: false, asOf: null, pages: {}, error: null }

/** A page's total: exact, or a lower bound that only grows while the same query's pages arrive. */
function totalOf(current: DirectoryList<unknown>, answer: { readonly total: number; readonly capped?: boolean }): { total: number; capped: boolean } {
  const capped = answer.capped === true
  return { total: capped && current.capped && current.total !== null ? Math.max(current.total, answer.total) : answer.total, capped }
}

export function directoryRow<T>(list: DirectoryList<T>, index: number): T | undefined {
  return list.pages[Math.floor(index / DIRECTORY_PAGE_SIZE)]?.[index % DIRECTORY_PAGE_SIZE]
}

export function createDirectorySlice({ set, get, api }: SliceContext): DirectorySlice {
  // Pages in flight, per kind and generation, so fast scrolling does not ask twice.
  const inFlight = new Set<string>()
  const field = (kind: DirectoryKind): 'directoryUsers' | 'directoryGroups' => (kind === 'users' ? 'directoryUsers' : 'directoryGroups')

  async function loadPage(kind: DirectoryKind, page: number): Promise<void> {
    const list = get()[field(kind)]
    const key = `${kind}:${list.generation}:${page}`
    if (inFlight.has(key) || list.pages[page]) return
    inFlight.add(key)
    const paging = { offset: page * DIRECTORY_PAGE_SIZE, limit: DIRECTORY_PAGE_SIZE }
    const result =
      kind === 'users'
        ? await call(api, 'directory:users', { query: list.query, source: list.filters.source, addressType: list.filters.addressType, ...paging })
        : await call(api, 'directory:groups', { query: list.query, source: list.filters.source, ...paging })
    inFlight.delete(key)
    set((state) => {
      const current = state[field(kind)] as DirectoryList<Row<typeof kind>>
      if (current.generation !== list.generation) return {}
      const next = result.ok
        ? { ...current, ...totalOf(current, result.value), asOf: result.value.asOf, pages: { ...current.pages, [page]: result.value.rows }, error: null }
        : { ...current, error: result.error.message }
      return { [field(kind)]: next }
    })
  }

  return {
    directoryUsers: EMPTY_LIST,
    directoryGroups: EMPTY_LIST,
    directoryKind: 'users',
    setDirectoryKind(kind) {
      set({ directoryKind: kind })
    },
    openGroup: null,
    openGroupDetail: null,
    openUser: null,
    async searchDirectory(kind, query) {
      set((state) => {
        const current = state[field(kind)]
        // Keep total/asOf until the answer arrives: the list does not jump to "empty" in between.
        return { [field(kind)]: { ...current, query, generation: current.generation + 1, capped: false, pages: {}, error: null } }
      })
      await loadPage(kind, 0)
    },
    async filterDirectory(kind, filters) {
      set((state) => {
        const current = state[field(kind)]
        return { [field(kind)]: { ...current, filters: { ...current.filters, ...filters }, generation: current.generation + 1, capped: false, pages: {}, error: null } }
      })
      await loadPage(kind, 0)
    },
    async exportDirectoryUsers(onProgress) {
      const { query, filters } = get().directoryUsers
      const chunks: string[] = []
      let after = ''
      let users = 0
      for (;;) {
        const result = await call(api, 'directory:export-users', { query, source: filters.source, addressType: filters.addressType, after, limit: EXPORT_CHUNK })
        if (!result.ok) return { error: result.error.message }
        chunks.push(result.value.csv)
        if (result.value.next === null) return { csv: chunks.join('') }
        users += EXPORT_CHUNK
        onProgress(users)
        after = result.value.next
      }
    },
    async openDirectoryUser(address) {
      if (address === null) {
        set({ openUser: null })
        return
      }
      set({ openUser: { key: address, detail: null, error: null } })
      const result = await call(api, 'directory:user', { address })
      set((state) => {
        if (state.openUser?.key !== address) return {}
        return { openUser: result.ok ? { key: address, detail: result.value, error: null } : { key: address, detail: null, error: result.error.message } }
      })
    },
    async ensureDirectoryRows(kind, start, end) {
      const first = Math.floor(Math.max(0, start) / DIRECTORY_PAGE_SIZE)
      const last = Math.floor(Math.max(0, end - 1) / DIRECTORY_PAGE_SIZE)
      const loads: Promise<void>[] = []
      for (let page = first; page <= last; page++) loads.push(loadPage(kind, page))
      await Promise.all(loads)
    },
    async openDirectoryGroup(key) {
      if (key === null) {
        set({ openGroup: null, openGroupDetail: null })
        return
      }
      set({ openGroup: { key, members: [], total: null, error: null }, openGroupDetail: { key, detail: null, error: null } })
      const [detail, result] = await Promise.all([call(api, 'directory:group', { key }), call(api, 'directory:group-members', { key, offset: 0, limit: 1000 })])
      set((state) => {
        if (state.openGroupDetail?.key !== key) return {}
        return { openGroupDetail: detail.ok ? { key, detail: detail.value, error: null } : { key, detail: null, error: detail.error.message } }
      })
      set((state) => {
        if (state.openGroup?.key !== key) return {}
        return result.ok
          ? { openGroup: { key, members: result.value.rows, total: result.value.total, error: null } }
          : { openGroup: { key, members: [], total: null, error: result.error.message } }
      })
    },
  }
}
