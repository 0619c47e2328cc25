import type { AccountGroup, AccountUser } from '../../../shared/domain/account.ts'
import type { IpcResponse } from '../../../shared/ipc/contract.ts'
import { call } from '../call.ts'
import type { SliceContext } from '../types.ts'

/** Rows fetched per request while scrolling; 200 rows ≈ 6 screens, small enough to answer fast. */
export const DIRECTORY_PAGE_SIZE = 200

export type DirectoryKind = 'users' | 'groups'
type Row<K extends DirectoryKind> = K extends 'users' ? AccountUser : AccountGroup

export interface DirectoryList<T> {
  readonly query: string
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

export interface DirectorySlice {
  readonly directoryUsers: DirectoryList<AccountUser>
  readonly directoryGroups: DirectoryList<AccountGroup>
  readonly openGroup: { readonly key: string; readonly members: readonly GroupMember[]; readonly total: number | null; readonly error: string | null } | null
  readonly searchDirectory: (kind: DirectoryKind, query: string) => Promise<void>
  /** Make sure the rows [start, end) are loaded (called by the virtual list as it scrolls). */
  readonly ensureDirectoryRows: (kind: DirectoryKind, start: number, end: number) => Promise<void>
  readonly openDirectoryGroup: (key: string | null) => Promise<void>
}

const EMPTY_LIST = { query: '', generation: 0, total: null, capped: false, asOf: null, pages: {}, error: null }

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
    const request = { query: list.query, offset: page * DIRECTORY_PAGE_SIZE, limit: DIRECTORY_PAGE_SIZE }
    const result = kind === 'users' ? await call(api, 'directory:users', request) : await call(api, 'directory:groups', request)
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
    openGroup: null,
    async searchDirectory(kind, query) {
      set((state) => {
        const current = state[field(kind)]
        // Keep total/asOf until the answer arrives: the list does not jump to "empty" in between.
        return { [field(kind)]: { ...current, query, generation: current.generation + 1, capped: false, pages: {}, error: null } }
      })
      await loadPage(kind, 0)
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
        set({ openGroup: null })
        return
      }
      set({ openGroup: { key, members: [], total: null, error: null } })
      const result = await call(api, 'directory:group-members', { key, offset: 0, limit: 1000 })
      set((state) => {
        if (state.openGroup?.key !== key) return {}
        return result.ok
          ? { openGroup: { key, members: result.value.rows, total: result.value.total, error: null } }
          : { openGroup: { key, members: [], total: null, error: result.error.message } }
      })
    },
  }
}
