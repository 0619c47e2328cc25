/**
 * The arithmetic of every benchmark, kept pure so a unit test can check it
 * (test/unit/bench/measure.test.ts): medians, ratios, the report GNU time writes, and targets.
 */

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** How many times `reference` `value` is; NaN when the reference is not a positive number. */
export function ratio(value: number, reference: number): number {
  return reference > 0 ? value / reference : Number.NaN
}

/** What `/usr/bin/time -f '%e %U %S %M'` reports about one command. */
export interface TimeReport {
  readonly wallSeconds: number
  readonly cpuSeconds: number
  /** ru_maxrss of the command: its own peak, or its largest descendant's (Linux reports the maximum, not a sum). */
  readonly peakRssMb: number
}

/** The format string handed to GNU time; `parseTimeReport` reads what it writes. */
export const TIME_FORMAT = 'BENCH-TIME %e %U %S %M'

/**
 * Reads the last `BENCH-TIME` line GNU time wrote (the command's own output may precede it when
 * both share a file). GNU time gives %M in KiB; a megabyte here is 1,024 KiB.
 */
export function parseTimeReport(text: string): TimeReport {
  const lines = text.split('\n').filter((line) => line.startsWith('BENCH-TIME '))
  const last = lines.at(-1)
  const match = last ? /^BENCH-TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(last) : null
  if (!match) throw new Error(`GNU time wrote no report this benchmark can read: ${JSON.stringify(text.slice(-300))}`)
  return { wallSeconds: Number(match[1]), cpuSeconds: Number(match[2]) + Number(match[3]), peakRssMb: Number(match[4]) / 1024 }
}

/** A target: the measured value must be at most `limit`. */
export interface Target {
  readonly what: string
  readonly measured: number
  readonly limit: number
  readonly unit: string
}

/** "met" or "NOT met", with the figure and the limit, as one line of the bench's verdict. */
export function verdict(target: Target, digits = 2): string {
  const met = Number.isFinite(target.measured) && target.measured <= target.limit
  const shown = (n: number) => `${n.toFixed(digits)}${target.unit}`
  return `${met ? 'met    ' : 'NOT met'}  ${target.what}: ${shown(target.measured)} (target ≤ ${shown(target.limit)})`
}

/** Bytes as MB: 1,048,576 bytes, the unit GNU time's KiB become above, so memory and disk read alike. */
export function megabytes(bytes: number): number {
  return bytes / 1_048_576
}

/**
 * How long each phase of a command lasted, from the moments (seconds since the start) it first
 * reported each one: start-up until the first phase, each phase until the next one reported, and
 * the last one until the command ended. Phases it never reported are left out.
 */
export function phaseDurations(firstSeen: Readonly<Record<string, number>>, endSeconds: number, order: readonly string[]): Array<{ phase: string; seconds: number }> {
  const seen = order.filter((phase) => firstSeen[phase] !== undefined).map((phase) => ({ phase, at: firstSeen[phase]! }))
  const marks = [{ phase: 'start-up', at: 0 }, ...seen]
  return marks.map((mark, i) => ({ phase: mark.phase, seconds: (marks[i + 1]?.at ?? endSeconds) - mark.at }))
}
