import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Client, MessageParser } from 'ldapts'
import { describe, expect, it } from 'vitest'
import { VERIFIED_LDAPTS_VERSION, leanDecodingProblem, useLeanDecoding } from '../../../../../../main/connectors/ldap/lean/lean-decoding.ts'

// The lean decoding (main/connectors/ldap/lean/) relies on things neither ldapts nor Node.js
// promise. At run time a read falls back to stock ldapts when they are gone; these tests fail
// instead, loudly, and say what to do.

const WHAT_TO_DO =
  'Run test/unit/main/connectors/ldap/lean/*.test.ts (the decoder against ldapts’ own decoding, the hook under a scripted server) and `npm run bench -- ldap`; if they pass, set VERIFIED_LDAPTS_VERSION in main/connectors/ldap/lean/lean-decoding.ts. If they fail, adapt the lean folder to the new internals — or delete the folder and the useLeanDecoding call in ldap-session.ts (stock ldapts is correct, only slower).'

function installedLdaptsVersion(): string {
  const entry = createRequire(import.meta.url).resolve('ldapts')
  let dir = path.dirname(entry)
  while (!dir.endsWith(`${path.sep}ldapts`)) dir = path.dirname(dir)
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

describe('what the lean LDAP decoding relies on', () => {
  it('ldapts is the version the lean decoding was verified against, pinned exactly in package.json', () => {
    const pinned = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../../../../package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['ldapts']
    expect(pinned, `package.json must pin ldapts exactly (no ^ or ~): the lean decoding patches its internals. ${WHAT_TO_DO}`).toBe(VERIFIED_LDAPTS_VERSION)
    expect(installedLdaptsVersion(), `ldapts ${installedLdaptsVersion()} is installed, the lean decoding was verified with ${VERIFIED_LDAPTS_VERSION}. ${WHAT_TO_DO}`).toBe(VERIFIED_LDAPTS_VERSION)
  })

  it("ldapts' Client keeps a MessageParser with a read(data, details) method in its private field `messageParser`", () => {
    const client = new Client({ url: 'ldap://127.0.0.1:1' })
    const parser = (client as unknown as { messageParser?: unknown }).messageParser
    expect(parser instanceof MessageParser, `ldapts no longer has Client#messageParser. ${WHAT_TO_DO}`).toBe(true)
    expect(typeof (parser as { read?: unknown }).read, `ldapts' MessageParser#read is gone. ${WHAT_TO_DO}`).toBe('function')
    expect((parser as { read: (...args: unknown[]) => unknown }).read.length, `MessageParser#read no longer takes (data, messageDetails). ${WHAT_TO_DO}`).toBe(2)
  })

  it("Node's Buffer has the undocumented utf8Slice and latin1Slice, and they decode as toString does", () => {
    const buffer = Buffer.from('cn=Élodie,dc=example', 'utf8') as Buffer & { utf8Slice?: (s: number, e: number) => string; latin1Slice?: (s: number, e: number) => string }
    expect(typeof buffer.utf8Slice, `Node.js ${process.version} has no Buffer#utf8Slice. ${WHAT_TO_DO}`).toBe('function')
    expect(typeof buffer.latin1Slice, `Node.js ${process.version} has no Buffer#latin1Slice. ${WHAT_TO_DO}`).toBe('function')
    expect(buffer.utf8Slice!(0, buffer.length)).toBe(buffer.toString('utf8'))
    expect(buffer.latin1Slice!(0, 3)).toBe(buffer.toString('latin1', 0, 3))
  })

  it('so the lean decoding is in use; a client without the parser field is left to stock ldapts', () => {
    const client = new Client({ url: 'ldap://127.0.0.1:1' })
    expect(leanDecodingProblem(client)).toBeNull()
    expect(useLeanDecoding(client)).toBe(true)
    const changed = new Client({ url: 'ldap://127.0.0.1:1' })
    ;(changed as unknown as { messageParser: unknown }).messageParser = undefined
    expect(leanDecodingProblem(changed)).toMatch(/messageParser/)
    expect(useLeanDecoding(changed)).toBe(false)
  })
})
