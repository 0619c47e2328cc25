import { describe, expect, it } from 'vitest'
import { benchOptions } from '../../../bench/support/bench-options.ts'

describe('benchOptions', () => {
  it("defaults to the issues' size: 100,000 users and a group per usersPerGroup users", () => {
    expect(benchOptions(10, { rounds: 3 }, [])).toEqual({ users: 100_000, groups: 10_000, rounds: 3 })
  })

  it('derives the groups from --users unless --groups is given', () => {
    expect(benchOptions(10, { rounds: 3 }, ['--users', '10000'])).toEqual({ users: 10_000, groups: 1_000, rounds: 3 })
    expect(benchOptions(10, { rounds: 3 }, ['--users', '1000000', '--groups', '10000', '--rounds', '5'])).toEqual({ users: 1_000_000, groups: 10_000, rounds: 5 })
  })

  it('refuses a size that is not a whole number above 0, and options it does not know', () => {
    expect(() => benchOptions(10, { rounds: 3 }, ['--users', '10k'])).toThrow('--users takes a whole number above 0 (got "10k").')
    expect(() => benchOptions(10, { rounds: 3 }, ['--rounds', '0'])).toThrow(/--rounds/)
    expect(() => benchOptions(10, { rounds: 3 }, ['--user', '10'])).toThrow()
  })
})
