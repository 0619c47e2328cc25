import type { ActionKind, HeldAction, HoldReason } from '../../../shared/domain/sync-action.ts'
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

/** Rows per page of the held-actions table (the contract allows up to 1000). */
export const HELD_PAGE_SIZE = 200

export interface HeldSlice {
  readonly heldFilter: HeldFilter
  readonly held: readonly HeldAction[]
  readonly heldTotal: number
  readonly heldState: Loadable
  readonly heldSelection: ReadonlySet<string>
  readonly approvals: readonly Approval[]
  readonly setHeldFilter: (filter: Partial<HeldFilter>) => Promise<void>
  readonly loadHeld: () => Promise<void>
  readonly toggleHeldSelection: (id: string) => void
  readonly setHeldSelection: (ids: readonly string[]) => void
  readonly approveHeld: (request: IpcRequest<'held:approve'>) => Promise<IpcResult<IpcResponse<'held:approve'>>>
  readonly loadApprovals: () => Promise<void>
}

export function createHeldSlice({ set, get, api }: SliceContext): HeldSlice {
  return {
    heldFilter: { integrationId: null, kind: null, reason: null },
    held: [],
    heldTotal: 0,
    heldState: NOT_LOADED,
    heldSelection: new Set(),
    approvals: [],
    async setHeldFilter(filter) {
      set((state) => ({ heldFilter: { ...state.heldFilter, ...filter }, heldSelection: new Set() }))
      await get().loadHeld()
    },
    async loadHeld() {
      const { integrationId, kind, reason } = get().heldFilter
      set((state) => ({ heldState: { ...state.heldState, loading: !state.heldState.loaded } }))
      const result = await call(api, 'held:list', {
        ...(integrationId ? { integrationId } : {}),
        ...(kind ? { kind } : {}),
        ...(reason ? { reason } : {}),
        offset: 0,
        limit: HELD_PAGE_SIZE,
      })
      if (result.ok) {
        const visible = new Set(result.value.actions.map((action) => action.id))
        set((state) => ({
          held: result.value.actions,
          heldTotal: result.value.total,
          heldState: { loaded: true, loading: false, error: null },
          heldSelection: new Set([...state.heldSelection].filter((id) => visible.has(id))),
        }))
      } else {
        set((state) => ({ heldState: { ...state.heldState, loading: false, error: result.error.message } }))
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
      return result
    },
    async loadApprovals() {
      const result = await call(api, 'approvals:list', { offset: 0, limit: 100 })
      if (result.ok) set({ approvals: result.value })
    },
  }
}
