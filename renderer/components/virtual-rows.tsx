import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, type ReactNode } from 'react'

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
}

/**
 * A scrolling grid that renders only the rows in view (plus an overscan of 10). The initial rect
 * lets the first screen render before layout is known (and in happy-dom, which has no layout).
 */
export function VirtualRows({ count, label, header, renderRow, onRange, scrollerClassName }: VirtualRowsProps) {
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

  return (
    <div className="virtual-grid" role="table" aria-label={label} aria-rowcount={count + 1}>
      <div role="rowgroup" className="virtual-header">
        {header}
      </div>
      <div ref={scroller} className={`virtual-scroller ${scrollerClassName ?? ''}`} tabIndex={0} role="rowgroup" aria-label={`${label} rows`}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => (
            <div
              key={item.key}
              className="virtual-row-slot"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              aria-rowindex={item.index + 2}
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
