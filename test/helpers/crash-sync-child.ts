/**
 * Child process for the crash-safety tests: opens the data directory given as argv[2] the way the
 * CLI does (`openCore`) and runs one Sync All. With DIRSYNC_FAULT=kill-at:apply:N in its
 * environment, it hands the core a probe (kill-at-fault.ts) that SIGKILLs this process after the
 * Nth applied action, mid-transaction. Prints the run summary as JSON on success.
 */
import { openCore } from '../../main/core/open-core.ts'
import { killAtFault } from './kill-at-fault.ts'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: node crash-sync-child.ts <data-dir>')
const probe = killAtFault(process.env['DIRSYNC_FAULT'])
const core = await openCore({ dataDir, ...(probe ? { probe } : {}) })
const summary = await core.runSync('all', 'cli')
process.stdout.write(JSON.stringify(summary))
