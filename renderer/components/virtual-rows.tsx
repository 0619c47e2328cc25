import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'

/** Fixed row height in px: fixed heights keep scrolling 100k rows cheap (no measuring). */
export const ROW_HEIGHT = 40

interface VirtualRowsProps {
  readonly count: number
  readonly label: string
  readonly header: ReactNode
  readonly renderRow: (index: number) => ReactNode
  /** Called with the visible range [start, end) so missing pages are fetched. */
  readonly onRange?: (start: number, end: number) => void
  /** Extra class of the scrolling area (its height); the default fills the page below a toolbar. */
  readonly scrollerClassName?: string
  /**
   * Up/Down (and Page Up/Down, Home/End) move the focus from row to row — to each row's first
   * button or link, so Enter opens it — scrolling rows that are not rendered yet into view
   * (Default: false).
   */
  readonly rowNavigation?: boolean
}

/** The keys that move between rows, and by how many rows (a page is the rows in view). */
function rowStep(key: string, pageRows: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return 1
    case 'ArrowUp':
      return -1
    case 'PageDown':
      return pageRows
    case 'PageUp':
      return -pageRows
    case 'Home':
      return Number.NEGATIVE_INFINITY
    case 'End':
      return Number.POSITIVE_INFINITY
    default:
      return null
  }
}

/**
 * A scrolling grid that renders only the rows in view (plus an overscan of 10). The initial rect
 * lets the first screen render before layout is known (and in happy-dom, which has no layout).
 */
export function VirtualRows({ count, label, header, renderRow, onRange, scrollerClassName, rowNavigation = false }: VirtualRowsProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 1000, height: 600 },
  })
  const items = virtualizer.getVirtualItems()
  const start = items[0]?.index ?? 0
  const end = (items[items.length - 1]?.index ?? -1) + 1

  const onRangeRef = useRef(onRange)
  onRangeRef.current = onRange
  useEffect(() => {
    if (end > start) onRangeRef.current?.(start, end)
  }, [start, end])

  // The row to focus once it is rendered (a row scrolled to from far away renders a frame later,
  // and its page of data may still be on its way).
  const [focusRow, setFocusRow] = useState<number | null>(null)
  useEffect(() => {
    if (focusRow === null) return
    const target = scroller.current?.querySelector<HTMLElement>(`[data-row="${focusRow}"] :is(button, a[href], [tabindex="0"])`)
    if (!target) return
    target.focus({ preventScroll: true })
    setFocusRow(null)
  })

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (!rowNavigation || count === 0) return
    const step = rowStep(event.key, Math.max(1, end - start - 2))
    if (step === null) return
    event.preventDefault()
    const slot = (event.target as HTMLElement).closest<HTMLElement>('[data-row]')
    const current = slot ? Number(slot.dataset['row']) : null
    const next = Math.min(count - 1, Math.max(0, current === null ? (step < 0 ? start : start - 1 + Math.max(1, step)) : current + step))
    virtualizer.scrollToIndex(next, { align: 'auto' })
    setFocusRow(next)
  }

  return (
    <div className="virtual-grid" role="table" aria-label={label} aria-rowcount={count + 1}>
      <div role="rowgroup" className="virtual-header">
        {header}
      </div>
      <div ref={scroller} className={`virtual-scroller ${scrollerClassName ?? ''}`} tabIndex={0} role="rowgroup" aria-label={`${label} rows`} onKeyDown={onKeyDown}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => (
            <div
              key={item.key}
              className="virtual-row-slot"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              aria-rowindex={item.index + 2}
              data-row={item.index}
              role="row"
            >
              {renderRow(item.index)}
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}
