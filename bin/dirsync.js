#!/usr/bin/env node
// The `dirsync` command. The core is TypeScript run directly by Node 24's type stripping, so
// Node 24 is required; say so plainly instead of failing on syntax.
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  process.stderr.write(`dirsync: Node.js 24 or newer is required (this is ${process.version}). See the README's set-up section.\n`)
  process.exit(1)
}
// `dirsync users | head`: a closed pipe is the reader being done, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})
const { runCli } = await import('../main/cli/dirsync-main.ts')
process.exitCode = await runCli(process.argv.slice(2))
