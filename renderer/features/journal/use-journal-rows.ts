import { useCallback, useEffect, useRef, useState } from 'react'
import type { JournalEntry } from '../../../shared/domain/journal.ts'
import type { IpcRequest } from '../../../shared/ipc/contract.ts'
import { useAppStore } from '../../store/app-store.ts'

/** A journal query without its paging: what a list shows. */
export type JournalFilter = Omit<IpcRequest<'journal:query'>, 'offset' | 'limit' | 'afterSeq'>

/** Rows fetched per request (the contract allows up to 1,000). */
export const JOURNAL_PAGE = 200
/** Pages kept around the rows in view; farther ones are dropped, so scrolling 1.3M rows keeps memory flat. */
const KEEP_PAGES = 10

interface Rows {
  readonly key: string
  readonly total: number | null
  readonly pages: Readonly<Record<number, readonly JournalEntry[]>>
  readonly error: string | null
}

/**
 * The rows of a journal query for a virtualised list: the count and the first page at once, other
 * pages as they scroll into view (`ensure`), never the whole result. A new filter starts over.
 */
export function useJournalRows(filter: JournalFilter, reloadKey: unknown = null) {
  const queryJournal = useAppStore((state) => state.queryJournal)
  const key = JSON.stringify(filter)
  const [rows, setRows] = useState<Rows>({ key, total: null, pages: {}, error: null })
  const current = useRef({ key, filter, requested: new Set<number>() })

  const load = useCallback(
    async (page: number) => {
      const { key: wanted, filter: query, requested } = current.current
      if (requested.has(page)) return
      requested.add(page)
      const result = await queryJournal({ ...query, offset: page * JOURNAL_PAGE, limit: JOURNAL_PAGE })
      if (current.current.key !== wanted) return
      if (!result.ok) {
        requested.delete(page)
        setRows((state) => ({ ...state, error: result.error.message }))
        return
      }
      setRows((state) => {
        const pages: Record<number, readonly JournalEntry[]> = { [page]: result.value.entries }
        for (const [other, entries] of Object.entries(state.pages)) {
          if (Math.abs(Number(other) - page) <= KEEP_PAGES) pages[Number(other)] = entries
          else requested.delete(Number(other))
        }
        return { key: wanted, total: result.value.total, pages, error: null }
      })
    },
    [queryJournal],
  )

  useEffect(() => {
    current.current = { key, filter, requested: new Set() }
    setRows({ key, total: null, pages: {}, error: null })
    void load(0)
    // `filter` is represented by `key`; `reloadKey` starts over when the journal may have grown.
  }, [key, reloadKey, load])

  const ensure = useCallback(
    (start: number, end: number) => {
      for (let page = Math.floor(start / JOURNAL_PAGE); page <= Math.floor(Math.max(start, end - 1) / JOURNAL_PAGE); page++) void load(page)
    },
    [load],
  )

  const fresh = rows.key === key
  return {
    total: fresh ? rows.total : null,
    error: fresh ? rows.error : null,
    rowAt: (index: number): JournalEntry | undefined => (fresh ? rows.pages[Math.floor(index / JOURNAL_PAGE)]?.[index % JOURNAL_PAGE] : undefined),
    ensure,
    retry: () => void load(0),
  }
}
