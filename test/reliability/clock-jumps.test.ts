import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startScheduler } from '../../main/core/scheduler.ts'
import { createSettingsStore, type SettingsStore } from '../../main/settings/settings-store.ts'
import { memoryBackend } from '../helpers/test-core.ts'
import { countFaultsSurvived } from './count-faults.ts'

/**
 * The real scheduler under a fake clock (vitest fake timers move Date and setTimeout together;
 * `setSystemTime` moves only the wall clock, as an NTP correction, a DST mistake or a laptop
 * waking from sleep does). Schedule: the default 08:00, 13:00, 23:00 local time.
 */
const at = (day: number, hh: number, mm = 0): Date => new Date(2025, 2, day, hh, mm, 0, 0)
const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('clock jumps and the schedule', () => {
  countFaultsSurvived('clock jumps', /steady clock/)
  let settings: SettingsStore
  let runs: Array<{ trigger: string; at: string }>
  let stop: () => void

  function start(now: Date, lastScheduledRun: Date | null = null): void {
    vi.setSystemTime(now)
    settings = createSettingsStore(memoryBackend())
    if (lastScheduledRun) settings.setLastScheduledRun(lastScheduledRun.toISOString())
    runs = []
    const scheduler = startScheduler({ settings, now: () => new Date(), runScheduled: (trigger) => {
        runs.push({ trigger, at: new Date().toISOString() })
        return Promise.resolve()
      },
    })
    stop = () => scheduler.stop()
  }

  /** Lets the timers run for `ms` of real (monotonic) time; the wall clock moves with them. */
  async function elapse(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms)
  }

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    stop()
    vi.useRealTimers()
  })

  it('runs once at each scheduled time on a steady clock (the baseline)', async () => {
    start(at(1, 7, 0))
    await elapse(6 * HOUR + MINUTE)
    expect(runs.map((r) => r.at)).toEqual([at(1, 8).toISOString(), at(1, 13).toISOString()])
  })

  it('backwards: the clock is set back 30 minutes right after the 08:00 run → 08:00 does not run twice', async () => {
    start(at(1, 7, 59))
    await elapse(2 * MINUTE)
    expect(runs).toHaveLength(1)
    vi.setSystemTime(at(1, 7, 31))
    await elapse(4 * HOUR)
    expect(runs).toHaveLength(1)
    await elapse(2 * HOUR)
    expect(runs).toHaveLength(2)
  })

  it('backwards by a whole day: yesterday’s slots that already ran are not run again', async () => {
    start(at(2, 7, 59))
    await elapse(2 * MINUTE)
    vi.setSystemTime(at(1, 7, 59))
    await elapse(24 * HOUR - 10 * MINUTE)
    expect(runs).toHaveLength(1)
  })

  it('forwards past 08:00 (sleep, NTP): the missed slot is caught up once, within the hourly re-check', async () => {
    start(at(1, 7, 0))
    vi.setSystemTime(at(1, 10, 0))
    await elapse(HOUR + MINUTE)
    expect(runs).toHaveLength(1)
    expect(runs[0]?.trigger).toBe('schedule')
    await elapse(HOUR)
    expect(runs).toHaveLength(1)
    await elapse(HOUR)
    expect(runs).toHaveLength(2)
  })

  it('forwards past two slots: one catch-up run, not one per slot', async () => {
    start(at(1, 7, 0))
    vi.setSystemTime(at(1, 14, 0))
    await elapse(3 * HOUR)
    expect(runs).toHaveLength(1)
  })

  it('closed over a scheduled time: one missed-schedule run at start, and the timer does not run it again', async () => {
    start(at(2, 9, 0), at(1, 23, 0))
    await elapse(MINUTE)
    expect(runs.map((r) => r.trigger)).toEqual(['missed-schedule'])
    await elapse(4 * HOUR)
    expect(runs.map((r) => r.trigger)).toEqual(['missed-schedule', 'schedule'])
  })
})
