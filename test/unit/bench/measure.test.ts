import { describe, expect, it } from 'vitest'
import { connectorSearches } from '../../../bench/support/ldap-dump.ts'
import { median, parseTimeReport, phaseDurations, ratio, verdict } from '../../../bench/support/measure.ts'
import { timed } from '../../../bench/support/timed-process.ts'

// The benchmarks themselves are not tests (npm run bench); these check the arithmetic and the
// measuring they rely on, so a figure in the README is the figure that was measured.

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([9.4, 1.05, 32.4])).toBe(9.4)
  })

  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('is NaN for no values, so a missing figure cannot pass for zero', () => {
    expect(median([])).toBeNaN()
  })
})

describe('ratio', () => {
  it('says how many times the reference a value is', () => {
    expect(ratio(32.4, 1.05)).toBeCloseTo(30.857, 3)
  })

  it('is NaN against a reference of zero', () => {
    expect(ratio(1, 0)).toBeNaN()
  })
})

describe('parseTimeReport', () => {
  it('reads wall, user + system CPU and the peak RSS (KiB) as MB', () => {
    expect(parseTimeReport('BENCH-TIME 32.40 25.10 3.20 987136\n')).toEqual({ wallSeconds: 32.4, cpuSeconds: 28.3, peakRssMb: 964 })
  })

  it('takes the last report when the command printed something before it', () => {
    expect(parseTimeReport('BENCH-TIME 1 1 1 1024\nprogress…\nBENCH-TIME 2.00 0.50 0.25 2048\n').peakRssMb).toBe(2)
  })

  it('refuses text without a report instead of inventing figures', () => {
    expect(() => parseTimeReport('Command terminated by signal 9\n')).toThrow(/no report/)
  })
})

describe('verdict', () => {
  it('says met when the figure is within the target', () => {
    expect(verdict({ what: 'first sync ÷ dump', measured: 5.5, limit: 6, unit: '×' })).toBe('met      first sync ÷ dump: 5.50× (target ≤ 6.00×)')
  })

  it('says NOT met when the figure is above the target, or missing', () => {
    expect(verdict({ what: 'store', measured: 666, limit: 200, unit: ' MB' }, 0)).toBe('NOT met  store: 666 MB (target ≤ 200 MB)')
    expect(verdict({ what: 'store', measured: Number.NaN, limit: 200, unit: ' MB' }, 0)).toMatch(/^NOT met/)
  })
})

describe('timed', () => {
  it("reports a child's own peak RSS: a process that touches 200 MB peaks above 200 MB", async () => {
    const run = await timed(process.execPath, ['-e', 'Buffer.alloc(200 * 1048576, 1); process.stdout.write("done")'])
    expect(run.stdout).toBe('done')
    expect(run.peakRssMb).toBeGreaterThan(200)
    expect(run.peakRssMb).toBeLessThan(400)
  })

  it('fails with the reason when the command fails', async () => {
    await expect(timed(process.execPath, ['-e', 'process.stderr.write("bad config"); process.exit(3)'])).rejects.toThrow(/exited with 3: bad config/)
  })
})

describe('connectorSearches', () => {
  it("asks for exactly the LDAP connector's attributes at its default page size", () => {
    const searches = connectorSearches({ host: '127.0.0.1', port: 389, encryption: 'none', bindDn: 'cn=admin,dc=example,dc=com', baseDn: 'dc=example,dc=com' })
    expect(searches.users).toEqual({
      filter: '(objectClass=inetOrgPerson)',
      attributes: ['entryUUID', 'mail', 'mailLocalAddress', 'displayName', 'cn', 'givenName', 'sn', 'uid', 'title', 'departmentNumber', 'modifyTimestamp'],
      pageSize: 500,
    })
    expect(searches.groups.attributes).toEqual(['entryUUID', 'cn', 'mail', 'member', 'uniqueMember', 'memberUid', 'modifyTimestamp'])
    expect(searches.groups.pageSize).toBe(500)
  })

  it("follows the integration's own filters and page size", () => {
    const searches = connectorSearches({ host: 'h', bindDn: 'cn=a,dc=x', baseDn: 'dc=x', userFilter: '(uid=a*)', pageSize: 1000 })
    expect(searches.users.filter).toBe('(uid=a*)')
    expect(searches.users.pageSize).toBe(1000)
  })
})

describe('phaseDurations', () => {
  it('splits a command into start-up, each reported phase, and the last phase until the end', () => {
    expect(phaseDurations({ reading: 1, planning: 11, applying: 12, done: 42 }, 45, ['reading', 'validating', 'planning', 'applying', 'done'])).toEqual([
      { phase: 'start-up', seconds: 1 },
      { phase: 'reading', seconds: 10 },
      { phase: 'planning', seconds: 1 },
      { phase: 'applying', seconds: 30 },
      { phase: 'done', seconds: 3 },
    ])
  })

  it('is all start-up when the command reported no phase', () => {
    expect(phaseDurations({}, 2, ['reading'])).toEqual([{ phase: 'start-up', seconds: 2 }])
  })
})
