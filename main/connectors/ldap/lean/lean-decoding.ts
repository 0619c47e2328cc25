import { type Client, MessageParser } from 'ldapts'
import { useLeanSearchEntries } from './lean-search-entries.ts'
import { HAS_NATIVE_SLICES, type InternedAttributes } from './search-entry-decoder.ts'

/**
 * The lean decoding of LDAP search entries — its one entry point. Everything in this folder is a
 * speed-up for bulk reads (a 100k-user / 1.2M-membership read: 4.6 s → 2.9 s, peak RSS 480–558 →
 * 306–320 MB) that leans on things neither ldapts nor Node.js promise:
 * - ldapts' Client keeps its MessageParser in a private field `messageParser`, whose `read(data,
 *   messageDetails)` gets every socket chunk and emits 'message' (lean-search-entries.ts replaces it);
 * - Node's Buffer has the undocumented `utf8Slice` and `latin1Slice` (search-entry-decoder.ts);
 * - it was verified against the ldapts version below, which package.json pins exactly.
 * Only bulk reads (the full and incremental reads of the connector, and the group reader) come
 * here; Test Connection and small look-ups use stock ldapts. When a check below fails at run
 * time, the read quietly uses stock ldapts (slower, same result); `lean-decoding.test.ts` fails
 * loudly instead, naming what to do.
 */
export const VERIFIED_LDAPTS_VERSION = '9.2.0'

/** Why the lean decoding cannot be used with this client in this Node.js, or null when it can. */
export function leanDecodingProblem(client: Client): string | null {
  if (!HAS_NATIVE_SLICES) return `this Node.js (${process.version}) has no Buffer#utf8Slice/#latin1Slice`
  const parser = (client as unknown as { messageParser?: unknown }).messageParser
  if (!(parser instanceof MessageParser)) return 'the ldapts Client has no private `messageParser` that is a MessageParser'
  if (typeof (parser as unknown as { read?: unknown }).read !== 'function') return "ldapts' MessageParser has no `read` method"
  return null
}

/**
 * Makes a not-yet-connected client decode search entries the lean way (with `interned`, the
 * values of those DN attributes become shared strings: the group reader). Returns false, leaving
 * the client as it is, when the lean decoding cannot be used (see leanDecodingProblem).
 */
export function useLeanDecoding(client: Client, interned?: InternedAttributes): boolean {
  if (leanDecodingProblem(client) !== null) return false
  useLeanSearchEntries(client, interned)
  return true
}
