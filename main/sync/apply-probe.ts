/**
 * Points inside the run's apply transaction where a test may observe (and kill) the process:
 * after the Nth action, after the source links, after the held actions were replaced, and just
 * before the commit. Production passes no probe; crash tests pass one through the core's options
 * (test/helpers/kill-at-fault.ts), so no environment variable is read on the production path.
 */
export type ApplyPoint = 'apply' | 'link' | 'held' | 'commit'

/** Called with the point and, for `apply`, how many actions have been written so far (1-based). */
export type ApplyProbe = (point: ApplyPoint, count: number) => void
