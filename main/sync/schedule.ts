/**
 * Pure schedule arithmetic in local time. `times` are "HH:MM" (24-hour, local), e.g. the
 * default 08:00, 13:00, 23:00 — three times daily.
 */
function atLocal(day: Date, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number)
  const d = new Date(day)
  d.setHours(h ?? 0, m ?? 0, 0, 0)
  return d
}

/** The first scheduled moment strictly after `now`. */
export function nextScheduledRun(times: readonly string[], now: Date): Date | null {
  if (times.length === 0) return null
  let best: Date | null = null
  for (let dayOffset = 0; dayOffset <= 1; dayOffset++) {
    const day = new Date(now)
    day.setDate(day.getDate() + dayOffset)
    for (const time of times) {
      const candidate = atLocal(day, time)
      if (candidate > now && (!best || candidate < best)) best = candidate
    }
    if (best) return best
  }
  return best
}

/** The latest scheduled moment at or before `now` (looking back up to a day). */
export function previousScheduledRun(times: readonly string[], now: Date): Date | null {
  let best: Date | null = null
  for (let dayOffset = 0; dayOffset >= -1; dayOffset--) {
    const day = new Date(now)
    day.setDate(day.getDate() + dayOffset)
    for (const time of times) {
      const candidate = atLocal(day, time)
      if (candidate <= now && (!best || candidate > best)) best = candidate
    }
    if (best) return best
  }
  return best
}

/**
 * Whether a scheduled run was missed while the app was closed: a scheduled moment passed after
 * the last scheduled run (or after the app was first set up) and before now.
 */
export function missedScheduledRun(times: readonly string[], lastRun: Date | null, now: Date): Date | null {
  const previous = previousScheduledRun(times, now)
  if (!previous) return null
  if (lastRun && lastRun >= previous) return null
  return previous
}
