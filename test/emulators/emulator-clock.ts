/**
 * The service's idea of "now", which a test can move forward: what a laptop that stayed closed for
 * a week looks like to a cloud service (delta links age, change logs move on) without waiting.
 * Only the service-side state ages with it: tokens and client assertions keep real time, because
 * in the real scenario the client's clock has moved on by the same amount.
 */
export class EmulatorClock {
  private offsetMs = 0

  /** Milliseconds since the epoch, as the service sees it. */
  now(): number {
    return Date.now() + this.offsetMs
  }

  /** Moves the service's time forward (no waiting). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('the emulator clock only moves forward')
    this.offsetMs += ms
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000
