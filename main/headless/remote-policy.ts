import { realpathSync, statSync } from 'node:fs'
import { sep } from 'node:path'
import type { IntegrationConfig } from '../../shared/domain/integration-config.ts'
import { CoreError } from '../core/core-errors.ts'
import type { Handlers } from '../ipc/handlers.ts'
import { HostConfigError } from './browser-host.ts'

/**
 * What a browser host reachable from the network lets its users point integrations at, fixed when
 * it starts: export files only inside one import folder, directory servers only from a list. So a
 * console exposed with --allow-remote reads no file of the machine (/proc, the data directory,
 * /etc/shadow) and is no port scanner or certificate fetcher for the network behind it.
 */
export interface RemotePolicy {
  /** The import folder, resolved (symbolic links followed); null: no export file may be used. */
  readonly importDir: string | null
  /** Host names and addresses (lower case) integrations may connect to. */
  readonly allowHosts: ReadonlySet<string>
}

const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev']
const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)

/** Checks the start options; throws HostConfigError with the reason. */
export function createRemotePolicy(options: { importDir?: string | undefined; allowHosts?: readonly string[] | undefined; dataDir: string }): RemotePolicy {
  let importDir: string | null = null
  if (options.importDir !== undefined) {
    try {
      importDir = realpathSync(options.importDir)
    } catch {
      throw new HostConfigError(`--import-dir ${options.importDir} does not exist.`)
    }
    if (!statSync(importDir).isDirectory()) throw new HostConfigError(`--import-dir ${options.importDir} is not a folder.`)
    const dataDir = (() => {
      try {
        return realpathSync(options.dataDir)
      } catch {
        return options.dataDir
      }
    })()
    if (importDir === sep || SYSTEM_FOLDERS.some((folder) => within(importDir as string, folder))) throw new HostConfigError(`--import-dir ${importDir} would expose the system's files; give a folder that holds only directory exports.`)
    if (within(importDir, dataDir) || within(dataDir, importDir)) throw new HostConfigError(`--import-dir ${importDir} overlaps the data directory ${dataDir} (the account store and its secrets); give a folder that holds only directory exports.`)
  }
  const allowHosts = new Set((options.allowHosts ?? []).map((host) => host.trim().toLowerCase()).filter((host) => host !== ''))
  return { importDir, allowHosts }
}

function hostsOf(config: IntegrationConfig): string[] {
  const hostOfUrl = (url: string | undefined): string[] => (url === undefined ? [] : [new URL(url).hostname.replace(/^\[|\]$/g, '')])
  switch (config.type) {
    case 'active-directory':
    case 'ldap':
    case 'domino':
      return [config.settings.host, ...(config.settings.alternateHost ? [config.settings.alternateHost] : [])]
    case 'entra':
      // The Microsoft cloud endpoints are fixed; only overrides point somewhere chosen.
      return [...hostOfUrl(config.settings.authorityHost), ...hostOfUrl(config.settings.graphEndpoint)]
    case 'google':
      return [...hostOfUrl(config.settings.tokenUrl), ...hostOfUrl(config.settings.rootUrl)]
    case 'ldif-file':
      return []
  }
}

/** Why this configuration is not allowed on this host, or null. */
export function remoteRefusal(policy: RemotePolicy, config: IntegrationConfig): string | null {
  if (config.type === 'ldif-file') {
    if (policy.importDir === null) return 'This console is served to the network: export files can be used only when it is started with --import-dir FOLDER.'
    let real: string
    try {
      real = realpathSync(config.settings.path)
    } catch {
      return `The export file must be inside the import folder ${policy.importDir}, and ${config.settings.path} does not exist there.`
    }
    return within(real, policy.importDir) && real !== policy.importDir ? null : `The export file must be inside the import folder ${policy.importDir} (this console is served to the network).`
  }
  const refused = hostsOf(config).filter((host) => !policy.allowHosts.has(host.toLowerCase()))
  if (refused.length === 0) return null
  return policy.allowHosts.size === 0
    ? `This console is served to the network: it connects only to directory servers named with --allow-hosts when it is started, and none were (${refused.join(', ')} refused).`
    : `This console is served to the network and connects only to ${[...policy.allowHosts].join(', ')} (--allow-hosts); ${refused.join(', ')} is not among them.`
}

/** The handlers with every channel that sets or uses an integration's target checked against the policy. */
export function restrictHandlers(handlers: Handlers, policy: RemotePolicy): Handlers {
  const check = (config: IntegrationConfig): void => {
    const reason = remoteRefusal(policy, config)
    if (reason !== null) throw new CoreError('forbidden', reason)
  }
  const current = async (id: string): Promise<IntegrationConfig> => (await handlers['integrations:get']({ id })).config
  return {
    ...handlers,
    'integrations:create': (request) => {
      check(request.config)
      return handlers['integrations:create'](request)
    },
    'integrations:update': async (request) => {
      check(request.config ?? (await current(request.id)))
      return handlers['integrations:update'](request)
    },
    'integrations:test': async (request) => {
      check(await current(request.id))
      return handlers['integrations:test'](request)
    },
  }
}
