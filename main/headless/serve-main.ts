import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { IpcEvent } from '../../shared/ipc/channels.ts'
import type { IpcEventPayload } from '../../shared/ipc/contract.ts'
import { resolveDataDir } from '../core/data-dir.ts'
import { createFileLogger } from '../core/logger.ts'
import { openCore } from '../core/open-core.ts'
import { makeDataDirPrivate } from '../core/private-data-dir.ts'
import { startScheduler } from '../core/scheduler.ts'
import { createHandlers } from '../ipc/handlers.ts'
import { newToken } from './access-token.ts'
import { HostConfigError, startBrowserHost, type BrowserHost } from './browser-host.ts'
import { createRemotePolicy, restrictHandlers } from './remote-policy.ts'
import { appVersion } from '../core/app-version.ts'

const USAGE = `Usage: npm run serve -- [--demo] [--data-dir DIR] [--port N] [--host 127.0.0.1] [--no-schedule]
                      [--tls-cert FILE --tls-key FILE --allow-remote --import-dir DIR --allow-hosts H1,H2]

Serves the console on loopback for a browser (a jump host, an SSH tunnel), behind a random access token.
With --allow-remote, export files are read only inside --import-dir and directory servers are only
those named in --allow-hosts (none when not given).`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '4780' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-schedule': { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'import-dir': { type: 'string' },
      'allow-hosts': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new HostConfigError(`--port must be a number from 0 to 65535 (got "${values.port}").`)
  const dataDir = resolveDataDir(values['data-dir'])
  makeDataDirPrivate(dataDir)
  const logger = createFileLogger(dataDir, false)
  let host: BrowserHost | null = null
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void => host?.broadcast(event, payload)
  const core = await openCore({ dataDir, demo: values.demo, emit })
  const all = createHandlers(core, { version: appVersion(), dataDir, host: 'browser', demo: values.demo })
  const restricted = values['allow-remote'] || values['import-dir'] !== undefined || values['allow-hosts'] !== undefined
  const handlers = restricted ? restrictHandlers(all, createRemotePolicy({ importDir: values['import-dir'], allowHosts: values['allow-hosts']?.split(','), dataDir })) : all
  const tls = values['tls-cert'] && values['tls-key'] ? { cert: readFileSync(values['tls-cert'], 'utf8'), key: readFileSync(values['tls-key'], 'utf8') } : undefined
  host = await startBrowserHost({
    handlers,
    rendererDir: join(import.meta.dirname, '..', '..', 'out', 'renderer'),
    token: newToken(),
    host: values.host,
    port,
    allowRemote: values['allow-remote'],
    ...(tls ? { tls } : {}),
    onUnexpected: (error) => logger.error('request failed', error),
  })
  const scheduler = values['no-schedule']
    ? null
    : startScheduler({
        settings: core.settings,
        now: () => new Date(),
        runScheduled: async (trigger) => {
          await core.runSync('all', trigger)
        },
      })
  logger.info(`browser host listening on port ${host.port}, data dir ${dataDir}`)
  process.stdout.write(`Directory Sync Console is serving ${dataDir}\nOpen: ${host.url}\n`)
  const stop = (): void => {
    scheduler?.stop()
    void host?.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`dirsync serve: ${message}\n`)
  process.exit(error instanceof HostConfigError || (error instanceof TypeError && 'code' in error) ? 2 : 1)
})
