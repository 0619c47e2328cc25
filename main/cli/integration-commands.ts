import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { changedEndpointSettings, endpointChangeReason } from '../../shared/domain/endpoint-settings.ts'
import { INTEGRATION_TYPE_LABELS } from '../../shared/domain/integration-type.ts'
import { IntegrationConfigSchema } from '../../shared/domain/integration-config.ts'
import { IntegrationPolicySchema, POLICY_KEYS } from '../../shared/domain/integration-policy.ts'
import type { IntegrationView } from '../../shared/domain/integration.ts'
import type { Core } from '../core/dirsync-core.ts'
import { describeIssues } from '../ipc/dispatch.ts'
import { CliError } from './cli-error.ts'
import { table, type Output } from './cli-output.ts'
import { parseAssignments, parseIntegrationType } from './parse-values.ts'
import { readSecret } from './read-secret.ts'

/** What `integrations export` writes and `integrations add --config` reads: no secrets, ever. */
interface ExportedIntegration {
  name?: string
  description?: string
  type?: string
  enabled?: boolean
  settings?: unknown
  policy?: unknown
}

function showIntegration(i: IntegrationView): string {
  const lines = [
    `${i.name}  (${INTEGRATION_TYPE_LABELS[i.config.type]})`,
    `  id:          ${i.id}`,
    `  status:      ${i.status}${i.statusReason ? ` — ${i.statusReason}` : ''} (since ${i.statusSince})`,
    `  enabled:     ${i.enabled ? 'yes' : 'no'}`,
    `  last sync:   ${i.lastSyncAt ?? 'never'}${i.lastOutcome ? ` (${i.lastOutcome})` : ''}`,
    `  next sync:   ${i.nextSyncAt ?? '—'}`,
    `  snapshot:    ${i.snapshot ? `${i.snapshot.users} users, ${i.snapshot.groups} groups, ${i.snapshot.memberships} memberships (${i.snapshot.takenAt}, ${i.snapshot.mode})` : 'none yet'}`,
    `  secret:      ${i.hasSecret ? 'set' : 'not set'}`,
    `  policy:      ${Object.entries(i.policy).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}`,
    `  settings:    ${JSON.stringify(i.config.settings)}`,
  ]
  return lines.join('\n')
}

export async function integrationCommand(core: Core, out: Output, argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv
  switch (sub) {
    case undefined:
    case 'list': {
      const list = core.listIntegrations()
      out.print(list, () =>
        list.length === 0
          ? 'No integrations yet. Add one: dirsync integrations add --type ldif --name "Sample" --file org.ldif'
          : table(['NAME', 'TYPE', 'STATUS', 'LAST SYNC', 'OUTCOME', 'NEXT SYNC', 'ID'], list.map((i) => [i.name, INTEGRATION_TYPE_LABELS[i.config.type], i.stagedBehind ? `${i.status}, staged for migration from ${i.stagedBehind.name}` : i.status, i.lastSyncAt ?? 'never', i.lastOutcome, i.nextSyncAt, i.id])),
      )
      return
    }
    case 'show': {
      const i = core.getIntegration(requireId(rest))
      out.print(i, () => showIntegration(i))
      return
    }
    case 'add':
      return addIntegration(core, out, rest)
    case 'edit':
      return editIntegration(core, out, rest)
    case 'enable':
    case 'disable': {
      const i = core.setEnabled(requireId(rest), sub === 'enable')
      out.print(i, () =>
        sub === 'enable'
          ? `${i.name} is enabled.`
          : `${i.name} is disabled. While it stays disabled, destructive actions (removing members, downgrading addresses, deleting users and groups) are paused for ALL integrations. Delete it to end the pause.`,
      )
      return
    }
    case 'set': {
      const [id, ...pairs] = rest
      if (!id || pairs.length === 0) throw new CliError(`Usage: dirsync integrations set <id-or-name> <key>=<value>… (keys: ${POLICY_KEYS.join(', ')})`, 2)
      const changes = parseAssignments(pairs, ['domains'])
      const unknown = Object.keys(changes).filter((k) => !(POLICY_KEYS as readonly string[]).includes(k))
      if (unknown.length > 0) throw new CliError(`Unknown policy key ${unknown.join(', ')}; keys: ${POLICY_KEYS.join(', ')}.`, 2)
      const parsed = IntegrationPolicySchema.partial().safeParse(changes)
      if (!parsed.success) throw new CliError(`Invalid policy: ${describeIssues(parsed.error)}`, 2)
      const i = await core.updateIntegration({ id, policy: parsed.data })
      out.print(i, () => `${i.name}: ${Object.entries(parsed.data).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}`)
      return
    }
    case 'test': {
      const steps = await core.testConnection(requireId(rest), (step) => {
        if (!out.json) out.note(`${step.verdict.toUpperCase().padEnd(7)} ${step.label}: ${step.message}`)
      })
      out.print(steps, () => (steps.every((s) => s.verdict !== 'fail') ? 'Connection test passed.' : 'Connection test failed.'))
      if (steps.some((s) => s.verdict === 'fail')) throw new CliError(steps.find((s) => s.verdict === 'fail')?.message ?? 'The connection test failed.')
      return
    }
    case 'delete':
      return deleteIntegration(core, out, rest)
    case 'export': {
      const exported = core.listIntegrations().map((i) => ({ name: i.name, description: i.description, type: i.config.type, enabled: i.enabled, settings: i.config.settings, policy: i.policy }))
      out.print(exported, () => JSON.stringify(exported, null, 2))
      return
    }
    default:
      throw new CliError(`Unknown command "integrations ${sub}". Try: list, show, add, edit, enable, disable, set, test, delete, export.`, 2)
  }
}

