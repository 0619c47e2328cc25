import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, quickCheck } from '../../../../main/store/open-database.ts'
import { makeTempDir, openRaw } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-open-db')
afterAll(() => tmp.remove())

/** A store with some pages of user rows, its WAL folded in, and one page in the middle overwritten. */
function damagedStore(name: string): string {
  const dir = join(tmp.path, name)
  openDatabase(dir).close()
  const raw = openRaw(dir)
  const insert = raw.prepare("INSERT INTO users (address, display_name, status, created_at, updated_at) VALUES (?, 'x', 'active', '', '')")
  raw.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run(`user${i}@example.org`)
  })()
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
  const file = join(dir, 'dirsync.db')
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(statSync(file).size / 4096 / 2) * 4096)
  closeSync(fd)
  return dir
}

describe('openDatabase: the integrity check is proportionate', () => {
  it('the full check (app start) refuses a store with a damaged page', () => {
    expect(() => openDatabase(damagedStore('full'))).toThrow(/is damaged/)
  })

  it('a short command on a store larger than its limit reads only header and schema; the full check on request still finds the damage', () => {
    const db = openDatabase(damagedStore('light'), { upToBytes: 0 })
    expect(quickCheck(db)).not.toBe('ok')
    db.close()
  })

  it('a short command on a store within its limit gets the full check', () => {
    expect(() => openDatabase(damagedStore('small'), { upToBytes: 1 << 30 })).toThrow(/is damaged/)
  })
})
