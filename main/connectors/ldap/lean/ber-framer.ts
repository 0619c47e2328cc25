/**
 * Cuts a stream of socket chunks into whole LDAPMessages (BER SEQUENCEs with a definite length,
 * RFC 4511 §5.1). A message that spans chunks is assembled once, when its last byte has arrived
 * (ldapts concatenates everything received so far on every chunk, which re-copies a 5,000-member
 * group entry several times); messages inside one chunk are handed on as views, without a copy.
 */
export class BerFramer {
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Total size of the message being assembled, or -1 while its header is incomplete. */
  private needed = -1

  /**
   * Feeds one chunk; calls `onMessage` with each complete message, in order.
   * @throws FramingError when the stream is not a sequence of LDAPMessages (the rest of it cannot be trusted)
   */
  push(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    let buffer = chunk
    if (this.pendingBytes > 0) {
      this.pending.push(chunk)
      this.pendingBytes += chunk.length
      if (this.needed >= 0 && this.pendingBytes < this.needed) return
      buffer = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes)
      this.reset()
    }
    let offset = 0
    while (offset < buffer.length) {
      const size = messageSize(buffer, offset)
      if (size < 0 || offset + size > buffer.length) {
        const rest = buffer.subarray(offset)
        this.pending = [rest]
        this.pendingBytes = rest.length
        this.needed = size
        return
      }
      onMessage(buffer.subarray(offset, offset + size))
      offset += size
    }
  }

  /** Bytes received that do not yet form a whole message. */
  get bufferedBytes(): number {
    return this.pendingBytes
  }

  reset(): void {
    this.pending = []
    this.pendingBytes = 0
    this.needed = -1
  }
}

export class FramingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FramingError'
  }
}

/** The largest message accepted (1 GiB): a longer length field is corruption, not a directory entry. */
const MAX_MESSAGE = 1 << 30

/**
 * Size in bytes (header included) of the message starting at `offset`, or -1 when its header has
 * not fully arrived yet.
 */
export function messageSize(buffer: Buffer, offset: number): number {
  const available = buffer.length - offset
  if (available < 2) return -1
  if (buffer[offset] !== 0x30) throw new FramingError(`expected an LDAPMessage (SEQUENCE, 0x30), got 0x${buffer[offset]!.toString(16)}`)
  const first = buffer[offset + 1]!
  if (first < 0x80) return 2 + first
  const lengthBytes = first & 0x7f
  if (lengthBytes === 0) throw new FramingError('indefinite BER length in an LDAPMessage')
  if (lengthBytes > 4) throw new FramingError(`a BER length of ${lengthBytes} bytes`)
  if (available < 2 + lengthBytes) return -1
  let length = 0
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + buffer[offset + 2 + i]!
  if (length > MAX_MESSAGE) throw new FramingError(`an LDAPMessage of ${length} bytes`)
  return 2 + lengthBytes + length
}
