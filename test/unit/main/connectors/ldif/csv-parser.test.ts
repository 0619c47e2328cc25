import { describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../../../main/connectors/connector-error.ts'
import { parseText, textOf } from './parse-text.ts'

function csv(...rows: string[]): string {
  return `${rows.join('\r\n')}\r\n`
}

function failureOf(text: string): ConnectorError {
  try {
    parseText(text, 'csv')
  } catch (error) {
    if (error instanceof ConnectorError) return error
    throw error
  }
  throw new Error('expected a ConnectorError, but nothing was thrown')
}

describe('the csvde CSV parser', () => {
  it('reads the header row as attribute names and each further row as one entry', () => {
    const entries = parseText(csv('DN,objectClass,mail', '"CN=A,DC=x",user,a@x.test'), 'csv')
    expect(entries).toHaveLength(1)
    expect(entries[0]?.dn).toBe('CN=A,DC=x')
    expect(entries[0]?.line).toBe(2)
    expect(textOf(entries[0], 'objectclass')).toEqual(['user'])
    expect(textOf(entries[0], 'mail')).toEqual(['a@x.test'])
  })

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const entries = parseText(csv('DN,objectClass,displayName,description', '"CN=Anders\\, Bob,DC=x",user,"Bob ""The Builder"" Anders","line one', 'line two, still quoted"'), 'csv')
    expect(entries[0]?.dn).toBe('CN=Anders\\, Bob,DC=x')
    expect(textOf(entries[0], 'displayname')).toEqual(['Bob "The Builder" Anders'])
    expect(textOf(entries[0], 'description')).toEqual(['line one\nline two, still quoted'])
  })

  it('splits multi-valued attributes on semicolons', () => {
    const [entry] = parseText(csv('DN,objectClass,proxyAddresses', '"CN=A,DC=x",top;person;user,SMTP:a@x.test;smtp:alias@x.test'), 'csv')
    expect(textOf(entry, 'objectclass')).toEqual(['top', 'person', 'user'])
    expect(textOf(entry, 'proxyaddresses')).toEqual(['SMTP:a@x.test', 'smtp:alias@x.test'])
  })

  it("reads X'hex' values as bytes", () => {
    const [entry] = parseText(csv('DN,objectClass,objectGUID', "\"CN=A,DC=x\",user,X'e004253f894fd3119a0c0305e82c3301'"), 'csv')
    const guid = entry?.attributes.get('objectguid')?.[0]
    expect(guid).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(guid as Uint8Array).toString('hex')).toBe('e004253f894fd3119a0c0305e82c3301')
  })

  it('leaves empty fields out, and accepts a trailing empty field', () => {
    const [entry] = parseText(csv('DN,objectClass,mail,member', '"CN=A,DC=x",user,,'), 'csv')
    expect([...(entry?.attributes.keys() ?? [])]).toEqual(['objectclass'])
  })

  it('skips blank lines between rows and ignores a byte order mark', () => {
    const entries = parseText(`\uFEFF${csv('DN,objectClass', '"CN=A,DC=x",user', '', '"CN=B,DC=x",user', '')}`, 'csv')
    expect(entries.map((entry) => entry.dn)).toEqual(['CN=A,DC=x', 'CN=B,DC=x'])
    expect(entries[1]?.line).toBe(4)
  })

  it('reports a row with the wrong number of fields with its line number', () => {
    const error = failureOf(csv('DN,objectClass,mail', '"CN=A,DC=x",user,a@x.test', 'CN=B,DC=x,user,b@x.test'))
    expect(error.code).toBe('malformed-data')
    expect(error.message).toBe('org.csv line 3: this row has 4 fields but the header has 3 (a value with a comma must be in double quotes)')
  })

  it('reports a quoted field that is never closed, at the line where its row starts', () => {
    expect(failureOf(csv('DN,objectClass,description', '"CN=A,DC=x",user,"open', 'and never closed')).message).toBe(
      'org.csv line 2: a quoted field is never closed (a \'"\' is missing)',
    )
  })

  it('reports text after a closing quote', () => {
    expect(failureOf(csv('DN,objectClass', '"CN=A,DC=x"oops,user')).message).toMatch(/^org\.csv line 2: a closing quote must be followed by a comma/)
  })

  it('requires DN as the first column and an objectClass column', () => {
    expect(failureOf(csv('mail,objectClass', 'a@x.test,user')).message).toBe("org.csv line 1: the first column must be DN, as csvde writes it (got 'mail')")
    expect(failureOf(csv('DN,mail', '"CN=A,DC=x",a@x.test')).message).toMatch(/^org\.csv line 1: the header has no objectClass column/)
  })

  it('reports an empty file', () => {
    expect(failureOf('').message).toMatch(/^org\.csv line 1: the file is empty/)
  })
})
