import type { JournalPage } from '../../../shared/domain/journal.ts'
import type { IpcRequest } from '../../../shared/ipc/contract.ts'
import type { IpcResult } from '../../../shared/ipc/result.ts'
import { call } from '../call.ts'
import type { SliceContext } from '../types.ts'

/**
 * The change journal holds no state here: a run's changes (up to millions) and an object's history
 * are paged by the views that show them (features/journal), each keeping only the pages in view.
 */
export interface JournalSlice {
  readonly queryJournal: (query: IpcRequest<'journal:query'>) => Promise<IpcResult<JournalPage>>
}

export function createJournalSlice({ api }: SliceContext): JournalSlice {
  return {
    queryJournal: (query) => call(api, 'journal:query', query),
  }
}
