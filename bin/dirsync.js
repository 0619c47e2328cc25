#!/usr/bin/env node
// The `dirsync` command. The core is TypeScript run directly by Node 24's type stripping, so
// Node 24 is required; say so plainly instead of failing on syntax.
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  process.stderr.write(`dirsync: Node.js 24 or newer is required (this is ${process.version}). See the README's set-up section.\n`)
  process.exit(1)
}
// A sync (or a migration's read, or a preview) keeps ~100 MB of objects alive through its read and
// plan, and V8 then grows the young generation to its largest (two 64 MB semi-spaces, resident
// for the rest of the run): a first sync of 100k users peaked at ~530 MB, ~415 MB with 16 MB
// semi-spaces at the same CPU time (8 MB cost +25% CPU). The size is fixed when Node starts, so
// such a command replaces itself once with the flag (execve: same process, nothing left behind).
// Where execve is missing (Windows), or the flag was given, it runs as started.
const SEMI_SPACE_FLAG = '--max-semi-space-size=16'
const heavy = ['sync', 'preview', 'migrate'].some((command) => process.argv.includes(command))
const flagged = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(' ')].some((arg) => arg.startsWith('--max-semi-space-size'))
if (heavy && !flagged && typeof process.execve === 'function') {
  try {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, SEMI_SPACE_FLAG, ...process.argv.slice(1)], process.env)
  } catch {
    // Not replaced (a sandbox refusing exec): run with V8's default sizes.
  }
}
// V8's compiled code of the command's ~300 modules (TypeScript, stripped) is kept for the next
// command: their loading took ~0.55 s of CPU at every start, ~0.3 s with the cache. The cache is
// the user's own folder, never a shared temporary one where another account could plant code;
// entries are keyed by each file's content, so an updated file is never run from a stale entry.
// NODE_COMPILE_CACHE (another folder) and NODE_DISABLE_COMPILE_CACHE=1 still apply.
const { enableCompileCache } = await import('node:module')
const { homedir } = await import('node:os')
const { join } = await import('node:path')
try {
  const userCache =
    process.platform === 'win32' ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
    : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches')
    : (process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'))
  // Without a writable folder (enableCompileCache then reports FAILED) the command runs uncached.
  enableCompileCache(process.env.NODE_COMPILE_CACHE ?? join(userCache, 'directory-sync-console', 'compile-cache'))
} catch {
  // No home folder to keep a cache in: run uncached.
}
// `dirsync users | head`: a closed pipe is the reader being done, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})
// Started before the rest loads (see command-prelude.ts): a sync's key derivation overlaps it.
const { startCommandEarly } = await import('../main/cli/command-prelude.ts')
startCommandEarly(process.argv.slice(2))
const { runCli } = await import('../main/cli/dirsync-main.ts')
process.exitCode = await runCli(process.argv.slice(2))
