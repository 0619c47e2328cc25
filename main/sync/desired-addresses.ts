import type { AccountState } from '../model/plan-types.ts'

/**
 * Which desired user holds each address, with the account's own address index doing most of the
 * work: when an address is an account user's primary (nearly all of them in a steady state), its
 * holder lives in an Int32Array slot of that account user, so the one lookup that finds the
 * address in the account also answers "who holds it here" — and later "which account user is
 * this" (see `accountOfPrimary`). Other addresses (new ones, account aliases) go in a Map.
 *
 * `locate` first, then `get`/`set` with its result: one string lookup per address, not three.
 */
export class DesiredAddresses {
  readonly #account: AccountState
  /** account user index → desired user holding that user's primary address, or -1 */
  readonly #holderOfAccountPrimary: Int32Array
  readonly #others = new Map<string, number>()

  constructor(account: AccountState) {
    this.#account = account
    this.#holderOfAccountPrimary = new Int32Array(account.users.length).fill(-1)
  }

  /** The account user whose primary `address` is, or -1. */
  locate(address: string): number {
    const index = this.#account.userByAddress.get(address)
    return index !== undefined && this.#account.users[index]?.address === address ? index : -1
  }

  get(address: string, at: number = this.locate(address)): number | undefined {
    if (at < 0) return this.#others.get(address)
    const holder = this.#holderOfAccountPrimary[at] ?? -1
    return holder < 0 ? undefined : holder
  }

  set(address: string, holder: number, at: number = this.locate(address)): void {
    if (at < 0) this.#others.set(address, holder)
    else this.#holderOfAccountPrimary[at] = holder
  }
}
