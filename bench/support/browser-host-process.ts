import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const SERVE = path.resolve(import.meta.dirname, '../../main/headless/serve-main.ts')

/** The browser host (`npm run serve`) as a child process on a free loopback port, and a way to call its API. */
export interface BrowserHostProcess {
  /** POSTs one request to the host's typed contract and returns the parsed answer. */
  invoke(channel: string, request: unknown): Promise<unknown>
  stop(): Promise<void>
}

/** Starts `serve-main.ts` on the data directory (no schedule) and waits for the address it prints. */
export async function startBrowserHostProcess(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<BrowserHostProcess> {
  const child: ChildProcess = spawn(process.execPath, [SERVE, '--data-dir', dataDir, '--port', '0', '--no-schedule'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr?.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-2000)))
  const address = await new Promise<URL>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const match = /Open: (\S+)/.exec(out)
      if (match?.[1]) resolve(new URL(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`the browser host exited (${code}) before it listened: ${err.trim()}`)))
  })
  const token = address.searchParams.get('token') ?? ''
  return {
    async invoke(channel: string, request: unknown): Promise<unknown> {
      const response = await fetch(new URL(`/api/invoke/${channel}`, address), {
        method: 'POST',
        // What the console's api module sends; the bearer token stands in for the session cookie.
        headers: { authorization: `Bearer ${token}`, 'x-dirsync-request': '1', 'content-type': 'application/json' },
        body: JSON.stringify(request),
      })
      const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } }
      if (!body.ok) throw new Error(`${channel} failed: ${body.error?.message ?? response.status}`)
      return body.value
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
