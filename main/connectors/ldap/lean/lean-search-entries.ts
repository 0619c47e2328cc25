import type { Socket } from 'node:net'
import { type Client, type Entry, MessageParser, MessageParserError, SearchEntry, SearchRequest } from 'ldapts'
import { BerFramer } from './ber-framer.ts'
import { type InternedAttributes, SEARCH_RESULT_ENTRY, decodeSearchEntry, messageHeader } from './search-entry-decoder.ts'

/** A search entry decoded by `decodeSearchEntry`; ldapts asks it for its object and gets it as is. */
class DecodedSearchEntry extends SearchEntry {
  private readonly decoded: Entry

  constructor(messageId: number, decoded: Entry) {
    super({ messageId, name: decoded.dn })
    this.decoded = decoded
  }

  override toObject(): Entry {
    return this.decoded
  }
}

type MessageDetails = Parameters<MessageParser['read']>[1]

/**
 * Makes a connected-to-be ldapts Client decode search entries with the lean decoder (and frame
 * messages without re-concatenating), leaving every other message — bind, search done, extended
 * and error responses — to ldapts' own parser, which receives them whole, one at a time.
 *
 * Why not ldapts alone: in a 100k-user / 1.2M-membership read, its per-value Buffer views, double
 * value lists and repeated concatenation of large entries were ~2 s of a 5 s read and most of the
 * garbage (the LDAP benchmark's target is 1.3× ldapsearch). Why not a client of our own: ldapts
 * stays in charge of the connection, TLS, StartTLS, bind, controls, paging, timeouts and errors;
 * only the decoding of one message type is replaced. The hook uses the Client's parser instance
 * (a private field), so it checks that it is there and `package.json` pins ldapts' version;
 * `search-entry-decoder.test.ts` compares the decoder with ldapts' own decoding, and
 * `lean-search-entries.test.ts` runs the hook under ldapts' `search` against a scripted server. With `interned`, the values of those DN attributes are shared strings (see
 * DnInterner): the group reader's connection.
 */
export function useLeanSearchEntries(client: Client, interned?: InternedAttributes): void {
  const internals = client as unknown as { messageParser?: unknown; socket?: Socket }
  const parser = internals.messageParser
  if (!(parser instanceof MessageParser)) throw new Error('ldapts changed: Client.messageParser is not a MessageParser (see lean-decoding.ts)')
  const stockRead = parser.read.bind(parser)
  const framer = new BerFramer()

  const handle = (message: Buffer, details: MessageDetails): void => {
    let header: ReturnType<typeof messageHeader>
    try {
      header = messageHeader(message)
    } catch {
      stockRead(message, details) // malformed: ldapts reports it its own way
      return
    }
    const request = details.get(String(header.messageId))?.message
    if (header.protocolOp !== SEARCH_RESULT_ENTRY || !(request instanceof SearchRequest)) {
      stockRead(message, details)
      return
    }
    let entry: Entry
    try {
      entry = decodeSearchEntry(message, header.opOffset, request, interned)
    } catch (error) {
      // As ldapts does for a message it cannot parse: the request it answers fails with the reason.
      const failure = new MessageParserError(`Malformed search result entry: ${error instanceof Error ? error.message : String(error)}`)
      failure.messageDetails = { messageId: header.messageId, protocolOperation: header.protocolOp }
      parser.emit('error', failure)
      return
    }
    parser.emit('message', new DecodedSearchEntry(header.messageId, entry))
  }

  parser.read = (data: Buffer, details: MessageDetails): void => {
    try {
      framer.push(data, (message) => handle(message, details))
    } catch (error) {
      // The stream is not LDAP any more (or is corrupt): nothing after this point can be trusted,
      // so the connection is closed and every pending request fails now, instead of waiting for
      // its timeout.
      framer.reset()
      internals.socket?.destroy(error instanceof Error ? error : new Error(String(error)))
    }
  }
}
