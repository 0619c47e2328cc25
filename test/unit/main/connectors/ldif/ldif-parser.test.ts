import { describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../../../main/connectors/connector-error.ts'
import type { DirectoryEntry } from '../../../../../main/connectors/ldif/directory-entry.ts'
import { createLdifParser } from '../../../../../main/connectors/ldif/ldif-parser.ts'
import { ldif, parseText, textOf } from './parse-text.ts'

function failure(run: () => unknown): ConnectorError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConnectorError) return error
    throw error
  }
  throw new Error('expected a ConnectorError, but nothing was thrown')
}

describe('the LDIF parser', () => {
  it('reads records separated by blank lines, with attribute names case-insensitive', () => {
    const entries = parseText(ldif('dn: cn=a,dc=x', 'objectClass: person', 'MAIL: a@x.test', '', '', 'dn: cn=b,dc=x', 'mail: b@x.test'))
    expect(entries.map((entry) => entry.dn)).toEqual(['cn=a,dc=x', 'cn=b,dc=x'])
    expect(textOf(entries[0], 'mail')).toEqual(['a@x.test'])
    expect(entries[1]?.line).toBe(6)
  })

  it('joins a folded line: a continuation line starts with one space that is dropped', () => {
    const [entry] = parseText(ldif('dn: cn=a,dc=x', 'description: first half, ', ' second half', '  and the end'))
    // Only the first space of a continuation line is dropped; the second one is part of the value.
    expect(textOf(entry, 'description')).toEqual(['first half, second half and the end'])
  })

  it('joins a folded dn', () => {
    const [entry] = parseText(ldif('dn: cn=Someone With A Long Name,ou=Somewhere,dc=ex', ' ample,dc=com', 'cn: x'))
    expect(entry?.dn).toBe('cn=Someone With A Long Name,ou=Somewhere,dc=example,dc=com')
  })

  it('decodes base64 values after :: as bytes, and a base64 dn as UTF-8 text', () => {
    const [entry] = parseText(ldif('dn:: Q049Sm9zw6ksREM9eA==', 'displayName:: Sm9zw6kgTsO6w7Fleg==', 'objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ=='))
    expect(entry?.dn).toBe('CN=José,DC=x')
    expect(textOf(entry, 'displayname')).toEqual(['José Núñez'])
    const guid = entry?.attributes.get('objectguid')?.[0]
    expect(guid).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(guid as Uint8Array).toString('hex')).toBe('e004253f894fd3119a0c0305e82c3301')
  })

  it('decodes a base64 value folded over several lines', () => {
    const [entry] = parseText(ldif('dn: cn=a', 'displayName:: Sm9zw6k', ' gTsO6w7Fleg=='))
    expect(textOf(entry, 'displayname')).toEqual(['José Núñez'])
  })

  it('skips comment lines, including their continuation lines', () => {
    const entries = parseText(ldif('# exported by ldifde', ' continued comment', 'dn: cn=a,dc=x', '# a comment inside a record', 'mail: a@x.test', '#', ''))
    expect(entries).toHaveLength(1)
    expect(textOf(entries[0], 'mail')).toEqual(['a@x.test'])
  })

  it('reads CRLF line ends the same as LF', () => {
    const crlf = parseText('dn: cn=a,dc=x\r\nmail: a@x.test\r\ndescription: folded\r\n  value\r\n\r\ndn: cn=b,dc=x\r\nmail: b@x.test\r\n')
    expect(crlf.map((entry) => textOf(entry, 'mail')[0])).toEqual(['a@x.test', 'b@x.test'])
    expect(textOf(crlf[0], 'description')).toEqual(['folded value'])
  })

  it('ignores a UTF-8 byte order mark at the start', () => {
    const [entry] = parseText('\uFEFFversion: 1\ndn: cn=a,dc=x\nmail: a@x.test\n')
    expect(entry?.dn).toBe('cn=a,dc=x')
  })

  it('accepts a version line before the first record', () => {
    expect(parseText(ldif('version: 1', '', 'dn: cn=a', 'cn: a'))).toHaveLength(1)
    expect(parseText(ldif('version: 1', 'dn: cn=a', 'cn: a'))).toHaveLength(1)
  })

  it('refuses a version other than 1', () => {
    expect(failure(() => parseText(ldif('version: 2', 'dn: cn=a'))).message).toBe("org.ldif line 1: only LDIF version 1 is supported (got 'version: 2')")
  })

  it('accepts records with changetype add, or with no changetype, and does not keep changetype as an attribute', () => {
    const entries = parseText(ldif('dn: cn=a', 'changetype: add', 'cn: a', '', 'dn: cn=b', 'cn: b'))
    expect(entries).toHaveLength(2)
    expect(entries[0]?.attributes.has('changetype')).toBe(false)
  })

  it('refuses changetype modify with the line number', () => {
    const error = failure(() => parseText(ldif('dn: cn=a', 'cn: a', '', 'dn: cn=b', 'changetype: modify', 'replace: mail', 'mail: b@x.test')))
    expect(error.code).toBe('malformed-data')
    expect(error.message).toMatch(/^org\.ldif line 5: 'changetype: modify' records are changes/)
  })

  it('refuses changetype delete as well', () => {
    expect(failure(() => parseText(ldif('dn: cn=a', 'changetype: delete'))).message).toMatch(/^org\.ldif line 2: 'changetype: delete'/)
  })

  it('refuses values read from a URL (:<) with a clear message', () => {
    const error = failure(() => parseText(ldif('dn: cn=a', 'jpegPhoto:< file:///etc/passwd')))
    expect(error.message).toBe("org.ldif line 2: 'jpegPhoto' takes its value from a URL ('jpegPhoto:<'), which is not supported: export the value inline")
  })

  it('reports a value line without a colon with its line number and the text', () => {
    const lines = ['dn: cn=a', ...Array.from({ length: 40 }, (_, index) => `description: line ${index}`), 'mail foo@x']
    const error = failure(() => parseText(ldif(...lines)))
    expect(error.code).toBe('malformed-data')
    expect(error.message).toBe("org.ldif line 42: a value line must contain ':' (got 'mail foo@x')")
    expect(error.message).not.toContain('    at ')
  })

  it('reports the first line of a folded line that is malformed', () => {
    expect(failure(() => parseText(ldif('dn: cn=a', 'no colon here', ' but folded'))).message).toMatch(/^org\.ldif line 2: /)
  })

  it('reports invalid base64 with its line number', () => {
    expect(failure(() => parseText(ldif('dn: cn=a', 'objectGUID:: not*base64'))).message).toBe("org.ldif line 2: the value after '::' is not valid base64 (got 'not*base64')")
  })

  it('reports a record that does not start with dn', () => {
    expect(failure(() => parseText(ldif('cn: a', 'mail: a@x'))).message).toBe("org.ldif line 1: a record must start with 'dn:' (got 'cn: a')")
  })

  it('reports a continuation line with nothing to continue', () => {
    expect(failure(() => parseText(' orphan\n')).message).toMatch(/^org\.ldif line 1: a continuation line/)
  })

  it('reports two dn lines in one record', () => {
    expect(failure(() => parseText(ldif('dn: cn=a', 'cn: a', 'dn: cn=b'))).message).toMatch(/^org\.ldif line 3: a second 'dn:'/)
  })

  it('keeps the attribute type and drops options such as ;binary', () => {
    const [entry] = parseText(ldif('dn: cn=a', 'userCertificate;binary:: AAE=', 'cn;lang-de: A'))
    expect(entry?.attributes.has('usercertificate')).toBe(true)
    expect(textOf(entry, 'cn')).toEqual(['A'])
  })

  it('keeps a value without the spaces after the colon, and keeps a value that is empty', () => {
    const [entry] = parseText(ldif('dn: cn=a', 'cn:    spaced', 'description:'))
    expect(textOf(entry, 'cn')).toEqual(['spaced'])
    expect(textOf(entry, 'description')).toEqual([''])
  })
})

describe('the LDIF parser with a list of attributes to keep', () => {
  it('stores only the listed attributes and does not decode the others', () => {
    const entries: DirectoryEntry[] = []
    const parser = createLdifParser('org.ldif', new Set(['mail']))
    const lines = ['dn: cn=a', 'changetype: add', 'mail: a@x.test', `thumbnailPhoto:: ${'QUJD'.repeat(2000)}`, 'description: ignored']
    lines.forEach((line, index) => parser.pushLine(line, index + 1, entries))
    parser.end(entries)
    expect([...(entries[0]?.attributes.keys() ?? [])]).toEqual(['mail'])
  })

  it('still refuses URL values and change records in attributes it does not keep', () => {
    const parser = createLdifParser('org.ldif', new Set(['mail']))
    expect(() => parser.pushLine('dn: cn=a', 1, [])).not.toThrow()
    parser.pushLine('jpegPhoto:< file:///x', 2, [])
    expect(() => parser.pushLine('', 3, [])).toThrow(/line 2: 'jpegPhoto' takes its value from a URL/)
  })
})
