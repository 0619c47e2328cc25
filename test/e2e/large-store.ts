import { execFileSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'

const ROOT = join(import.meta.dirname, '..', '..')
const CLI = join(ROOT, 'bin', 'dirsync.js')

/** Users in the large store (issue 6: "search across 100k+ rows"). */
export const LARGE_USER_COUNT = 100_000
/** Groups in the large store: 100 groups of 1,000 members keep the read realistic without dominating it. */
export const LARGE_GROUP_COUNT = 100

/**
 * Write a slapcat-style LDIF export of `count` users (`u000000@bulk.example.org`, display name
 * "Bulk User 0") in `groups` groups, streamed in 1 MB chunks so 100k users take well under a
 * second and little memory. The same layout as test/helpers/ldif-writer.ts, which builds the whole
 * text in memory — fine for hundreds of users, wasteful for 100k.
 */
export async function writeLargeLdif(path: string, count = LARGE_USER_COUNT, groups = LARGE_GROUP_COUNT): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' })
  let buffer = ''
  const flush = async (force: boolean) => {
    if (buffer.length < 1_000_000 && !force) return
    if (!out.write(buffer)) await once(out, 'drain')
    buffer = ''
  }
  const uid = (i: number) => `u${String(i).padStart(6, '0')}`
  for (let i = 0; i < count; i++) {
    const id = uid(i)
    buffer += `dn: uid=${id},ou=people,dc=bulk,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: ${id}\ncn: Bulk User ${i}\nsn: ${id}\ndisplayName: Bulk User ${i}\nmail: ${id}@bulk.example.org\nuserAccountControl: 512\n\n`
    await flush(false)
  }
  for (let g = 0; g < groups; g++) {
    buffer += `dn: cn=bulk${g},ou=groups,dc=bulk,dc=example,dc=org\nobjectClass: groupOfNames\ncn: bulk${g}\nmail: bulk${g}@bulk.example.org\n`
    for (let i = g; i < count; i += groups) buffer += `member: uid=${uid(i)},ou=people,dc=bulk,dc=example,dc=org\n`
    buffer += '\n'
    await flush(false)
  }
  await flush(true)
  out.end()
  await once(out, 'finish')
}

/**
 * A data directory holding a synced 100k-user account, built with the CLI (the same core the host
 * runs) before any host starts: `integrations add --type ldif` then `sync --all`. Returns the time
 * each part took, so a slow machine shows where the minutes went.
 */
export async function buildLargeStore(dir: string): Promise<{ dataDir: string; ldifPath: string; timings: Record<string, number> }> {
  mkdirSync(dir, { recursive: true })
  const ldifPath = join(dir, 'bulk.ldif')
  const dataDir = join(dir, 'data')
  const timings: Record<string, number> = {}
  let started = Date.now()
  if (!existsSync(ldifPath)) await writeLargeLdif(ldifPath)
  timings['write LDIF'] = Date.now() - started
  const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  started = Date.now()
  cli('integrations', 'add', '--type', 'ldif', '--name', 'Bulk export', '--file', ldifPath)
  timings['integrations add'] = Date.now() - started
  started = Date.now()
  cli('sync', '--all')
  timings['sync --all'] = Date.now() - started
  return { dataDir, ldifPath, timings }
}
