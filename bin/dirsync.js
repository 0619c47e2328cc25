#!/usr/bin/env node
// The `dirsync` command. The core is TypeScript run directly by Node 24's type stripping, so
// Node 24 is required; say so plainly instead of failing on syntax.
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  process.stderr.write(`dirsync: Node.js 24 or newer is required (this is ${process.version}). See the README's set-up section.\n`)
  process.exit(1)
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
