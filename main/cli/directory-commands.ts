import { parseArgs } from 'node:util'
import { ADDRESS_TYPE_LABELS, AccountSettingsSchema } from '../../shared/domain/account.ts'
import type { Core } from '../core/dirsync-core.ts'
import { describeIssues } from '../ipc/dispatch.ts'
import { CliError } from './cli-error.ts'
import { counts, table, type Output } from './cli-output.ts'
import { parseAssignments } from './parse-values.ts'

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
      const { values } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, query: { type: 'string', default: '' }, limit: { type: 'string', default: '1000' }, offset: { type: 'string', default: '0' } }, strict: true })
      const page = core.directory.users(values.query, Number(values.offset), Number(values.limit))
      out.print({ ...page, asOf: core.asOf() }, () =>
        `${page.total} user(s), as of ${core.asOf() ?? 'never synced'}\n` +
        table(['PRIMARY ADDRESS', 'DISPLAY NAME', 'STATUS', 'ADDRESSES'], page.rows.map((u) => [u.primaryAddress, u.displayName, u.status, u.addresses.map((a) => `${a.address} (${ADDRESS_TYPE_LABELS[a.type]})`).join('; ')])),
      )
      return
    }
    case 'groups': {
      const { values } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, query: { type: 'string', default: '' }, limit: { type: 'string', default: '1000' }, offset: { type: 'string', default: '0' } }, strict: true })
      const page = core.directory.groups(values.query, Number(values.offset), Number(values.limit))
      out.print({ ...page, asOf: core.asOf() }, () => `${page.total} group(s)\n` + table(['NAME', 'ADDRESS', 'MEMBERS', 'ORIGIN'], page.rows.map((g) => [g.name, g.address, g.memberCount, g.origin])))
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