function requireId(rest: readonly string[]): string {
  const id = rest.find((a) => !a.startsWith('-'))
  if (!id) throw new CliError('Name the integration (its id or its unique name).', 2)
  return id
}

function readConfigFile(path: string): ExportedIntegration {
  const full = resolve(path)
  if (!existsSync(full)) throw new CliError(`The configuration file ${full} does not exist.`)
  try {
    const parsed = JSON.parse(readFileSync(full, 'utf8')) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
    const object = parsed as Record<string, unknown>
    // Either one exported integration ({name, type, settings, policy…}) or the settings alone.
    return 'settings' in object ? object : { settings: object }
  } catch (error) {
    throw new CliError(`The configuration file ${full} is not a JSON object (${error instanceof Error ? error.message : 'unreadable'}).`)
  }
}

const addOptions = {
  type: { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  file: { type: 'string' },
  format: { type: 'string' },
  config: { type: 'string' },
  disabled: { type: 'boolean', default: false },
  'secret-stdin': { type: 'boolean', default: false },
  'secret-env': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const

async function addIntegration(core: Core, out: Output, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: addOptions, strict: true })
  const fromFile: ExportedIntegration = values.config ? readConfigFile(values.config) : {}
  const typeName = values.type ?? fromFile.type
  if (!typeName) throw new CliError('Give the type: --type ldif|ad|ldap|domino|entra|google.', 2)
  const type = parseIntegrationType(typeName)
  const name = values.name ?? fromFile.name
  if (!name) throw new CliError('Give the integration a name: --name "…".', 2)
  let settings: unknown = fromFile.settings ?? {}
  if (type === 'ldif-file' && values.file) settings = { ...(settings as object), path: resolve(values.file), ...(values.format ? { format: values.format } : {}) }
  if (type === 'ldif-file' && !values.file && !values.config) throw new CliError('An LDIF/CSV integration needs --file <export.ldif|export.csv>.', 2)
  const config = IntegrationConfigSchema.safeParse({ type, settings })
  if (!config.success) throw new CliError(`Invalid settings for ${type}: ${describeIssues(config.error)}`, 2)
  const policy = IntegrationPolicySchema.partial().safeParse(fromFile.policy ?? {})
  if (!policy.success) throw new CliError(`Invalid policy: ${describeIssues(policy.error)}`, 2)
  const secret = await readSecret({ secretStdin: values['secret-stdin'], secretEnv: values['secret-env'] })
  const created = await core.createIntegration({ name, description: values.description ?? fromFile.description ?? '', config: config.data, policy: policy.data, enabled: !values.disabled && fromFile.enabled !== false, secret: secret ?? null })
  out.print(created, () => `Added ${created.name} (${INTEGRATION_TYPE_LABELS[created.config.type]}), id ${created.id}.${created.enabled ? ' Run `dirsync sync --all` to read it.' : ''}`)
}

