/**
 * Turns DN values into one shared string per distinct DN, straight from the bytes of a search
 * entry: a 10k-group directory has ~1.2M member values but only ~110k distinct members, so the
 * group reader makes 110k strings instead of 1.2M (and no garbage per value: the bytes are hashed
 * and compared in place). Keys are kept as bytes in one arena; the hash covers the first RDN (what
 * tells entries apart) and the length, and falls back to the whole value when first RDNs collide
 * too often.
 */
export class DnInterner {
  /** Two numbers per slot: hash, and entry number + 1 (0 = empty). Linear probing; at most half full. */
  private slots = new Int32Array(2048)
  private arena = Buffer.allocUnsafe(1 << 16)
  private arenaLength = 0
  /** Per entry: where its bytes start in the arena; entry i ends where i + 1 starts. */
  private starts = new Int32Array(1024)
  private readonly strings: string[] = []
  private wholeKey = false

  get size(): number {
    return this.strings.length
  }

  /** The shared string for the DN in bytes [start, end) of `buffer`. */
  intern(buffer: Buffer, start: number, end: number): string {
    return this.strings[this.number(buffer, start, end)]!
  }

  /** The shared strings, by number. */
  get all(): readonly string[] {
    return this.strings
  }

  /** The number of a DN given as a string (values that did not come through `intern`). */
  numberOfText(text: string): number {
    const bytes = Buffer.from(text, 'utf8')
    return this.number(bytes, 0, bytes.length)
  }

  /** The number of the DN in bytes [start, end) of `buffer` (0, 1, 2… in order of first sight). */
  number(buffer: Buffer, start: number, end: number): number {
    const hash = this.hash(buffer, start, end)
    const slots = this.slots
    const capacity = slots.length >> 1
    const mask = capacity - 1
    let probes = 0
    let slot = hash & mask
    for (; ; slot = (slot + 1) & mask, probes++) {
      const entry = slots[2 * slot + 1]!
      if (entry === 0) break
      if (slots[2 * slot] === hash && this.sameBytes(entry - 1, buffer, start, end)) return entry - 1
    }
    const text = buffer.toString('utf8', start, end)
    this.store(buffer, start, end)
    this.strings.push(text)
    slots[2 * slot] = hash
    slots[2 * slot + 1] = this.strings.length
    if (this.strings.length * 2 > capacity) this.rebuild(capacity * 2)
    else if (probes > 64 && !this.wholeKey) {
      this.wholeKey = true
      this.rebuild(capacity)
    }
    return this.strings.length - 1
  }

  private sameBytes(entry: number, buffer: Buffer, start: number, end: number): boolean {
    const from = this.starts[entry]!
    const length = end - start
    if (this.starts[entry + 1]! - from !== length) return false
    const arena = this.arena
    for (let i = 0; i < length; i++) if (arena[from + i] !== buffer[start + i]) return false
    return true
  }

  private store(buffer: Buffer, start: number, end: number): void {
    const length = end - start
    if (this.arenaLength + length > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaLength + length))
      this.arena.copy(grown, 0, 0, this.arenaLength)
      this.arena = grown
    }
    buffer.copy(this.arena, this.arenaLength, start, end)
    this.arenaLength += length
    const entry = this.strings.length
    if (entry + 2 > this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2)
      grown.set(this.starts)
      this.starts = grown
    }
    this.starts[entry + 1] = this.arenaLength
  }

  private rebuild(capacity: number): void {
    const slots = new Int32Array(capacity * 2)
    const mask = capacity - 1
    for (let i = 0; i < this.strings.length; i++) {
      const hash = this.hash(this.arena, this.starts[i]!, this.starts[i + 1]!)
      let slot = hash & mask
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask
      slots[2 * slot] = hash
      slots[2 * slot + 1] = i + 1
    }
    this.slots = slots
  }

  /** FNV-1a over the first RDN (up to the first unescaped comma, at most 64 bytes) and the length; the whole value once `wholeKey` is set. */
  private hash(buffer: Buffer, start: number, end: number): number {
    const length = end - start
    let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193)
    const whole = this.wholeKey
    const limit = whole ? end : Math.min(end, start + 64)
    let previous = 0
    for (let i = start; i < limit; i++) {
      const c = buffer[i]!
      if (c === 44 && previous !== 92 && !whole) break
      hash = Math.imul(hash ^ c, 0x01000193)
      previous = c
    }
    return hash
  }
}
