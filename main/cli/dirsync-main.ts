import { resolveDataDir } from '../core/data-dir.ts'
import { createFileLogger } from '../core/logger.ts'
import { openCore } from '../core/open-core.ts'
import { CoreError } from '../core/core-errors.ts'
import { ConnectorError } from '../connectors/connector-error.ts'
import { SecretStoreUnavailableError } from '../secrets/secret-store.ts'
import { accountObjectCommand } from './account-object-commands.ts'
import { auditCommand } from './audit-command.ts'
import { migrateCommand } from './migrate-commands.ts'
import { CliError } from './cli-error.ts'
import { createOutput } from './cli-output.ts'
import { splitGlobals } from './global-options.ts'
import { directoryCommand } from './directory-commands.ts'
import { integrationCommand } from './integration-commands.ts'
import { historyCommand } from './journal-commands.ts'
import { syncCommand } from './sync-commands.ts'

export const USAGE = `dirsync — Directory Sync Console on the command line (same core and data directory as the app)

Usage: dirsync [--data-dir DIR] [--demo] <command> [options] [--json]

  status                                  account, last/next run, pauses and held actions
  integrations list | show <id>           integrations (id or unique name wherever one is asked)
  integrations add --type <ldif|ad|ldap|domino|entra|google> --name <name>
                   [--file export.ldif] [--config settings.json] [--description D] [--disabled]
                   [--secret-stdin | --secret-env VAR]
  integrations edit <id> [--name N] [--file F] [--config F] [--secret-stdin | --secret-env VAR | --clear-secret]
  integrations enable|disable <id>        disabling pauses destructive actions for ALL integrations
  integrations set <id> key=value…        acknowledgeDisabledAccounts, deleteUsers, maxUnlinks, shrinkGuardPercent, domains
  integrations test <id>                  the connection ladder, step by step
  integrations delete <id> --preview|--yes
  integrations export                     settings and policy of every integration as JSON (no secrets)
  sync --all | <id> [--full]              read, plan, gate, apply (progress on stderr); --full plans the
                                          whole account instead of only what changed
  preview --all | <id> [--from-snapshots] the next run's plan: reads the directories read-only (with
                                          progress) and applies nothing; --from-snapshots plans offline
                                          from the last sync's snapshots
  held [--integration id] [--kind k] [--reason blocked|threshold]
  approve <action-id…> | --integration <id> [--kind k]
  runs | run <run-id>                     run history, one run in full
  run <run-id> --changes [--kind k] [--integration i] [--event e] [--csv]
                                          what the run did, object by object (the change journal)
  history <address | group> [--kind k] [--limit N | --all] [--csv]
                                          what happened to one user or group: when, which run, why, which integration
  users [--query q] [--offset N] [--limit N] [--json | --ndjson]
  groups [--query q] [--offset N] [--limit N] [--json | --ndjson]
                                          the account directory as last synced (offline): every row by
                                          default, streamed; --offset/--limit page through it; --ndjson
                                          prints one JSON row per line (large exports)
  user <address> [--json]                 one user: addresses and their types, sources, groups
  group <name|key|address|alias> [--members] [--json]
                                          one group: aliases, sources, member count; --members lists them all
  account show | account set key=value…   internalDomains, schedule, scheduleEnabled, retentionDays, journalRetentionDays
  migrate start --from <old> --to <new> | read-new | disable-old | coverage [--csv F] | preview
          | cutover --confirm "<old name>" | list | status [<id>]   guided move between directories
  check                                   the full integrity check of the account store (short commands check in proportion to its size)
  index                                   bring the users' search index up to date now (the app and the browser host
                                          do it in the background; until then searches scan: correct, slower)
  audit [--event E] [--subject S] [--limit N | --all]   the append-only audit log (--all --json exports it)

Exit codes: 0 success, 1 failure (one line on stderr says why), 2 bad usage.
Data directory: --data-dir, else $DIRSYNC_DATA_DIR, else the platform's app-data folder.
Secrets headless: encrypted with a key from $DIRSYNC_SECRET_KEY.`

export async function runCli(argv: readonly string[], io = { stdout: (s: string) => void process.stdout.write(s), stderr: (s: string) => void process.stderr.write(s) }): Promise<number> {
  let logger: ReturnType<typeof createFileLogger> | null = null
  try {
    const globals = splitGlobals(argv)
    const [command, ...rest] = globals.rest
    if (globals.help || command === undefined || command === 'help') {
      io.stdout(`${USAGE}\n`)
      return command === undefined && !globals.help ? 2 : 0
    }
    const dataDir = resolveDataDir(globals.dataDir)
    logger = createFileLogger(dataDir, false)
    const out = createOutput(globals.json, io.stdout, io.stderr)
    const core = await openCore({
      dataDir,
      demo: globals.demo,
      // Short commands run beside the desktop app or browser host; a sync is still refused by the run lock.
      instanceLock: false,
      emit: (event, payload) => {
        if (globals.json) return
        if (event === 'sync:progress') {
          const p = payload as { phase: string; message: string }
          io.stderr(`  ${p.phase}: ${p.message}\n`)
        }
      },
    })
    switch (command) {
      case 'integrations':
      case 'integration':
        await integrationCommand(core, out, rest.filter((a) => a !== '--json'))
        break
      case 'sync':
      case 'preview':
      case 'held':
      case 'approve':
      case 'runs':
      case 'run':
        await syncCommand(core, out, command, rest)
        break
      case 'migrate':
        await migrateCommand(core, out, rest.filter((a) => a !== '--json'))
        break
      case 'audit':
        auditCommand(core, out, rest)
        break
      case 'history':
        historyCommand(core, out, rest)
        break
      case 'check': {
        const result = core.checkStore()
        out.print(result, () => (result.ok ? 'The account store passed SQLite\'s quick_check.' : `The account store is damaged: ${result.verdict}`))
        if (!result.ok) throw new CliError('The account store failed its integrity check; see the recovery steps in the README (restore the newest backup).')
        break
      }
      case 'index': {
        const result = core.completeSearchIndex()
        out.print(result, () => (result.indexed === 0 ? 'The search index was up to date.' : `The search index is up to date: ${result.indexed.toLocaleString('en-US')} user(s) indexed.`))
        break
      }
      case 'user':
      case 'group':
        accountObjectCommand(core, out, command, rest)
        break
      case 'status':
      case 'users':
      case 'groups':
      case 'account':
        directoryCommand(core, out, command, rest)
        break
      default:
        throw new CliError(`Unknown command "${command}". \`dirsync --help\` lists the commands.`, 2)
    }
    return 0
  } catch (error) {
    if (error instanceof CliError || error instanceof CoreError || error instanceof ConnectorError || error instanceof SecretStoreUnavailableError) {
      io.stderr(`dirsync: ${error.message}\n`)
      return error instanceof CliError ? error.exitCode : 1
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`dirsync: ${error.message}. \`dirsync --help\` lists the options.\n`)
      return 2
    }
    logger?.error('cli failed', error)
    io.stderr(`dirsync: an internal error stopped the command (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); details are in the log in the data directory.\n`)
    return 1
  }
}

