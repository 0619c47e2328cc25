import { describe, expect, it } from 'vitest'
import { fixture, twoIntegrations, users } from '../core/sync-rules-fixture.ts'

/** The journal's read side as the console uses it: an object named as an admin types it, and one action's entries. */
describe('journal queries for the console', () => {
  async function heldThenApplied() {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.core.setEnabled(oldAd, false)
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    const blocked = await f.t.core.runSync('all', 'manual')
    f.t.core.setEnabled(oldAd, true)
    const released = await f.t.core.runSync('all', 'manual')
    return { f, blocked, released }
  }

  it('filters a run by an object named by its group name, or by any address of a user, and matches nothing for a name that names nothing', async () => {
    const { f, blocked } = await heldThenApplied()
    const byName = f.t.core.journal({ runId: blocked.id, object: 'staff', newestFirst: false, offset: 0, limit: 100 })
    expect(byName.entries.map((e) => `${e.event} ${e.kind} ${e.member}`)).toEqual(['held remove-member bob@example.org'])
    const byAddress = f.t.core.journal({ object: 'BOB@example.org', newestFirst: false, offset: 0, limit: 100 })
    expect(byAddress.entries.map((e) => `${e.event} ${e.kind}`)).toEqual(['applied create-user', 'applied add-member', 'held remove-member', 'applied remove-member'])
    expect(f.t.core.journal({ object: 'nobody@example.org', newestFirst: false, offset: 0, limit: 100 })).toEqual({ entries: [], total: 0 })
    // An object and an explicit user that disagree match nothing rather than either.
    expect(f.t.core.journal({ object: 'staff', group: 'other@example.org', newestFirst: false, offset: 0, limit: 100 }).total).toBe(0)
  })

  it("gives one held action's entries — its hold and its application — newest first, by the held action's id", async () => {
    const { f, blocked, released } = await heldThenApplied()
    const hold = f.t.core.journal({ runId: blocked.id, event: 'held', newestFirst: false, offset: 0, limit: 1 }).entries[0]
    if (!hold) throw new Error('expected a hold')
    expect(hold.actionId).toBe('remove-member:staff@example.org:bob@example.org')
    const page = f.t.core.journal({ user: 'bob@example.org', actionId: hold.actionId, newestFirst: true, offset: 0, limit: 100 })
    expect(page.total).toBe(2)
    expect(page.entries.map((e) => [e.event, e.runId])).toEqual([
      ['applied', released.id],
      ['held', blocked.id],
    ])
    expect(f.t.core.journal({ user: 'bob@example.org', actionId: 'not-a-kind:x', newestFirst: false, offset: 0, limit: 100 }).total).toBe(0)
  })

  it('counts a filter once for its pages, and again once the journal has grown', async () => {
    const { f } = await heldThenApplied()
    const page = (offset: number) => f.t.core.journal({ user: 'bob@example.org', newestFirst: false, offset, limit: 1 })
    expect([page(0).total, page(1).total, page(3).total]).toEqual([4, 4, 4])
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] })
    await f.t.core.runSync('all', 'manual')
    expect(page(0).total).toBe(5)
    expect(page(4).entries.map((e) => `${e.event} ${e.kind}`)).toEqual(['applied add-member'])
  })
})
