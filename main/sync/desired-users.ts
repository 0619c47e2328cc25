import type { DirectoryUser } from '../../shared/domain/directory-snapshot.ts'

/**
 * The desired users, numbered in the order first seen, kept as columns rather than one object per
 * user: a million objects, each with an address array, cost 150 MB that the garbage collector
 * must copy and mark; these columns cost a tenth of it. Masks are over the live integrations
 * (see SourceSets); 31 integrations at most, so they fit an Int32Array.
 */
export class DesiredUsers {
  /** Primary address per user. */
  readonly primary: string[]
  /** The snapshot user it takes its display name and attributes from (the first that presented it). */
  readonly first: DirectoryUser[]
  /** Integrations that back the user. */
  readonly sources: Int32Array
  /** Sources that say "enabled" (or do not acknowledge disabled accounts). */
  readonly enabledVotes: Int32Array
  /** Sources that acknowledge disabled accounts and say "disabled". */
  readonly disabledVotes: Int32Array
  /** The user this one was folded into (two directories, one person), or -1 while it stands on its own. */
  readonly foldedInto: Int32Array
  /** Addresses after the primary, in the order first presented; absent for most users. */
  readonly #more: Array<string[] | undefined>
  #folds = 0
  #count = 0

  /** `capacity`: at most this many users (the snapshots' user count). */
  constructor(capacity: number) {
    // Sized once (not grown by push): at a million users, regrowing copies the arrays a dozen times.
    this.primary = new Array<string>(capacity)
    this.first = new Array<DirectoryUser>(capacity)
    this.#more = new Array<string[] | undefined>(capacity)
    this.sources = new Int32Array(capacity)
    this.enabledVotes = new Int32Array(capacity)
    this.disabledVotes = new Int32Array(capacity)
    this.foldedInto = new Int32Array(capacity).fill(-1)
  }

  get count(): number {
    return this.#count
  }

  add(primary: string, first: DirectoryUser): number {
    const number = this.#count++
    this.primary[number] = primary
    this.first[number] = first
    return number
  }

  /** Integration `bit` presents the user, enabled or (acknowledged) disabled. */
  present(number: number, bit: number, disabled: boolean): void {
    this.sources[number] = (this.sources[number] ?? 0) | bit
    if (disabled) this.disabledVotes[number] = (this.disabledVotes[number] ?? 0) | bit
    else this.enabledVotes[number] = (this.enabledVotes[number] ?? 0) | bit
  }

  /** Moves everything of `from` onto `into` (addresses in `from`'s order); `from` then resolves to `into`. */
  fold(from: number, into: number): void {
    for (const address of this.addresses(from)) this.addAddress(into, address)
    this.sources[into] = (this.sources[into] ?? 0) | (this.sources[from] ?? 0)
    this.enabledVotes[into] = (this.enabledVotes[into] ?? 0) | (this.enabledVotes[from] ?? 0)
    this.disabledVotes[into] = (this.disabledVotes[into] ?? 0) | (this.disabledVotes[from] ?? 0)
    this.foldedInto[from] = into
    this.#folds++
  }

  /** Whether any user was folded (if not, every number resolves to itself). */
  get anyFolded(): boolean {
    return this.#folds > 0
  }

  isLive(number: number): boolean {
    return (this.foldedInto[number] ?? -1) < 0
  }

  /** The user that stands for `number` (itself unless folded). */
  resolve(number: number): number {
    let key = number
    for (let next = this.foldedInto[key] ?? -1; next >= 0; next = this.foldedInto[key] ?? -1) key = next
    return key
  }

  /** All addresses, the primary first, in the order first presented (a fresh array). */
  addresses(number: number): string[] {
    const primary = this.primary[number] ?? ''
    const more = this.#more[number]
    return more ? [primary, ...more] : [primary]
  }

  hasAddress(number: number, address: string): boolean {
    return this.primary[number] === address || (this.#more[number]?.includes(address) ?? false)
  }

  addAddress(number: number, address: string): void {
    if (this.hasAddress(number, address)) return
    const more = this.#more[number]
    if (more) more.push(address)
    else this.#more[number] = [address]
  }
}
