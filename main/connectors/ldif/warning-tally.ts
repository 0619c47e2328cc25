/** How many examples a warning names before "…" (keeps a 100k-entry file from flooding the run record). */
const EXAMPLES_PER_WARNING = 3

/**
 * Non-fatal findings of one read, grouped by kind: each kind becomes one sentence with a count
 * and a few examples, so a file with 5,000 dangling members gives one warning, not 5,000.
 */
export interface WarningTally {
  note(kind: WarningKind, example: string): void
  count(kind: WarningKind): number
  render(): string[]
}

export type WarningKind = 'user-without-address' | 'unresolved-member' | 'group-cycle' | 'invalid-alias' | 'invalid-guid' | 'no-entries'

const SENTENCES: Readonly<Record<WarningKind, (count: number) => string>> = {
  'user-without-address': (count) =>
    `${count} ${count === 1 ? 'user has' : 'users have'} no email address (no SMTP: proxyAddress and no mail) and ${count === 1 ? 'was' : 'were'} skipped`,
  'unresolved-member': (count) =>
    `${count} group ${count === 1 ? 'member was' : 'members were'} not found in the file and left out`,
  'group-cycle': (count) =>
    `${count} ${count === 1 ? 'group contains itself' : 'groups contain themselves'} through nested groups (a cycle); each member was counted once`,
  'invalid-alias': (count) => `${count} ${count === 1 ? 'address that is' : 'addresses that are'} not a valid email address ${count === 1 ? 'was' : 'were'} ignored`,
  'invalid-guid': (count) =>
    `${count} ${count === 1 ? 'entry has' : 'entries have'} an objectGUID that is not 16 bytes; the DN was used as its id instead`,
  'no-entries': () => 'the file holds no users and no groups',
}

export function createWarningTally(): WarningTally {
  const tallies = new Map<WarningKind, { count: number; examples: string[] }>()
  return {
    note(kind, example) {
      let tally = tallies.get(kind)
      if (tally === undefined) {
        tally = { count: 0, examples: [] }
        tallies.set(kind, tally)
      }
      tally.count++
      if (tally.examples.length < EXAMPLES_PER_WARNING && example !== '') tally.examples.push(example)
    },
    count(kind) {
      return tallies.get(kind)?.count ?? 0
    },
    render() {
      return [...tallies].map(([kind, { count, examples }]) => {
        const sentence = SENTENCES[kind](count)
        if (examples.length === 0) return `${sentence}.`
        return `${sentence}: ${examples.join('; ')}${count > examples.length ? '; …' : ''}.`
      })
    },
  }
}
