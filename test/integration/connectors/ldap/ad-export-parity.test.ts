import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { DirectoryGroup, DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import { createLdapConnector } from '../../../../main/connectors/ldap/create-ldap-connector.ts'
import { createLdifConnector } from '../../../../main/connectors/ldif/create-ldif-connector.ts'
import { type ReadResult, byName, readAll, sambaSettings } from './ldap-test-helpers.ts'

// Issue 14: the same Active Directory, read live or imported from its export, gives the identical
// account (air-gapped sites and migrations depend on it). The real Samba AD is exported twice:
// as `ldapsearch` writes it (base64 values, lines folded at 76 columns, a >1,500-member group's
// members in `member;range=` slices) and as Windows `ldifde` writes it (CRLF, folded lines,
// `changetype: add`); each is imported as an LDIF integration and compared with the live read,
// edge entries included (test/fixtures/ldap/samba-extra.ldif).

const ad = inject('sambaAd')
const run = promisify(execFile)
const USER_FILTER = '(&(objectCategory=person)(objectClass=user))'
const USER_ATTRIBUTES = ['objectGUID', 'objectClass', 'cn', 'displayName', 'mail', 'proxyAddresses', 'userAccountControl', 'sAMAccountName']
/** Windows answers a plain `member` of a big group in slices of 1,500; ask for them explicitly (Samba never slices unasked). */
const GROUP_ATTRIBUTES = ['objectGUID', 'objectClass', 'cn', 'mail', 'proxyAddresses', 'member;range=0-1499']
/** Columns ldapsearch folds at here (Default there: 76): narrow, so DNs and addresses are folded too. */
const WRAP = 40

async function ldapsearch(base: string, scope: 'sub' | 'base', filter: string, attributes: readonly string[]): Promise<string> {
  const { stdout } = await run(
    'ldapsearch',
    ['-LLL', '-o', `ldif-wrap=${WRAP}`, '-H', `ldaps://${ad.host}`, '-x', '-D', ad.adminUpn, '-w', ad.adminPassword, '-b', base, '-s', scope, '-E', 'pr=500/noprompt', filter, ...attributes],
    { env: { ...process.env, LDAPTLS_CACERT: path.join(ad.dir, 'tls/ca.crt') }, maxBuffer: 64 * 1024 * 1024 },
  )
  return stdout
}

/** LDIF records, each as its logical (unfolded) lines. */
function records(ldif: string): string[][] {
  const unfolded = ldif.replace(/\r?\n /g, '')
  return unfolded
    .split(/\r?\n\r?\n/)
    .map((record) => record.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith('#')))
    .filter((lines) => lines.length > 0 && lines[0]!.startsWith('dn'))
}

/** Folds a logical line as ldifde and ldapsearch do: 76 columns, continuation lines start with one space. */
function fold(line: string, width = 76): string[] {
  const out = [line.slice(0, width)]
  for (let at = width; at < line.length; at += width - 1) out.push(` ${line.slice(at, at + width - 1)}`)
  return out
}

/** The export as ldapsearch writes it, a big group's later slices fetched and added to its record. */
async function ldapsearchExport(): Promise<string> {
  const users = await ldapsearch(ad.corpDn, 'sub', USER_FILTER, USER_ATTRIBUTES)
  const groups = records(await ldapsearch(ad.corpDn, 'sub', '(objectClass=group)', GROUP_ATTRIBUTES))
  const out: string[] = [users.trimEnd()]
  for (const record of groups) {
    const lines = [...record]
    let next = lines.some((line) => /^member;range=0-1499:/i.test(line)) ? 1500 : null
    while (next !== null) {
      const dn = lines[0]!.startsWith('dn:: ') ? Buffer.from(lines[0]!.slice(5), 'base64').toString('utf8') : lines[0]!.slice(4)
      const slice = records(await ldapsearch(dn, 'base', '(objectClass=*)', [`member;range=${next}-*`]))[0]!.slice(1)
      lines.push(...slice)
      const last = slice.map((line) => /^member;range=\d+-(\d+|\*):/i.exec(line)?.[1]).find((high) => high !== undefined)
      next = last === undefined || last === '*' ? null : Number(last) + 1
    }
    out.push(lines.flatMap((line) => fold(line, WRAP)).join('\n'))
  }
  return `${out.join('\n\n')}\n`
}