async function editIntegration(core: Core, out: Output, argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: [...argv], options: { ...addOptions, 'clear-secret': { type: 'boolean', default: false } }, allowPositionals: true, strict: true })
  const id = positionals[0]
  if (!id) throw new CliError('Usage: dirsync integrations edit <id-or-name> [--name N] [--description D] [--file F] [--config settings.json] [--secret-stdin | --secret-env NAME | --clear-secret]', 2)
  const current = core.getIntegration(id)
  let config
  if (values.config || values.file) {
    const fromFile = values.config ? readConfigFile(values.config) : {}
    let settings = { ...(current.config.settings as object), ...((fromFile.settings as object | undefined) ?? {}) }
    if (values.file) settings = { ...settings, path: resolve(values.file) }
    const parsed = IntegrationConfigSchema.safeParse({ type: current.config.type, settings })
    if (!parsed.success) throw new CliError(`Invalid settings: ${describeIssues(parsed.error)}`, 2)
    config = parsed.data
  }
  const secret = values['clear-secret'] ? null : await readSecret({ secretStdin: values['secret-stdin'], secretEnv: values['secret-env'] })
  const endpointChanged = config ? changedEndpointSettings(current.config, config) : []
  if (endpointChanged.length > 0 && current.hasSecret && secret === undefined) {
    throw new CliError(`Nothing changed. ${endpointChangeReason(endpointChanged)} Give it with --secret-stdin or --secret-env NAME, or remove it with --clear-secret.`)
  }
  const updated = await core.updateIntegration({ id: current.id, name: values.name, description: values.description, config, secret })
  out.print(updated, () => `Updated ${updated.name}.`)
}

async function deleteIntegration(core: Core, out: Output, argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: [...argv], options: { preview: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true })
  const id = positionals[0]
  if (!id) throw new CliError('Usage: dirsync integrations delete <id-or-name> (--preview | --yes)', 2)
  const preview = core.deletePreview(id)
  const withGroups = preview.membershipsOfDeletedGroups.reduce((n, g) => n + g.members, 0)
  const describe = (): string =>
    [
      `Deleting ${preview.integrationName} will, at the next sync:`,
      `  demote ${preview.usersDemoted.length} user(s) to "Created by Message in Transit"`,
      `  delete ${preview.usersDeleted.length} user(s)`,
      `  remove ${preview.membershipsRemoved.length + withGroups} group membership(s)${withGroups > 0 ? ` (${withGroups} with the deleted groups)` : ''}`,
      `  delete ${preview.groupsDeleted.length} group(s)`,
      `  keep ${preview.usersStillBacked.length} user(s) still backed by another integration`,
      preview.liftsBlock ? '  and lift the pause on destructive actions (it is the only disabled/errored integration)' : preview.remainingBlockers.length > 0 ? `  destructive actions stay paused by: ${preview.remainingBlockers.join(', ')}` : '',
      preview.holdNote ? `  note: ${preview.holdNote}` : '',
    ].filter(Boolean).join('\n')
  if (values.preview || !values.yes) {
    out.print(preview, describe)
    if (!values.preview) throw new CliError('Nothing deleted: add --yes to delete (after reading the preview above).', 2)
    return
  }
  const done = await core.deleteIntegration(id, preview.integrationName)
  out.print({ deleted: true, preview: done }, () => `${describe()}\nDeleted ${done.integrationName}. The changes above happen at the next sync.`)
}
