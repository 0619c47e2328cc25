/**
 * AD range retrieval (`member;range=0-1499`): a server that will not send all values of a large
 * attribute at once names the slice it sent; a range ending in `*` is the last slice.
 */
export interface AttributeRange {
  readonly attribute: string
  readonly low: number
  readonly high: number | '*'
}

/** `member;range=0-1499` → { attribute: 'member', low: 0, high: 1499 }; `…=1500-*` → high '*'; null for anything else. */
export function parseRangedAttribute(name: string): AttributeRange | null {
  const match = /^([^;]+);range=(\d+)-(\d+|\*)$/i.exec(name)
  if (!match) return null
  return { attribute: match[1]!, low: Number(match[2]), high: match[3] === '*' ? '*' : Number(match[3]) }
}

/**
 * Whether ranged slices of one attribute cover every value: they start at 0, follow on without a
 * gap, and the last ends in `*`. An export that wrote only the first slice is incomplete.
 */
export function rangesComplete(ranges: readonly AttributeRange[]): boolean {
  const sorted = [...ranges].sort((a, b) => a.low - b.low)
  let next = 0
  for (const range of sorted) {
    if (range.low !== next) return false
    if (range.high === '*') return true
    next = range.high + 1
  }
  return false
}
