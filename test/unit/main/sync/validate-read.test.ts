import { describe, expect, it } from 'vitest'
import { rejectReason, type ReadCounts } from '../../../../main/sync/validate-read.ts'

describe('rejectReason: a read that returns zero objects where the last snapshot had some, or shrinks by more than the shrink guard, is rejected', () => {
  const cases: ReadonlyArray<readonly [string, ReadCounts, ReadCounts | null, number, RegExp | null]> = [
    ['the first read, even empty, is accepted', { users: 0, groups: 0 }, null, 50, null],
    ['zero objects where the last snapshot had some → rejected', { users: 0, groups: 0 }, { users: 10, groups: 2 }, 100, /^The directory returned no users and no groups, where the last snapshot had 10 users and 2 groups\. The last snapshot was kept/],
    ['zero objects where the last snapshot had none → accepted', { users: 0, groups: 0 }, { users: 0, groups: 0 }, 50, null],
    ['users shrink by 60% (guard 50%) → rejected', { users: 4, groups: 2 }, { users: 10, groups: 2 }, 50, /^The read has 4 users, 60% fewer than the last snapshot's 10 \(this integration's shrink guard is 50%\)/],
    ['users shrink by exactly 50% (guard 50%) → accepted', { users: 5, groups: 2 }, { users: 10, groups: 2 }, 50, null],
    ['groups shrink by 75% (guard 50%) → rejected', { users: 10, groups: 1 }, { users: 10, groups: 4 }, 50, /^The read has 1 groups, 75% fewer/],
    ['a 30% shrink with a 20% guard → rejected', { users: 7, groups: 0 }, { users: 10, groups: 0 }, 20, /shrink guard is 20%/],
    ['a 30% shrink with the default 50% guard → accepted', { users: 7, groups: 0 }, { users: 10, groups: 0 }, 50, null],
    ['growth → accepted', { users: 100, groups: 9 }, { users: 10, groups: 2 }, 1, null],
    ['users only, all of them gone, but groups kept → rejected by the guard', { users: 0, groups: 2 }, { users: 10, groups: 2 }, 50, /^The read has 0 users, 100% fewer/],
  ]
  it.each(cases)('%s', (_name, next, previous, guard, expected) => {
    const reason = rejectReason(next, previous, guard)
    if (expected === null) expect(reason).toBeNull()
    else expect(reason).toMatch(expected)
  })
})
