import { parseArgs } from 'node:util'
import { ADDRESS_TYPE_LABELS, AccountSettingsSchema } from '../../shared/domain/account.ts'
import type { Core } from '../core/dirsync-core.ts'
import { describeIssues } from '../ipc/dispatch.ts'
import { CliError } from './cli-error.ts'
import { counts, type Output } from './cli-output.ts'
import { rowFormat, rowPaging, streamRows } from './row-stream.ts'
import { parseAssignments } from './parse-values.ts'

/** `users` and `groups`: every row by default, streamed; --offset/--limit page through them. */
const ROW_OPTIONS = {
  json: { type: 'boolean' },
  ndjson: { type: 'boolean' },
  query: { type: 'string', default: '' },
  limit: { type: 'string' },
  offset: { type: 'string' },
} as const

export function directoryCommand(core: Core, out: Output, command: string, argv: readonly string[]): void {
  switch (command) {
    case 'status': {
      const status = core.status()
      out.print({ ...status, dataDir: core.dataDir, secretStore: core.secretStoreDescription }, () =>
        [
          `Data directory:  ${core.dataDir}`,
          `Account:         ${status.counts.users} users, ${status.counts.groups} groups, ${status.counts.integrations} integrations`,
          `Internal domains: ${status.internalDomainsConfigured ? core.account().internalDomains.join(', ') : 'not configured — every address domain counts as internal'}`,
          `Last run:        ${status.lastRun ? `${status.lastRun.startedAt} (${status.lastRun.outcome ?? 'unfinished'})` : 'never'}`,
          `Next scheduled:  ${status.nextScheduledRun ?? 'schedule off'}`,
          `Secrets:         ${core.secretStoreDescription}`,
          status.blockers.length > 0
            ? `PAUSED: destructive actions are paused for all integrations while ${status.blockers.map((b) => `${b.name} is ${b.status === 'disabled' ? 'disabled' : 'in error'} (since ${b.since})`).join(', ')}. Held: ${counts(status.heldByKind)}.`
            : 'Destructive actions: not paused.',
          ...status.thresholdHolds.map((t) => `THRESHOLD: ${t.name} has ${t.count} destructive action(s) held (maximum unlinks ${t.limit}); review with \`dirsync held\`.`),
        ].join('\n'),
      )
      return
    }
    case 'users': {
      const { values } = parseArgs({ args: [...argv], options: ROW_OPTIONS, strict: true })
      const asOf = core.asOf()
      streamRows(out, rowFormat(values.json, values.ndjson), rowPaging(values.offset, values.limit), (offset, limit) => core.directory.users(values.query, offset, limit), {
        extra: { asOf },
        heading: (total) => `${total} user(s), as of ${asOf ?? 'never synced'}`,
        headers: ['PRIMARY ADDRESS', 'DISPLAY NAME', 'STATUS', 'ADDRESSES'],
        cells: (u) => [u.primaryAddress, u.displayName, u.status, u.addresses.map((a) => `${a.address} (${ADDRESS_TYPE_LABELS[a.type]})`).join('; ')],
      })
      return
    }
    case 'groups': {
      const { values } = parseArgs({ args: [...argv], options: ROW_OPTIONS, strict: true })
      streamRows(out, rowFormat(values.json, values.ndjson), rowPaging(values.offset, values.limit), (offset, limit) => core.directory.groups(values.query, offset, limit), {
        extra: { asOf: core.asOf() },
        heading: (total) => `${total} group(s)`,
        headers: ['NAME', 'ADDRESS', 'MEMBERS', 'ORIGIN', 'KEY'],
        cells: (g) => [g.name, g.address, g.memberCount, g.origin, g.key],
      })
      return
    }
    case 'account': {
      const [sub, ...pairs] = argv.filter((a) => a !== '--json')
      if (sub === undefined || sub === 'show') {
        const account = core.account()
        out.print(account, () => Object.entries(account).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || '(none)' : String(v)}`).join('\n'))
        return
      }
      if (sub !== 'set' || pairs.length === 0) throw new CliError('Usage: dirsync account show | dirsync account set internalDomains=a.com,b.com schedule=08:00,13:00,23:00 retentionDays=30 scheduleEnabled=true', 2)
      const parsed = AccountSettingsSchema.partial().safeParse(parseAssignments(pairs, ['internalDomains', 'schedule']))
      if (!parsed.success) throw new CliError(`Invalid account setting: ${describeIssues(parsed.error)}`, 2)
      const account = core.setAccount(parsed.data)
      out.print(account, () => `Saved. ${Object.entries(parsed.data).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}`)
      return
    }
    default:
      throw new CliError(`Unknown command "${command}".`, 2)
  }
}
