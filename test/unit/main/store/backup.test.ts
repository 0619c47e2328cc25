import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKUP_FOLDER, backupDatabase, backupDatabaseOnline, listBackups } from '../../../../main/store/backup.ts'
import { openDatabase } from '../../../../main/store/open-database.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-backup')
afterAll(() => tmp.remove())

function storeWithRows(name: string, rows: number) {
  const dir = join(tmp.path, name)
  const db = openDatabase(dir)
  const insert = db.prepare("INSERT INTO audit (at, actor, event, subject, detail) VALUES ('2026-12-06T07:00:00.000Z', 'test', 'note', ?, '{}')")
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row ${i} ${'x'.repeat(200)}`)
  })()
  return { dir, db }
}

describe('automatic copies of the store', () => {
  it('copies online in steps: a consistent store that opens read-only on its own, with no WAL files left beside it', async () => {
    const { dir, db } = storeWithRows('online', 20_000)
    const path = await backupDatabaseOnline(db, dir, 'after-run', new Date('2026-12-06T07:00:00.000Z'))
    expect(listBackups(dir).map((b) => b.path)).toEqual([path])
    expect(readdirSync(join(dir, BACKUP_FOLDER))).toEqual(['dirsync-20261206T070000000Z-000-after-run.db'])
    const copy = new Database(path, { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
    expect(copy.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(20_000)
    copy.close()
    db.close()
  })

  it('carries writes made while the copy runs into it (the copy is the store as of its end)', async () => {
    const { dir, db } = storeWithRows('writes-during', 20_000)
    const copying = backupDatabaseOnline(db, dir, 'after-run')
    db.prepare("INSERT INTO audit (at, actor, event, subject, detail) VALUES ('2026-12-06T07:00:00.000Z', 'test', 'note', 'written during the copy', '{}')").run()
    const copy = new Database(await copying, { readonly: true })
    expect(copy.prepare("SELECT count(*) FROM audit WHERE subject = 'written during the copy'").pluck().get()).toBe(1)
    copy.close()
    db.close()
  })

  it('never lists a copy cut short by a kill, and removes it with the next copy', async () => {
    const { dir, db } = storeWithRows('partial', 10)
    backupDatabase(db, dir, 'after-run', new Date('2026-12-06T06:00:00.000Z'))
    const cut = join(dir, BACKUP_FOLDER, 'dirsync-20261206T065959000Z-000-after-run.db.partial')
    writeFileSync(cut, 'half a copy')
    expect(listBackups(dir).map((b) => b.file)).toEqual(['dirsync-20261206T060000000Z-000-after-run.db'])
    await backupDatabaseOnline(db, dir, 'after-run', new Date('2026-12-06T07:00:00.000Z'))
    expect(readdirSync(join(dir, BACKUP_FOLDER)).sort()).toEqual(['dirsync-20261206T060000000Z-000-after-run.db', 'dirsync-20261206T070000000Z-000-after-run.db'])
    db.close()
  })
})
