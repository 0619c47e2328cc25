import { spawn } from 'node:child_process'
import { join } from 'node:path'

export interface ChildResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a TypeScript file in a child of this Node to its end (or its death), collecting what it printed. */
export function runNodeChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

const CRASH_SYNC_CHILD = join(import.meta.dirname, 'crash-sync-child.ts')

/** One Sync All in crash-sync-child.ts on `dataDir`; with `fault` (kill-at:…) it SIGKILLs itself there. */
export function runCrashSyncChild(dataDir: string, fault?: string): Promise<ChildResult> {
  const env = { ...process.env }
  delete env['DIRSYNC_FAULT']
  if (fault) env['DIRSYNC_FAULT'] = fault
  return runNodeChild(CRASH_SYNC_CHILD, [dataDir], env)
}
