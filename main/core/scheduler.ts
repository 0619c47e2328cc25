import type { SettingsStore } from '../settings/settings-store.ts'
import { missedScheduledRun, nextScheduledRun } from '../sync/schedule.ts'

/**
 * Fires Sync All at the account's scheduled local times, and once at start when a scheduled run
 * was missed while the app was closed. One timer at a time, re-armed after each run; a run that
 * finds another one going is skipped (and recorded as the time it fired, not retried in a loop).
 */
export function startScheduler(options: { settings: SettingsStore; now: () => Date; runScheduled: (trigger: 'schedule' | 'missed-schedule') => Promise<void> }) {
  let timer: NodeJS.Timeout | null = null
  let stopped = false

  const fire = async (trigger: 'schedule' | 'missed-schedule'): Promise<void> => {
    options.settings.setLastScheduledRun(options.now().toISOString())
    try {
      await options.runScheduled(trigger)
    } catch {
      // The run records its own failure; the schedule goes on.
    }
  }

  const arm = (): void => {
    if (stopped) return
    const account = options.settings.account()
    const next = account.scheduleEnabled ? nextScheduledRun(account.schedule, options.now()) : null
    if (!next) return
    // Re-check at least hourly so a changed schedule or a clock jump is picked up.
    const delay = Math.min(Math.max(next.getTime() - options.now().getTime(), 1000), 3_600_000)
    timer = setTimeout(() => {
      timer = null
      // Due when a scheduled moment passed since the last scheduled run — not "since this timer was
      // armed": timers count real elapsed time, so a wall clock that jumps forward (sleep, NTP) would
      // skip the slot it jumped over, and one that jumps back would run the same slot twice.
      const last = options.settings.lastScheduledRun()
      const due = missedScheduledRun(options.settings.account().schedule, last === null ? null : new Date(last), options.now())
      const run = due ? fire('schedule') : Promise.resolve()
      void run.finally(arm)
    }, delay)
    timer.unref()
  }

  const account = options.settings.account()
  const last = options.settings.lastScheduledRun()
  const missed = account.scheduleEnabled && last !== null ? missedScheduledRun(account.schedule, new Date(last), options.now()) : null
  if (last === null) options.settings.setLastScheduledRun(options.now().toISOString())
  if (missed) void fire('missed-schedule').finally(arm)
  else arm()

  return {
    nextRun(): Date | null {
      const a = options.settings.account()
      return a.scheduleEnabled ? nextScheduledRun(a.schedule, options.now()) : null
    },
    reschedule(): void {
      if (timer) clearTimeout(timer)
      timer = null
      arm()
    },
    stop(): void {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
