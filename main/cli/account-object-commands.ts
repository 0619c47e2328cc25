import { parseArgs } from 'node:util'
import { ADDRESS_TYPE_LABELS } from '../../shared/domain/account.ts'
import type { Core } from '../core/dirsync-core.ts'
import type { SourceName } from '../store/directory-queries.ts'
import { CliError } from './cli-error.ts'
import { table, type Output } from './cli-output.ts'

const names = (sources: readonly SourceName[]): string => (sources.length === 0 ? '(none)' : sources.map((s) => s.name).join(', '))

/** `dirsync user <address>` and `dirsync group <name|key|address|alias> [--members]`: one object of the account directory in full. */
export function accountObjectCommand(core: Core, out: Output, command: 'user' | 'group', argv: readonly string[]): void {
  if (command === 'user') {
    const { positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new CliError('Usage: dirsync user <address> [--json]   (any of the user\'s addresses)', 2)
    const user = core.user(positionals[0]!)
    out.print(user, () =>
      [
        `${user.displayName} <${user.primaryAddress}> — ${user.status}${user.deletedAt ? ` (deleted ${user.deletedAt})` : ''}`,
        `Sources: ${names(user.sources)}`,
        'Addresses:',
        ...user.addresses.map((a) => `  ${a.address}${a.primary ? ' (primary)' : ''} — ${ADDRESS_TYPE_LABELS[a.type]}`),
        user.groups.length === 0 ? 'Groups: none' : `Groups (${user.groups.length}):`,
        ...(user.groups.length === 0 ? [] : table(['NAME', 'ADDRESS', 'SOURCES'], user.groups.map((g) => [g.name, g.address, names(g.sources)])).split('\n').map((line) => `  ${line}`)),
      ].join('\n'),
    )
    return
  }
  const { values, positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, members: { type: 'boolean' } }, allowPositionals: true, strict: true })
  if (positionals.length !== 1) throw new CliError('Usage: dirsync group <name|key|address|alias> [--members] [--json]', 2)
  const group = core.group(positionals[0]!, values.members === true)
  out.print(group, () =>
    [
      `${group.name}${group.address ? ` <${group.address}>` : ''} — ${group.memberCount} member(s), ${group.origin === 'manual' ? 'created in the console' : 'from the directory'}`,
      `Key:     ${group.key}`,
      ...(group.aliases.length > 0 ? [`Aliases: ${group.aliases.join(', ')}`] : []),
      `Sources: ${names(group.sources)}`,
      ...(group.members ? [table(['MEMBER', 'DISPLAY NAME', 'SOURCES'], group.members.map((m) => [m.address, m.displayName, names(m.sources)]))] : []),
    ].join('\n'),
  )
}
