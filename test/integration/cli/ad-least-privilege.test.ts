import { Attribute, Change } from 'ldapts'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { PlanPreview } from '../../../shared/domain/sync-views.ts'
import { adminClient } from '../connectors/ldap/ldap-test-helpers.ts'
import { CliSession, groupByName, userByAddress } from './cli-harness.ts'

// Issue 14: an Active Directory integration bound as the read-only service account an admin is
// asked to create (an ordinary domain user, who cannot list CN=Deleted Objects). A user deleted
// in AD must be demoted and leave all its groups at the next incremental sync, not at the
// periodic full read days later.

const ad = inject('sambaAd')
const LEAVER_DN = `CN=temp-cli-leaver,OU=People,${ad.corpDn}`
const LEAVER = 'temp-cli-leaver@example.test'

describe('dirsync with Active Directory bound as an ordinary domain user (real Samba AD DC)', () => {
  let cli: CliSession
  let admin: Awaited<ReturnType<typeof adminClient>>

  beforeAll(async () => {
    cli = await CliSession.create('ad-reader')
    admin = await adminClient(`ldaps://${ad.host}:636`, ad.adminUpn, ad.adminPassword, ad.caPem)
    await admin.add(LEAVER_DN, { objectClass: 'user', sAMAccountName: 'temp-cli-leaver', mail: LEAVER, displayName: 'Temp Leaver', userAccountControl: '544' })
    // nest-c is nested in nest-b and (through the cycle) nest-a: the leaver is in three groups.
    await admin.modify(`CN=nest-c,OU=Groups,${ad.corpDn}`, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [LEAVER_DN] }) }))
  })

  afterAll(async () => {
    await admin.del(LEAVER_DN).catch(() => undefined)
    await admin.unbind()
    await cli.dispose()
  })

  it('says at Test Connection that deletions are found by listing ids, and which right would be cheaper', async () => {
    const password = cli.secretEnv('AD_READER_PASSWORD', ad.readerPassword)
    const id = await cli.addIntegration('ad', 'Corp AD', { host: ad.host, encryption: 'ldaps', caCertificatePem: ad.caPem, bindDn: ad.readerUpn, baseDn: ad.corpDn, pageSize: 500, timeoutSeconds: 20 }, password)
    const steps = await cli.json<Array<{ step: string; verdict: string; message: string }>>('integrations', 'test', id)
    expect(steps.filter((s) => s.verdict === 'fail')).toEqual([])
    expect(steps.find((s) => s.step === 'permissions')!.message).toMatch(/listing every objectGUID in scope .*cannot list CN=Deleted Objects.*List Contents and Read Property/)
  })

  it('demotes a user deleted in AD and removes it from all its groups at the next incremental sync', async () => {
    const first = await cli.syncAll()
    expect(first.outcome).toBe('success')
    expect(first.reads[0]).toMatchObject({ outcome: 'read', users: ad.seededUsers + 1 })
    const groups = await cli.groups('nest-')
    for (const name of ['nest-a', 'nest-b', 'nest-c']) expect(await cli.memberAddresses(groupByName(groups, name).key)).toContain(LEAVER)

    await admin.del(LEAVER_DN)
    // The preview reads AD read-only and lists exactly what the sync then applies.
    const preview = await cli.json<PlanPreview>('preview', '--all')
    expect(preview.basis).toBe('read')
    expect(preview.reads[0]!.mode).toMatch(/deletions found by listing every objectGUID/)
    expect(preview.toApply).toEqual({ 'demote-address': 1, 'remove-member': 3 })
    const offline = await cli.json<PlanPreview>('preview', '--all', '--from-snapshots')
    expect(offline).toMatchObject({ basis: 'snapshots', totalActions: 0 })

    const second = await cli.syncAll()
    expect(second.outcome).toBe('success')
    expect(second.reads[0]!.mode).toMatch(/^incremental: changes since USN \d+ on dc1\.example\.test; deletions found by listing every objectGUID in scope/)
    expect(second.reads[0]).toMatchObject({ users: ad.seededUsers, groups: ad.seededGroups })
    expect(second.applied).toEqual({ 'demote-address': 1, 'remove-member': 3 })
    expect(second.held).toEqual({})
    expect(second.applied).toEqual(preview.toApply)

    const leaver = userByAddress(await cli.users(LEAVER), LEAVER)
    expect(leaver.addresses.map((a) => [a.address, a.type])).toEqual([[LEAVER, 'transit']])
    for (const name of ['nest-a', 'nest-b', 'nest-c']) expect(await cli.memberAddresses(groupByName(groups, name).key)).not.toContain(LEAVER)
  })
})
