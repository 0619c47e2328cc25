/**
 * Child process for the crash-safety test: opens the data directory given as argv[2] the way the
 * CLI does (`openCore`) and runs one Sync All. With DIRSYNC_FAULT=kill-at:apply:N in its
 * environment, the engine SIGKILLs this process after the Nth applied action, mid-transaction.
 * Prints the run summary as JSON on success.
 */
import { openCore } from '../../main/core/open-core.ts'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: node crash-sync-child.ts <data-dir>')
const core = await openCore({ dataDir })
const summary = await core.runSync('all', 'cli')
process.stdout.write(JSON.stringify(summary))
