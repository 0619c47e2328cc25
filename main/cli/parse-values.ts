import { ACTION_KINDS, type ActionKind } from '../../shared/domain/sync-action.ts'
import { CliError } from './cli-error.ts'

/** `key=value` pairs from the command line: booleans, numbers, `unlimited`, comma lists for list keys. */
export function parseAssignments(pairs: readonly string[], listKeys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new CliError(`Expected key=value, got "${pair}".`, 2)
    const key = pair.slice(0, eq)
    const raw = pair.slice(eq + 1)
    if (listKeys.includes(key)) out[key] = raw === '' ? [] : raw.split(',').map((v) => v.trim()).filter(Boolean)
    else if (raw === 'true' || raw === 'false') out[key] = raw === 'true'
    else if (/^-?\d+$/.test(raw)) out[key] = Number(raw)
    else out[key] = raw
  }
  return out
}

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  ldif: 'ldif-file',
  csv: 'ldif-file',
  file: 'ldif-file',
  'ldif-file': 'ldif-file',
  ad: 'active-directory',
  'active-directory': 'active-directory',
  ldap: 'ldap',
  domino: 'domino',
  entra: 'entra',
  azure: 'entra',
  google: 'google',
}

export function parseIntegrationType(value: string): string {
  const type = TYPE_ALIASES[value.toLowerCase()]
  if (!type) throw new CliError(`Unknown integration type "${value}". Types: ldif (LDIF/CSV file), ad, ldap, domino, entra, google.`, 2)
  return type
}

/** `--kind`: one of the action kinds (shared/domain/sync-action.ts). */
export function kindOption(value: string | undefined): ActionKind | undefined {
  if (value === undefined) return undefined
  if (!(ACTION_KINDS as readonly string[]).includes(value)) throw new CliError(`Unknown action kind "${value}"; kinds: ${ACTION_KINDS.join(', ')}.`, 2)
  return value as ActionKind
}
