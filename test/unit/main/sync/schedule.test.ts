import { describe, expect, it } from 'vitest'
import { missedScheduledRun, nextScheduledRun } from '../../../../main/sync/schedule.ts'

const at = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo - 1, d, h, mi)
const DEFAULT = ['08:00', '13:00', '23:00']

describe('the schedule', () => {
  it('runs three times daily by default: the next run after 09:30 is 13:00 the same day', () => {
    expect(nextScheduledRun(DEFAULT, at(2026, 11, 27, 9, 30))).toEqual(at(2026, 11, 27, 13))
  })

  it('rolls over to 08:00 the next day after 23:00', () => {
    expect(nextScheduledRun(DEFAULT, at(2026, 11, 27, 23, 30))).toEqual(at(2026, 11, 28, 8))
  })

  it('has no next run when no times are set', () => {
    expect(nextScheduledRun([], at(2026, 11, 27, 9))).toBeNull()
  })

  it('finds a run missed while the app was closed', () => {
    expect(missedScheduledRun(DEFAULT, at(2026, 11, 27, 7), at(2026, 11, 27, 14))).toEqual(at(2026, 11, 27, 13))
  })

  it('finds no missed run when the last run came after the latest scheduled time', () => {
    expect(missedScheduledRun(DEFAULT, at(2026, 11, 27, 13, 5), at(2026, 11, 27, 14))).toBeNull()
  })
})
