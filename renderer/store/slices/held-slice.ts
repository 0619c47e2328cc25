import type { ActionKind, HoldReason } from '../../../shared/domain/sync-action.ts'
import type { Approval } from '../../../shared/domain/sync-views.ts'
import type { IpcRequest, IpcResponse } from '../../../shared/ipc/contract.ts'
import type { IpcResult } from '../../../shared/ipc/result.ts'
import { call } from '../call.ts'
import { NOT_LOADED, type Loadable, type SliceContext } from '../types.ts'

export interface HeldFilter {
  readonly integrationId: string | null
  readonly kind: ActionKind | null
  readonly reason: HoldReason | null
}

/** Rows fetched per page of the held-actions table (the contract allows up to 1000). */
export const HELD_PAGE_SIZE = 500

/** A held action as listed, with its integrations named (deleted ones as "Name (deleted)"). */
export type ListedHeldAction = IpcResponse<'held:list'>['actions'][number]

export interface HeldSlice {
  readonly heldFilter: HeldFilter
  /** The rows loaded so far, in order: the table asks for more as it scrolls (`loadMoreHeld`). */
  readonly held: readonly ListedHeldAction[]
  readonly heldTotal: number
  /** Of `heldTotal`, how many "Approve all matching" would approve. */
  readonly heldApprovable: number
  readonly heldState: Loadable
  readonly heldSelection: ReadonlySet<string>
  readonly approvals: readonly Approval[]
  readonly setHeldFilter: (filter: Partial<HeldFilter>) => Promise<void>
  readonly loadHeld: () => Promise<void>
  /** Loads the next page when row `upTo` is not loaded yet (one request at a time). */
  readonly loadMoreHeld: (upTo: number) => Promise<void>
  readonly toggleHeldSelection: (id: string) => void
  readonly setHeldSelection: (ids: readonly string[]) => void
  readonly approveHeld: (request: IpcRequest<'held:approve'>) => Promise<IpcResult<IpcResponse<'held:approve'>>>
  readonly loadApprovals: () => Promise<void>
}

function filterRequest({ integrationId, kind, reason }: HeldFilter) {
  return { ...(integrationId ? { integrationId } : {}), ...(kind ? { kind } : {}), ...(reason ? { reason } : {}) }
}

export function createHeldSlice({ set, get, api }: SliceContext): HeldSlice {
  let loadingMore = false
  return {
    heldFilter: { integrationId: null, kind: null, reason: null },
    held: [],
    heldTotal: 0,
    heldApprovable: 0,
    heldState: NOT_LOADED,
    heldSelection: new Set(),
    approvals: [],
    async setHeldFilter(filter) {
      set((state) => ({ heldFilter: { ...state.heldFilter, ...filter }, heldSelection: new Set() }))
      await get().loadHeld()
    },
    async loadHeld() {
      const filter = get().heldFilter
      set((state) => ({ heldState: { ...state.heldState, loading: !state.heldState.loaded } }))
      // Reload as many rows as were shown (at least one page), so a refresh keeps the scroll place.
      const limit = Math.min(1000, Math.max(HELD_PAGE_SIZE, get().held.length))
      const result = await call(api, 'held:list', { ...filterRequest(filter), offset: 0, limit })
      if (get().heldFilter !== filter) return
      if (result.ok) {
        const visible = new Set(result.value.actions.map((action) => action.id))
        set((state) => ({
          held: result.value.actions,
          heldTotal: result.value.total,
          heldApprovable: result.value.approvable,
          heldState: { loaded: true, loading: false, error: null },
          heldSelection: new Set([...state.heldSelection].filter((id) => visible.has(id))),
        }))
      } else {
        set((state) => ({ heldState: { ...state.heldState, loading: false, error: result.error.message } }))
      }
    },
    async loadMoreHeld(upTo) {
      const { held, heldTotal, heldFilter } = get()
      if (upTo <= held.length || held.length >= heldTotal || loadingMore) return
      loadingMore = true
      try {
        const result = await call(api, 'held:list', { ...filterRequest(heldFilter), offset: held.length, limit: HELD_PAGE_SIZE })
        if (result.ok && get().heldFilter === heldFilter && get().held.length === held.length) {
          set({ held: [...held, ...result.value.actions], heldTotal: result.value.total, heldApprovable: result.value.approvable })
        }
      } finally {
        loadingMore = false
      }
    },
    toggleHeldSelection(id) {
      set((state) => {
        const next = new Set(state.heldSelection)
        if (next.has(id)) next.delete(id)
        else next.add(id)
        return { heldSelection: next }
      })
    },
    setHeldSelection(ids) {
      set({ heldSelection: new Set(ids) })
    },
    async approveHeld(request) {
      const result = await call(api, 'held:approve', request)
      if (result.ok) {
        const { approved, refused } = result.value
        const refusedText = refused.length > 0 ? ` ${refused.length} could not be approved: ${refused[0]?.reason ?? ''}` : ''
        get().notify(approved > 0 ? 'success' : 'info', `${approved} held ${approved === 1 ? 'action' : 'actions'} approved; they apply at the next sync.${refusedText}`)
        set({ heldSelection: new Set() })
      } else {
        get().notify('error', result.error.message)
      }
      await Promise.all([get().loadHeld(), get().loadApprovals(), get().loadStatus()])
      if (result.ok && result.value.approved > 0) void get().showNextSync(`${result.value.approved.toLocaleString()} held ${result.value.approved === 1 ? 'action' : 'actions'} approved`)
      return result
    },
    async loadApprovals() {
      const result = await call(api, 'approvals:list', { offset: 0, limit: 100 })
      if (result.ok) set({ approvals: result.value })
    },
  }
}
