/** Wrong access tokens allowed per client address per minute before that address gets 429. */
export const MAX_FAILURES_PER_MINUTE = 10
const WINDOW_MS = 60_000

export interface TokenThrottle {
  /** Whether this address has used up its wrong attempts for the last minute. */
  blocked(address: string): boolean
  failed(address: string): void
}

/**
 * Wrong `?token=` attempts are counted per client address: someone guessing from one machine
 * cannot lock the admin out from another, and the right token is checked before this, so it is
 * never refused.
 */
export function createTokenThrottle(now: () => number = Date.now): TokenThrottle {
  const failures = new Map<string, number[]>()
  const recent = (address: string): number[] => {
    const kept = (failures.get(address) ?? []).filter((t) => now() - t < WINDOW_MS)
    if (kept.length === 0) failures.delete(address)
    else failures.set(address, kept)
    return kept
  }
  return {
    blocked: (address) => recent(address).length >= MAX_FAILURES_PER_MINUTE,
    failed(address) {
      failures.set(address, [...recent(address), now()])
      // Many addresses (a scan): sweep the ones whose minute is over, so the table stays small.
      if (failures.size > 10_000) for (const other of [...failures.keys()]) recent(other)
    },
  }
}
