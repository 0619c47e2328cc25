import { randomBytes } from 'node:crypto'
import { sameToken } from './access-token.ts'

/** Idle time after which a browser session ends (Default: 12 hours). */
export const DEFAULT_SESSION_IDLE_MS = 12 * 60 * 60 * 1000

export interface Session {
  readonly id: string
  /**
   * Sent by the page as a header, never as a cookie: a cookie for 127.0.0.1 also reaches every other
   * local web server (cookies ignore ports), but a replayed cookie without this token opens nothing.
   */
  readonly pageToken: string
}

export interface Sessions {
  create(): Session
  /** The live session of this id (its idle clock restarts), or null when unknown or expired. */
  touch(id: string | null): Session | null
  /** Whether `pageToken` is the one of this session (constant time). */
  pageTokenMatches(session: Session, pageToken: string | null | undefined): boolean
  /** Forgets expired sessions; returns how many are left. */
  prune(): number
}

export function createSessions(options: { idleMs?: number; now?: () => number } = {}): Sessions {
  const idleMs = options.idleMs ?? DEFAULT_SESSION_IDLE_MS
  const now = options.now ?? Date.now
  const live = new Map<string, { session: Session; lastSeen: number }>()
  const expired = (lastSeen: number): boolean => now() - lastSeen >= idleMs
  return {
    create() {
      const session = { id: randomBytes(32).toString('base64url'), pageToken: randomBytes(32).toString('base64url') }
      live.set(session.id, { session, lastSeen: now() })
      return session
    },
    touch(id) {
      const entry = id === null ? undefined : live.get(id)
      if (!entry) return null
      if (expired(entry.lastSeen)) {
        live.delete(entry.session.id)
        return null
      }
      entry.lastSeen = now()
      return entry.session
    },
    pageTokenMatches(session, pageToken) {
      return sameToken(session.pageToken, pageToken)
    },
    prune() {
      for (const [id, entry] of live) if (expired(entry.lastSeen)) live.delete(id)
      return live.size
    },
  }
}
