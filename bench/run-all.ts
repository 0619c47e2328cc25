/**
 * `npm run bench`: every benchmark, one after another, each in its own Node process (so each peak
 * RSS is its own). Figures are printed, not asserted — speed targets live here, not in tests.
 *
 *   npm run bench                        all, at the sizes the issues name (takes several minutes)
 *   npm run bench -- plan ldif           only some of them
 *   npm run bench -- sync --users 10000  options after the names go to each chosen benchmark
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const BENCHES: Readonly<Record<string, { file: string; args: string[]; about: string }>> = {
  plan: { file: 'plan-sync.ts', args: [], about: 'planner + gate: 1M users / 100k groups / 5M memberships, 1% churn (target ≤ 5 s, ≤ 1.5 GB)' },
  ldif: { file: 'ldif-read.ts', args: [], about: 'LDIF connector: a generated 100k-user export' },
  sync: { file: 'sync-command.ts', args: [], about: 'the whole `dirsync sync --all` vs the ldapsearch dump on a seeded slapd: 100k users / 10k groups unless --users/--groups say otherwise, first / no change / 1% churn (targets at 100k ≤ 6× / 1.5× / 2×, RSS ≤ 400 MB, store ≤ 200 MB; at 1M no change ≤ 1.5×, first sync RSS ≤ 2 GB; needs slapd)' },
  'directory-search': { file: 'directory-search.ts', args: [], about: "the browser host's directory:users API over a 100k-user store: broad, typed and narrow queries (target ≤ 100 ms each)" },
  ldap: { file: 'ldap-read.ts', args: [], about: 'LDAP connector, alone and staged into a store, vs the ldapsearch dump on a seeded slapd: 100k users / 10k groups (target ratio ≤ 1.3, RSS ≤ 400 MB; needs slapd)' },
}

const args = process.argv.slice(2)
const firstOption = args.findIndex((a) => a.startsWith('-'))
const chosen = firstOption < 0 ? args : args.slice(0, firstOption)
const forwarded = firstOption < 0 ? [] : args.slice(firstOption)
const names = chosen.length > 0 ? chosen : Object.keys(BENCHES)
let failed = 0
for (const name of names) {
  const bench = BENCHES[name]
  if (!bench) {
    process.stderr.write(`Unknown benchmark "${name}"; choose from ${Object.keys(BENCHES).join(', ')}.\n`)
    process.exit(2)
  }
  process.stdout.write(`\n=== ${name}: ${bench.about}\n`)
  const result = spawnSync(process.execPath, ['--max-old-space-size=6144', join(import.meta.dirname, bench.file), ...bench.args, ...forwarded], { stdio: 'inherit' })
  if (result.status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
