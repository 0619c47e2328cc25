import net from 'node:net'
import { BerWriter, Client } from 'ldapts'
import { afterEach, describe, expect, it } from 'vitest'
import { BerFramer } from '../../../../../../main/connectors/ldap/lean/ber-framer.ts'
import { useLeanSearchEntries } from '../../../../../../main/connectors/ldap/lean/lean-search-entries.ts'
import { messageHeader } from '../../../../../../main/connectors/ldap/lean/search-entry-decoder.ts'

/** An LDAPMessage: SEQUENCE { messageID, [tag] { body } }. */
function ldapMessage(id: number, tag: number, body: (w: BerWriter) => void): Buffer {
  const w = new BerWriter()
  w.startSequence()
  w.writeInt(id)
  w.startSequence(tag)
  body(w)
  w.endSequence()
  w.endSequence()
  return w.buffer
}

const result = (w: BerWriter) => {
  w.writeEnumeration(0)
  w.writeString('')
  w.writeString('')
}

function entry(id: number, dn: string, attributes: Record<string, string[]>): Buffer {
  return ldapMessage(id, 0x64, (w) => {
    w.writeString(dn)
    w.startSequence()
    for (const [type, values] of Object.entries(attributes)) {
      w.startSequence()
      w.writeString(type)
      w.startSequence(0x31)
      for (const v of values) w.writeString(v)
      w.endSequence()
      w.endSequence()
    }
    w.endSequence()
  })
}

/**
 * A scripted LDAP server on 127.0.0.1: answers binds with success and each search with what
 * `answer` returns for its message id, written `chunk` bytes at a time.
 */
async function scriptedServer(answer: (id: number) => Buffer, chunk = 1 << 16): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    const framer = new BerFramer()
    socket.on('error', () => undefined)
    socket.on('data', (data) =>
      framer.push(data, (request) => {
        const { messageId, protocolOp } = messageHeader(request)
        let reply: Buffer | null = null
        if (protocolOp === 0x60) reply = ldapMessage(messageId, 0x61, result)
        else if (protocolOp === 0x63) reply = answer(messageId)
        if (reply) for (let offset = 0; offset < reply.length; offset += chunk) socket.write(reply.subarray(offset, offset + chunk))
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `ldap://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function leanClient(answer: (id: number) => Buffer, chunk?: number): Promise<Client> {
  const server = await scriptedServer(answer, chunk)
  const client = new Client({ url: server.url, timeout: 20_000, connectTimeout: 5_000 })
  useLeanSearchEntries(client)
  cleanups.push(async () => {
    await client.unbind().catch(() => undefined)
    await server.close()
  })
  await client.bind('cn=admin,dc=example,dc=com', 'secret')
  return client
}

describe('useLeanSearchEntries', () => {
  it('gives ldapts searches the same entries, with messages arriving a few bytes at a time', async () => {
    const members = Array.from({ length: 3000 }, (_, i) => `uid=u${i},dc=example,dc=com`)
    const client = await leanClient(
      (id) => Buffer.concat([entry(id, 'uid=ann,dc=example,dc=com', { mail: ['ann@example.com'], cn: ['Ann'] }), entry(id, 'cn=all,dc=example,dc=com', { member: members }), ldapMessage(id, 0x65, result)]),
      7_001,
    )
    const { searchEntries } = await client.search('dc=example,dc=com', { filter: '(objectClass=*)', attributes: ['mail', 'cn', 'member', 'title'] })
    expect(searchEntries).toEqual([
      { dn: 'uid=ann,dc=example,dc=com', mail: 'ann@example.com', cn: 'Ann', member: [], title: [] },
      { dn: 'cn=all,dc=example,dc=com', member: members, mail: [], cn: [], title: [] },
    ])
  })

  it('fails the search at once, naming the problem, when an entry is malformed', async () => {
    const client = await leanClient((id) => {
      const bad = entry(id, 'cn=x', { mail: ['a@b.c'] })
      bad[bad.indexOf(Buffer.from('a@b.c')) - 2] = 0x05
      return Buffer.concat([bad, ldapMessage(id, 0x65, result)])
    })
    const started = Date.now()
    await expect(client.search('dc=example,dc=com', { filter: '(objectClass=*)' })).rejects.toThrow(/Malformed search result entry: expected tag 0x4/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('closes the connection and fails pending requests at once when the server stops speaking LDAP', async () => {
    const client = await leanClient(() => Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))
    const started = Date.now()
    await expect(client.search('dc=example,dc=com', { filter: '(objectClass=*)' })).rejects.toThrow(/Socket error|Connection closed/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
