import { parseArgs } from 'node:util'

/**
 * The options every directory-sized benchmark takes: `--users N` (Default: 100,000), `--groups G`
 * (Default: users ÷ `usersPerGroup`) and the benchmark's own whole-number options with their
 * defaults (`--rounds 3`…). Anything else is refused, so a typo does not silently run the default size.
 */
export function benchOptions<K extends string>(usersPerGroup: number, extra: Readonly<Record<K, number>>, args: readonly string[] = process.argv.slice(2)): { users: number; groups: number } & Record<K, number> {
  const names = Object.keys(extra) as K[]
  const { values } = parseArgs({
    args: [...args],
    options: Object.fromEntries(['users', 'groups', ...names].map((name) => [name, { type: 'string' as const }])),
    strict: true,
  })
  const read = (name: string, fallback: number): number => {
    const text = values[name]
    const n = typeof text === 'string' ? Number(text) : fallback
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} takes a whole number above 0 (got "${String(text)}").`)
    return n
  }
  const users = read('users', 100_000)
  const result: Record<string, number> = { users, groups: read('groups', Math.max(1, Math.round(users / usersPerGroup))) }
  for (const name of names) result[name] = read(name, extra[name])
  return result as { users: number; groups: number } & Record<K, number>
}
