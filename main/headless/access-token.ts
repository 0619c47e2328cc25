import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A random URL-safe token (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function sameToken(expected: string, given: string | null | undefined): boolean {
  if (!given) return false
  const a = createHash('sha256').update(expected).digest()
  const b = createHash('sha256').update(given).digest()
  return timingSafeEqual(a, b)
}
