import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { MigrationView } from '../../shared/domain/migration.ts'
import type { Core } from '../core/dirsync-core.ts'
import { coverageToCsv } from '../migration/coverage-report.ts'
import { createMigrationService } from '../migration/migration-service.ts'
import { CliError } from './cli-error.ts'
import { table, type Output } from './cli-output.ts'

const NEXT_STEP: Readonly<Record<MigrationView['step'], string>> = {
  pick: 'dirsync migrate start --from <old> --to <new>',
  'read-new': 'dirsync migrate read-new <id>',
  coverage: 'dirsync migrate coverage <id>',
  'cutover-preview': 'dirsync migrate preview <id>',
  cutover: 'dirsync migrate cutover <id> --confirm "<old integration name>"',
  done: 'nothing: the migration is done',
}

function describe(view: MigrationView): string {
  const lines = [`Migration ${view.id}: ${view.oldIntegrationName} → ${view.newIntegrationName}`, `  step: ${view.step} (next: ${NEXT_STEP[view.step].replace('<id>', view.id.slice(0, 8))})`]
  if (view.oldDisabledForWindow) lines.push(`  ${view.oldIntegrationName} is disabled for the window: destructive actions are paused for ALL integrations.`)
  if (view.newReadAt) lines.push(`  ${view.newIntegrationName} read at ${view.newReadAt} (nothing applied)`)
  const c = view.coverage?.counts
  if (c) {
    lines.push(
      `  coverage: ${c.oldUsers} old users → matched ${c.matched}, matched by alias ${c.matchedByAlias}, only in old ${c.onlyInOld}, only in new ${c.onlyInNew}; ${c.conflicts} conflict(s)`,
      `  groups:   matched ${c.matchedGroups}, only in old ${c.groupsOnlyInOld}, only in new ${c.groupsOnlyInNew}, ${c.groupsWithMembershipDifferences} with different members`,
    )
  }
  if (view.preview) {
    lines.push(`  cut-over preview: demote ${view.preview.usersDemoted.length}, delete ${view.preview.usersDeleted.length}, remove ${view.preview.membershipsRemoved.length} membership(s), delete ${view.preview.groupsDeleted.length} group(s)`)
    for (const user of view.preview.usersDemoted.slice(0, 50)) lines.push(`    demote ${user}`)
    if (view.preview.holdNote) lines.push(`  note: ${view.preview.holdNote}`)
  }
  if (view.result) {
    lines.push(view.result.differences.length === 0 ? '  cut-over result: identical to the preview' : `  cut-over result differs from the preview:`)
    for (const d of view.result.differences) lines.push(`    ! ${d}`)
  }
  return lines.join('\n')
}

/** `dirsync migrate …`: the wizard's steps, one command each, resumable by id (a prefix will do). */
export async function migrateCommand(core: Core, out: Output, argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv
  const service = createMigrationService(core)
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: { from: { type: 'string' }, to: { type: 'string' }, confirm: { type: 'string' }, csv: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  })
  const id = (): string => {
    const given = positionals[0]
    if (given) return given
    const open = service.list().find((m) => m.step !== 'done')
    if (!open) throw new CliError('Name the migration (its id, or a prefix of it); `dirsync migrate list` shows them.', 2)
    return open.id
  }
  let view: MigrationView
  switch (sub) {
    case undefined:
    case 'list': {
      const list = service.list()
      out.print(list, () => (list.length === 0 ? 'No migrations. Start one: dirsync migrate start --from "Old AD" --to "New Entra"' : table(['ID', 'FROM', 'TO', 'STEP', 'UPDATED'], list.map((m) => [m.id, m.oldIntegrationName, m.newIntegrationName, m.step, m.updatedAt]))))
      return
    }
    case 'start':
      if (!values.from || !values.to) throw new CliError('Usage: dirsync migrate start --from <old integration> --to <new integration>', 2)
      view = service.start(values.from, values.to)
      break
    case 'status':
      view = service.get(id())
      break
    case 'read-new':
      view = await service.readNew(id())
      break
    case 'disable-old':
      view = service.disableOld(id())
      break
    case 'coverage':
      view = service.coverage(id())
      if (values.csv && view.coverage) {
        writeFileSync(resolve(values.csv), coverageToCsv(view.coverage))
        out.note(`Coverage report written to ${resolve(values.csv)}`)
      }
      break
    case 'preview':
      view = service.cutoverPreview(id())
      break
    case 'cutover':
      if (!values.confirm) throw new CliError('Cutting over deletes the old integration: confirm with --confirm "<old integration name>".', 2)
      view = await service.cutover(id(), values.confirm)
      break
    default:
      throw new CliError(`Unknown command "migrate ${sub}". Steps: start, read-new, disable-old, coverage [--csv file], preview, cutover --confirm NAME; also list, status.`, 2)
  }
  out.print(view, () => describe(view))
  if (view.result && view.result.differences.length > 0) throw new CliError('The cut-over result differs from its preview (listed above).')
}
