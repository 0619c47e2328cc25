import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { AccountGroup, AccountUser } from '../../../shared/domain/account.ts'
import type { RunSummary } from '../../../shared/domain/run.ts'

/**
 * Drives the real `dirsync` command (bin/dirsync.js in a child process, as an admin or an OS
 * scheduler would) against one fresh data directory. Children are spawned asynchronously: the
 * Entra and Google emulators answer from this test process, so a blocking spawn would deadlock.
 * Secrets reach the child only through an environment variable named by --secret-env.
 */

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/dirsync.js')
/** Key of the encrypted headless secret store (test-only). */
const SECRET_KEY = 'cli-e2e-secret-store-key'

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** The exact argument vector the child got (to prove no secret is in it). */
  readonly argv: readonly string[]
}

export interface UsersPage {
  readonly rows: AccountUser[]
  readonly total: number
}

export interface GroupsPage {
  readonly rows: AccountGroup[]
  readonly total: number
}

export class CliSession {
  readonly dataDir: string
  /** Environment variables only this session's children see (secrets under their own names). */
  private readonly env: Record<string, string> = {}
  /** Every argv run so far: none may contain a secret. */
  readonly history: string[][] = []

  private constructor(dataDir: string) {
    this.dataDir = dataDir
  }

  static async create(label: string): Promise<CliSession> {
    return new CliSession(await mkdtemp(path.join(tmpdir(), `dirsync-cli-${label}-`)))
  }

  async dispose(): Promise<void> {
    await rm(this.dataDir, { recursive: true, force: true })
  }

  /** Puts a secret in an environment variable of the children; returns the variable's name. */
  secretEnv(name: string, value: string): string {
    this.env[name] = value
    return name
  }

  /** Writes a settings file (JSON) for `integrations add --config`. */
  async configFile(name: string, settings: unknown): Promise<string> {
    const file = path.join(this.dataDir, `${name}.settings.json`)
    await writeFile(file, JSON.stringify(settings, null, 2))
    return file
  }

  run(...args: string[]): Promise<CliResult> {
    const argv = [BIN, '--data-dir', this.dataDir, ...args]
    this.history.push(argv)
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        argv,
        { env: { ...process.env, DIRSYNC_SECRET_KEY: SECRET_KEY, ...this.env }, maxBuffer: 256 * 1024 * 1024, timeout: 240_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
          resolve({ code, stdout, stderr, argv })
        },
      )
    })
  }

  /** Runs a command that must succeed; its stderr is in the failure message when it does not. */
  async ok(...args: string[]): Promise<CliResult> {
    const result = await this.run(...args)
    expect(result.code, `dirsync ${args.join(' ')} failed:\n${result.stderr}`).toBe(0)
    return result
  }

  async json<T>(...args: string[]): Promise<T> {
    const result = await this.ok(...args, '--json')
    return JSON.parse(result.stdout) as T
  }

  /** `integrations add` from a settings file with the secret in an environment variable; returns the new id. */
  async addIntegration(type: string, name: string, settings: unknown, secretVariable: string): Promise<string> {
    const config = await this.configFile(name, settings)
    const added = await this.json<{ id: string }>('integrations', 'add', '--type', type, '--name', name, '--config', config, '--secret-env', secretVariable)
    return added.id
  }

  /** `sync --all`, returning the recorded run. */
  async syncAll(): Promise<RunSummary> {
    return this.json<RunSummary>('sync', '--all')
  }

  /** `users --json`: every row by default (no --limit). */
  async users(query = ''): Promise<UsersPage> {
    return this.json<UsersPage>('users', ...(query ? ['--query', query] : []))
  }

  async groups(query = ''): Promise<GroupsPage> {
    return this.json<GroupsPage>('groups', ...(query ? ['--query', query] : []))
  }

  /** Members of an account group, by address: `dirsync group <key> --members --json`. */
  async memberAddresses(groupKey: string): Promise<string[]> {
    const group = await this.json<{ members: Array<{ address: string }> }>('group', groupKey, '--members')
    return group.members.map((m) => m.address).sort()
  }

  /** No argv of this session held any of the given secrets. */
  expectNoSecretInArgv(...secrets: string[]): void {
    for (const argv of this.history) for (const secret of secrets) expect(argv.join(' ')).not.toContain(secret)
  }
}

export function userByAddress(page: UsersPage, address: string): AccountUser {
  const user = page.rows.find((u) => u.primaryAddress === address || u.addresses.some((a) => a.address === address))
  if (!user) throw new Error(`no account user has the address ${address}`)
  return user
}

export function groupByName(page: GroupsPage, name: string): AccountGroup {
  const group = page.rows.find((g) => g.name === name)
  if (!group) throw new Error(`no account group is named ${name}`)
  return group
}
