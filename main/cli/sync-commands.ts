import { parseArgs } from 'node:util'
import type { RunSummary } from '../../shared/domain/run.ts'
import type { Core } from '../core/dirsync-core.ts'
import { CliError } from './cli-error.ts'
import { counts, table, type Output } from './cli-output.ts'
import { runChangesCommand } from './journal-commands.ts'
import { kindOption } from './parse-values.ts'

function scopeOf(all: boolean | undefined, positionals: readonly string[], verb: string): 'all' | { integration: string } {
  const id = positionals[0]
  if (all && id) throw new CliError(`Give either --all or one integration to ${verb}, not both.`, 2)
  if (!all && !id) throw new CliError(`Say what to ${verb}: --all, or an integration's id or name.`, 2)
  return id ? { integration: id } : 'all'
}

export function describeRun(run: RunSummary): string {
  const lines = [
    `Run ${run.id} (${run.trigger}, ${run.scope}): ${run.outcome ?? 'unfinished'}`,
    `  started ${run.startedAt}, finished ${run.finishedAt ?? '—'}`,
    ...run.reads.map((r) => `  read ${r.integrationName}: ${r.outcome}${r.mode ? ` (${r.mode})` : ''} — ${r.users} users, ${r.groups} groups, ${r.memberships} memberships${r.message ? `; ${r.message}` : ''}${r.errorSince ? ` (in error since ${r.errorSince})` : ''}`),
    `  applied: ${counts(run.applied)}`,
    `  held:    ${counts(run.held)}`,
  ]
  if (run.ignoredAddresses > 0) lines.push(`  ignored: ${run.ignoredAddresses} address(es) outside the internal domains`)
  for (const error of run.errors.slice(0, 20)) lines.push(`  ! ${error}`)
  for (const warning of run.warnings.slice(0, 20)) lines.push(`  warning: ${warning}`)
  return lines.join('\n')
}


export async function syncCommand(core: Core, out: Output, command: string, argv: readonly string[]): Promise<void> {
  switch (command) {
    case 'sync': {
      const { values, positionals } = parseArgs({ args: [...argv], options: { all: { type: 'boolean' }, full: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true })
      const run = await core.runSync(scopeOf(values.all, positionals, 'sync'), 'cli', { full: values.full === true })
      out.print(run, () => describeRun(run))
      if (run.outcome === 'failed' || run.outcome === 'rejected' || run.outcome === 'partial') {
        throw new CliError(`The sync ${run.outcome === 'partial' ? 'read only some integrations' : run.outcome}: ${run.errors[0] ?? 'see `dirsync runs`'}`)
      }
      return
    }
    case 'preview': {
      const { values, positionals } = parseArgs({ args: [...argv], options: { all: { type: 'boolean' }, json: { type: 'boolean' }, limit: { type: 'string', default: '50' }, 'from-snapshots': { type: 'boolean' } }, allowPositionals: true, strict: true })
      const plan = await core.preview(scopeOf(values.all, positionals, 'preview'), Number(values.limit), { fromSnapshots: values['from-snapshots'] === true })
      out.print(plan, () =>
        [
          plan.basis === 'read'
            ? `Planned against the directories as read just now (read-only: nothing was staged or applied).`
            : `Planned OFFLINE from the snapshots of the last sync: changes made in the directories since then are not included.`,
          ...plan.reads.map((r) => `  read ${r.integrationName}: ${r.outcome}${r.mode ? ` (${r.mode})` : ''} — ${r.users} users, ${r.groups} groups${r.message ? `; ${r.message}` : ''}`),
          `The next run would apply ${plan.totalActions} change(s): ${counts(plan.toApply)}`,
          `and hold ${plan.totalHeld}: ${counts(plan.toHold)}`,
          ...plan.actions.map((a) => `  + ${a.kind.padEnd(16)} ${a.target}${a.member ? ` / ${a.member}` : ''} — ${a.detail}`),
          ...plan.held.map((a) => `  ‖ ${a.kind.padEnd(16)} ${a.target}${a.member ? ` / ${a.member}` : ''} — held: ${a.reasonText}`),
          ...plan.conflicts.map((c) => `  ! ${c}`),
        ].join('\n'),
      )
      return
    }
    case 'held': {
      const { values } = parseArgs({ args: [...argv], options: { integration: { type: 'string' }, kind: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string', default: '1000' } }, strict: true })
      const reason = values.reason === undefined ? undefined : values.reason === 'blocked' || values.reason === 'threshold' ? values.reason : (() => { throw new CliError('--reason is blocked or threshold.', 2) })()
      const list = core.listHeld({ integrationId: values.integration, kind: kindOption(values.kind), reason }, 0, Number(values.limit))
      out.print(list, () =>
        list.total === 0
          ? 'No actions are held.'
          : `${list.total} held action(s):\n` + table(['ACTION ID', 'KIND', 'REASON', 'INTEGRATION', 'SINCE', 'APPROVED'], list.actions.map((a) => [a.id, a.kind, a.reason, a.integrationNames.join(', '), a.heldSince, a.approved ? 'yes' : ''])) + `\n${list.actions[0]?.reasonText ?? ''}`,
      )
      return
    }
    case 'approve': {
      const { values, positionals } = parseArgs({ args: [...argv], options: { integration: { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true })
      if (positionals.length > 0 && values.integration) throw new CliError('Approve either action ids or --integration [--kind], not both.', 2)
      if (positionals.length === 0 && !values.integration) throw new CliError('Usage: dirsync approve <action-id…> | --integration <id-or-name> [--kind <kind>]', 2)
      const result = positionals.length > 0 ? core.approve({ actionIds: positionals }) : core.approve({ integrationId: values.integration ?? '', kind: kindOption(values.kind) })
      out.print(result, () => [`Approved ${result.approved} action(s); they apply at the next run.`, ...result.refused.slice(0, 20).map((r) => `  refused ${r.actionId}: ${r.reason}`)].join('\n'))
      if (result.approved === 0 && result.refused.length > 0) throw new CliError(`Nothing approved: ${result.refused[0]?.reason ?? ''}`)
      return
    }
    case 'runs': {
      const { values } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, limit: { type: 'string', default: '20' } }, strict: true })
      const runs = core.runs(0, Number(values.limit))
      out.print(runs, () => (runs.length === 0 ? 'No runs yet.' : table(['RUN ID', 'STARTED', 'TRIGGER', 'SCOPE', 'OUTCOME', 'APPLIED', 'HELD'], runs.map((r) => [r.id, r.startedAt, r.trigger, r.scope, r.outcome, Object.values(r.applied).reduce((a, b) => a + b, 0), Object.values(r.held).reduce((a, b) => a + b, 0)]))))
      return
    }
    case 'run': {
      if (argv.includes('--changes')) {
        runChangesCommand(core, out, argv)
        return
      }
      const { positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true })
      if (!positionals[0]) throw new CliError('Usage: dirsync run <run-id> [--json] | dirsync run <run-id> --changes [--json | --csv]', 2)
      const run = core.run(positionals[0])
      out.print(run, () => describeRun(run))
      return
    }
    default:
      throw new CliError(`Unknown command "${command}".`, 2)
  }
}
