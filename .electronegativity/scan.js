// Electronegativity (Doyensec) over main/, preload/ and renderer/, offline and deterministic.
//
// Why a wrapper instead of the bare `electronegativity` CLI: on start the CLI fetches
// translations from the internet with `got`; offline (CI here reaches no internet) got's retry
// throws an uncaught error on Node 24 ("The `onCancel` handler was attached after the promise
// settled") and the process dies before scanning. This wrapper answers that one request with an
// immediate failure (the CLI then uses its bundled English strings, as it does offline anyway),
// runs the same scanner through its documented `run()` API, writes a SARIF report to
// .tmp/electronegativity/, and exits 1 on any finding that is not justified in
// .electronegativity/justifications.json (each entry: check id, file, line and the flagged code
// — all four must match — and why it does not apply).
//
// AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is excluded: it downloads Electron's release list to say
// whether a newer patch exists, which needs the internet and changes from day to day. The
// Electron version is pinned in package.json and upgraded deliberately.
//
// Usage: node .electronegativity/scan.js [--json]   (npm run scan)
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const runnerPath = require.resolve('@doyensec/electronegativity')
const scannerRequire = createRequire(runnerPath)
const gotPath = scannerRequire.resolve('got')
// Offline: every request the scanner makes fails at once (it catches this and carries on).
const offlineGot = () => Promise.reject(new Error('offline: electronegativity network access disabled'))
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offlineGot, { default: offlineGot }) }

const run = require(runnerPath)
const ELECTRON_VERSION = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
const INPUTS = ['main', 'preload', 'renderer']
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck']
const outDir = join(root, '.tmp', 'electronegativity')
// One tree holding the three rooms, scanned once: the global checks (CSP, navigation limits,
// permission handler) look across the whole app, so scanning the folders apart reports each
// missing from the folders that do not hold it.
const tree = join(outDir, 'app')
rmSync(tree, { recursive: true, force: true })
mkdirSync(tree, { recursive: true })
for (const input of INPUTS) cpSync(join(root, input), join(tree, input), { recursive: true })

const justifications = JSON.parse(readFileSync(join(import.meta.dirname, 'justifications.json'), 'utf8')).findings
const findings = []
let atomicChecks = 0
let globalChecks = 0
{
  const result = await run({
    input: tree,
    output: join(outDir, 'electronegativity.sarif'),
    isSarif: true,
    customScan: [],
    excludeFromScan: EXCLUDED.map((c) => c.toLowerCase()),
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: ELECTRON_VERSION,
    parserPlugins: [],
  })
  atomicChecks = result.atomicChecks
  globalChecks = result.globalChecks
  for (const error of result.errors) findings.push({ id: 'PARSE_ERROR', file: String(error.file ?? ''), line: 0, justified: false, note: String(error.message ?? error) })
  for (const issue of result.issues) {
    const file = issue.file
    const line = issue.location?.line ?? 0
    const finding = String(issue.sample ?? '').trim()
    // A justification covers one finding: the same check, file, line and flagged code. A new
    // finding in a justified file, or a justified line that changed or moved, is unjustified
    // until someone reviews it again.
    const justification = justifications.find((j) => j.id === issue.id && j.file === file && j.line === line && j.finding === finding)
    findings.push({ id: issue.id, file, line, finding, severity: issue.severity?.name, confidence: issue.confidence?.name, justified: Boolean(justification), note: justification?.why ?? issue.description })
  }
}

const unjustified = findings.filter((f) => !f.justified)
const report = { electron: ELECTRON_VERSION, inputs: INPUTS, atomicChecks, globalChecks, excluded: EXCLUDED, findings: findings.length, justified: findings.length - unjustified.length, unjustified: unjustified.length, details: findings }
writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report)}\n`)
else {
  process.stdout.write(`Electronegativity ${JSON.parse(readFileSync(join(dirname(runnerPath), '..', 'package.json'), 'utf8')).version} on ${INPUTS.join(', ')} (Electron ${ELECTRON_VERSION}): ${atomicChecks} atomic + ${globalChecks} global checks, ${findings.length} finding(s), ${report.justified} justified, ${unjustified.length} unjustified. SARIF: ${relative(root, outDir)}/\n`)
  for (const f of findings) process.stdout.write(`  ${f.justified ? 'justified  ' : 'UNJUSTIFIED'} ${f.id} ${f.file}:${f.line} (${f.finding}) — ${f.note}\n`)
}
process.exit(unjustified.length > 0 ? 1 : 0)
