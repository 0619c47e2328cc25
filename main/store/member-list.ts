/**
 * A snapshot group's members as one value: the snapshot_ids numbers of its members, ascending,
 * each once, as 4-byte big-endian integers (snapshot_groups.members). One row per group instead of
 * one per membership: at 100k users / 1.2M memberships ~4.8 MB instead of 17.5 MB, 10,000 rows
 * to write instead of 1.2M, and two reads of the same list compare as one value. Big-endian
 * fixed width is what SQL can produce (migration 12 builds it with printf('%08X') and unhex).
 */
export function encodeMemberList(numbers: Int32Array): Buffer {
  numbers.sort()
  const out = Buffer.allocUnsafe(numbers.length * 4)
  let length = 0
  let previous = -1
  for (const number of numbers) {
    if (number === previous) continue
    previous = number
    out.writeUInt32BE(number, length)
    length += 4
  }
  return length === out.length ? out : out.subarray(0, length)
}

export function decodeMemberList(list: Uint8Array): Int32Array {
  const count = list.length >>> 2
  const out = new Int32Array(count)
  for (let i = 0, at = 0; i < count; i++, at += 4) out[i] = (list[at]! << 24) | (list[at + 1]! << 16) | (list[at + 2]! << 8) | list[at + 3]!
  return out
}

/** Whether a decoded list (ascending) holds `number`. */
export function listsMember(members: Int32Array, number: number): boolean {
  let low = 0
  let high = members.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const value = members[middle]!
    if (value === number) return true
    if (value < number) low = middle + 1
    else high = middle - 1
  }
  return false
}