/** The same entries as `ldifde -f` writes them: CRLF, `changetype: add`, members as plain `member`, folded lines. */
function ldifdeExport(ldapsearchText: string): string {
  const body = records(ldapsearchText).map((lines) => {
    const [dn, ...rest] = lines
    const attributes = rest.map((line) => line.replace(/^member;range=\d+-(\d+|\*):/i, 'member:'))
    return [dn!, 'changetype: add', ...attributes].flatMap((line) => fold(line)).join('\r\n')
  })
  return `\r\n${body.join('\r\n\r\n')}\r\n\r\n`
}

/** What the account is made of: users, addresses, names, disabled, groups, member pairs (not the connector-specific attributes). */
function accountOf(result: ReadResult): { users: unknown[]; groups: unknown[] } {
  const user = (u: DirectoryUser) => ({ id: u.externalId, primary: u.primaryAddress, aliases: [...u.aliases].sort(), name: u.displayName, enabled: u.enabled })
  const group = (g: DirectoryGroup) => ({ id: g.externalId, name: g.name, address: g.address, members: [...g.memberIds].sort() })
  return { users: result.users.map(user).sort((a, b) => a.id.localeCompare(b.id)), groups: result.groups.map(group).sort((a, b) => a.id.localeCompare(b.id)) }
}

describe('an Active Directory read live and imported from its export gives the identical account', () => {
  let dir: string
  let live: ReadResult
  let ldapsearchText: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dirsync-ad-parity-'))
    live = await readAll(createLdapConnector('active-directory', sambaSettings(ad), ad.adminPassword))
    ldapsearchText = await ldapsearchExport()
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('the live read settles the edge entries as the directory rules say', () => {
    const login = (name: string) => live.users.find((u) => u.attributes['login'] === name)!
    expect(login('smtponly01')).toMatchObject({ primaryAddress: 'smtp.only@example.test', aliases: ['smtp.only2@example.test'] })
    expect(login('trailing01').displayName).toBe('Trailing Space')
    expect(login('twoat01')).toMatchObject({ primaryAddress: 'twoat01@example.test', aliases: [] })
    expect(byName(live.groups, 'smtp-group').address).toBe('smtp-group@example.test')
    expect(byName(live.groups, 'vpn-users').memberIds).toHaveLength(1_501)
    expect(live.users).toHaveLength(ad.seededUsers)
    expect(live.groups).toHaveLength(ad.seededGroups)
  })

  it('the ldapsearch export (base64, folded lines, member;range= slices) imports as the identical account', async () => {
    expect(ldapsearchText).toMatch(/^objectGUID:: /m)
    expect(ldapsearchText).toMatch(/^displayName:: /m)
    expect(ldapsearchText).toMatch(/^member;range=1500-\*: /im)
    expect(ldapsearchText).toMatch(/\n [^\n]/)
    const file = path.join(dir, 'ldapsearch.ldif')
    await writeFile(file, ldapsearchText)
    const imported = await readAll(createLdifConnector({ path: file, format: 'ldif' }))
    expect(accountOf(imported)).toEqual(accountOf(live))
  })

  it('the ldifde-shaped export (CRLF, folded lines, changetype: add) imports as the identical account', async () => {
    const text = ldifdeExport(ldapsearchText)
    expect(text).toContain('\r\nchangetype: add\r\n')
    const file = path.join(dir, 'ldifde.ldf')
    await writeFile(file, text)
    const imported = await readAll(createLdifConnector({ path: file, format: 'auto' }))
    expect(accountOf(imported)).toEqual(accountOf(live))
  })

  it('an export that stopped at the first slice of a big group is refused as incomplete, as a live read cut short is', async () => {
    const all = records(ldapsearchText)
    // Every group past 1,500 members loses its later slices; which one the reader meets first is Samba's entry order.
    const sliced = all
      .filter((lines) => lines.some((line) => /^member;range=1500-\*:/i.test(line)))
      .map((lines) => {
        const dn = lines[0]!
        return dn.startsWith('dn::') ? Buffer.from(dn.slice(4).trim(), 'base64').toString('utf8') : dn.slice(3).trim()
      })
    expect(sliced.length).toBeGreaterThan(0)
    const cut = all.map((lines) => lines.filter((line) => !/^member;range=1500-\*:/i.test(line)).join('\n')).join('\n\n')
    const file = path.join(dir, 'cut.ldif')
    await writeFile(file, cut)
    const error = await readAll(createLdifConnector({ path: file, format: 'ldif' })).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string },
    )
    expect(error?.code).toBe('incomplete-read')
    expect(error?.message).toMatch(/^cut\.ldif line \d+: the members of "(.+)" are exported only in part \(range 0-1499\)/)
    expect(sliced).toContain(/the members of "(.+)" are exported/.exec(error?.message ?? '')?.[1])
  })
})
