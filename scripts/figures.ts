import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FIGURES_BEGIN as BEGIN, FIGURES_END as END, FIGURES_PATH, readFigures, renderFiguresTable as renderTable } from '../test/reliability/figures.ts'

/**
 * `npm run figures`: renders the figures table of test/reliability/README.md from
 * test/reliability/figures.json, which the reliability and security suites write as they run.
 * `npm run figures -- --check`: exits 1 when the committed table is not what figures.json gives
 * (a suite's count changed and nobody re-rendered, or someone typed a number by hand).
 */
const README = join(import.meta.dirname, '..', 'test', 'reliability', 'README.md')

function main(): void {
  const text = readFileSync(README, 'utf8')
  const start = text.indexOf(BEGIN)
  const stop = text.indexOf(END)
  if (start < 0 || stop < start) throw new Error(`${README} has no figures markers (${BEGIN} … ${END}).`)
  const table = renderTable(readFigures(FIGURES_PATH))
  const next = text.slice(0, start) + table + text.slice(stop + END.length)
  if (process.argv.includes('--check')) {
    if (next !== text) {
      process.stderr.write('The figures table in test/reliability/README.md differs from test/reliability/figures.json: run `npm run figures` and commit both.\n')
      process.exit(1)
    }
    process.stdout.write('figures: the README table matches figures.json.\n')
    return
  }
  writeFileSync(README, next)
  process.stdout.write(`${table}\n`)
}

main()
