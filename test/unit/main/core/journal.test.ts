import { describe, expect, it } from 'vitest'
import { addressTypes, members } from '../../../helpers/test-core.ts'
import { fixture, twoIntegrations, user, users } from './sync-rules-fixture.ts'

/**
 * The change journal (DESIGN.md §6), through the real core: every applied, held, approved and
 * released action, per object, with the run, the integration by id and by name as it was then,
 * before → after, and the reason.
 */
describe('the change journal', () => {
  it('disable → held → enable → applied: the user\'s history shows the hold naming the blocking integration and since when, then the application', async () => {
    const f = fixture()
    const { oldAd, newLdap } = await twoIntegrations(f)
    f.t.clock.set('2025-03-01T09:00:00.000Z')
    f.t.core.setEnabled(oldAd, false)
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    f.t.clock.set('2025-03-01T10:00:00.000Z')
    const blocked = await f.t.core.runSync('all', 'manual')
    expect(blocked.held).toEqual({ 'remove-member': 1 })
    // A later run that keeps holding it adds nothing: the hold is one entry, "since" the first.
    f.t.clock.set('2025-03-01T11:00:00.000Z')
    await f.t.core.runSync('all', 'manual')
    f.t.clock.set('2025-03-01T12:00:00.000Z')
    f.t.core.setEnabled(oldAd, true)
    const released = await f.t.core.runSync('all', 'manual')
    expect(released.applied).toEqual({ 'remove-member': 1 })
    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org'])

    const { subject, page } = f.t.core.history('bob@example.org', { offset: 0, limit: 100, newestFirst: false })
    expect(subject).toEqual({ type: 'user', key: 'bob@example.org' })
    expect(page.entries.map((e) => `${e.event} ${e.kind}`)).toEqual(['applied create-user', 'applied add-member', 'held remove-member', 'applied remove-member'])
    const [, , hold, applied] = page.entries
    expect(hold).toMatchObject({
      runId: blocked.id,
      at: '2025-03-01T10:00:00.000Z',
      target: 'staff@example.org',
      member: 'bob@example.org',
      integrations: [{ id: newLdap, name: 'New LDAP' }],
      reason: { hold: 'blocked', blocking: [{ id: oldAd, name: 'Old AD', since: '2025-03-01T09:00:00.000Z' }], heldSince: '2025-03-01T10:00:00.000Z' },
    })
    expect(hold?.reason?.text).toMatch(/Old AD \(disabled since 2025-03-01T09:00:00\.000Z\)/)
    expect(applied).toMatchObject({ runId: released.id, at: '2025-03-01T12:00:00.000Z', integrations: [{ id: newLdap, name: 'New LDAP' }], reason: { hold: 'blocked', heldSince: '2025-03-01T10:00:00.000Z', blocking: [{ id: oldAd, name: 'Old AD' }] } })
    expect(applied?.actionId).toBe(hold?.actionId)
    // The group's history has the same membership entries.
    const group = f.t.core.history('staff', { offset: 0, limit: 100, newestFirst: true })
    expect(group.subject).toEqual({ type: 'group', key: 'staff@example.org' })
    expect(group.page.entries.slice(0, 2).map((e) => `${e.event} ${e.kind} ${e.member}`)).toEqual(['applied remove-member bob@example.org', 'held remove-member bob@example.org'])
  })

  it('names integrations as they were then: a rename later does not rewrite history', async () => {
    const f = fixture()
    const id = await f.add('HR', { users: [user('lena', { displayName: 'Lena A' })] })
    await f.t.core.runSync('all', 'manual')
    await f.t.core.updateIntegration({ id, name: 'People' })
    f.write('People', { users: [user('lena', { displayName: 'Lena B' })] })
    await f.t.core.updateIntegration({ id, config: { type: 'ldif-file', settings: { path: f.path('People'), format: 'ldif' } } })
    await f.t.core.runSync('all', 'manual')
    const history = f.t.core.history('lena@example.org', { offset: 0, limit: 10, newestFirst: false }).page.entries
    expect(history.map((e) => [e.kind, e.integrations[0]?.name])).toEqual([['create-user', 'HR'], ['update-user', 'People']])
    expect(history[0]?.after).toEqual({ displayName: 'Lena A', status: 'active', addresses: ['lena@example.org'] })
    expect(history[1]).toMatchObject({ before: { displayName: 'Lena A' }, after: { displayName: 'Lena B' }, detail: "Display name 'Lena A' → 'Lena B'" })
  })

  it('journals a threshold hold, its approval (who, when) and its application; a hold no longer planned is released', async () => {
    const f = fixture()
    const twelve = Array.from({ length: 12 }, (_, i) => `a${String(i).padStart(2, '0')}`)
    // 18 users stay, so the read does not shrink past the shrink guard.
    const stay = Array.from({ length: 18 }, (_, i) => `s${String(i).padStart(2, '0')}`)
    const a = await f.add('A', { users: users(...twelve, ...stay) }, { maxUnlinks: 10 })
    await f.t.core.runSync('all', 'manual')
    f.write('A', { users: users(...stay) })
    f.t.clock.set('2025-03-01T09:00:00.000Z')
    const holding = await f.t.core.runSync('all', 'manual')
    expect(holding.held).toEqual({ 'demote-address': 12 })
    const chosen = f.t.core.listHeld({}, 0, 100).actions.find((h) => h.target === 'a05@example.org')
    if (!chosen) throw new Error('a05 should be held')
    f.t.clock.set('2025-03-01T09:30:00.000Z')
    f.t.core.approve({ actionIds: [chosen.id] })
    // a00 comes back before the next run: its held demotion is no longer planned.
    f.write('A', { users: users('a00', ...stay) })
    f.t.clock.set('2025-03-01T10:00:00.000Z')
    const next = await f.t.core.runSync('all', 'manual')
    expect(next.applied).toEqual({ 'demote-address': 1 })
    expect(addressTypes(f.t.db, 'a05@example.org')).toEqual({ 'a05@example.org': 'transit' })

    const a05 = f.t.core.history('a05@example.org', { offset: 0, limit: 10, newestFirst: false }).page.entries
    expect(a05.map((e) => `${e.event} ${e.kind}`)).toEqual(['applied create-user', 'held demote-address', 'approved demote-address', 'applied demote-address'])
    expect(a05[1]?.reason).toMatchObject({ hold: 'threshold', text: expect.stringMatching(/A would make 12 destructive changes in one run; its maximum unlinks is 10/) as string })
    expect(a05[2]).toMatchObject({ runId: null, at: '2025-03-01T09:30:00.000Z', reason: { approvedBy: 'test-admin', approvedAt: '2025-03-01T09:30:00.000Z' } })
    expect(a05[3]).toMatchObject({ runId: next.id, before: { addressTypes: { 'a05@example.org': 'directory' } }, after: { addressTypes: { 'a05@example.org': 'transit' } }, reason: { approvedBy: 'test-admin' } })
    const a00 = f.t.core.journal({ user: 'a00@example.org', event: 'released', newestFirst: false, offset: 0, limit: 10 }).entries
    expect(a00).toHaveLength(1)
    expect(a00[0]?.reason?.text).toMatch(/^No longer planned/)

    // By run, integration and kind, paged; the same records whichever way they are found.
    const byRun = f.t.core.journal({ runId: holding.id, newestFirst: false, offset: 0, limit: 5 })
    expect(byRun.total).toBe(12)
    expect(byRun.entries).toHaveLength(5)
    const rest = f.t.core.journal({ runId: holding.id, newestFirst: false, afterSeq: byRun.entries[4]?.seq ?? 0, offset: 0, limit: 100 })
    expect([...byRun.entries, ...rest.entries].map((e) => e.target)).toEqual(twelve.map((u) => `${u}@example.org`))
    expect(f.t.core.journal({ integrationId: 'A', kind: 'demote-address', event: 'applied', newestFirst: false, offset: 0, limit: 10 }).entries.map((e) => e.target)).toEqual(['a05@example.org'])
    expect(f.t.core.journal({ integrationId: a, kind: 'create-user', newestFirst: false, offset: 0, limit: 1 }).total).toBe(30)
  })

  it('prunes entries older than the retention at the end of a run, and leaves the audit log alone', async () => {
    const f = fixture()
    await f.add('A', { users: users('ann', 'bob') }, { deleteUsers: true })
    await f.t.core.runSync('all', 'manual')
    f.write('A', { users: users('ann') })
    await f.t.core.runSync('all', 'manual')
    const audit = f.t.core.auditLog({}, 0, 1000).total
    expect(f.t.core.journal({ newestFirst: false, offset: 0, limit: 1 }).total).toBe(3)
    f.t.core.setAccount({ journalRetentionDays: 10 })
    f.t.clock.advanceDays(11)
    f.write('A', { users: users('ann', 'cid') })
    const run = await f.t.core.runSync('all', 'manual')
    const left = f.t.core.journal({ newestFirst: false, offset: 0, limit: 100 }).entries
    expect(left.every((e) => e.runId === run.id)).toBe(true)
    expect(left.map((e) => `${e.kind} ${e.target}`)).toEqual(['create-user cid@example.org'])
    expect(f.t.core.auditLog({}, 0, 1000).total).toBeGreaterThan(audit)
  })
})
