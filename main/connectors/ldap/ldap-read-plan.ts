import type { Filter } from 'ldapts'
import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import { parseAdminFilter } from './ldap-filters.ts'
import type { MappingContext } from './ldap-mapping.ts'
import { type LdapAttributeMap, type LdapFlavour, type LdapPreset, LDAP_PRESETS, resolveAttributeMap } from './ldap-presets.ts'

/** Everything a read needs, resolved once from the integration's settings. */
export interface LdapReadPlan {
  readonly type: LdapFlavour
  readonly settings: LdapConfig
  readonly preset: LdapPreset
  readonly map: LdapAttributeMap
  readonly mapping: MappingContext
  readonly userFilter: Filter
  readonly groupFilter: Filter
  /**
   * AD range retrieval step: ask for `member;range=0-(step-1)` and continue in steps of this many
   * values. null (default) asks for plain `member` and follows whatever range the server imposes
   * (Windows: 1,500 per response; Samba: never ranges unless asked).
   */
  readonly memberRangeStep: number | null
  /** Findings from resolving the settings (unknown attribute-map keys…), repeated in every summary. */
  readonly configWarnings: readonly string[]
}

/**
 * The plan for one integration's settings. `memberRangeStep`: AD range retrieval step (values per
 * request) — null/absent: plain `member`, following the server's own ranges (Windows: 1,500).
 */
export function resolvePlan(type: LdapFlavour, settings: LdapConfig, memberRangeStep: number | null = null): LdapReadPlan {
  const preset = LDAP_PRESETS[type]
  const { map, unknownKeys } = resolveAttributeMap(type, settings.attributeMap)
  const configWarnings = unknownKeys.length > 0 ? [`The attribute mapping has keys this connector does not know and ignores: ${unknownKeys.join(', ')}.`] : []
  const step = memberRangeStep
  return {
    type,
    settings,
    preset,
    map,
    mapping: { flavour: type, map, honourForeignDirectorySync: type === 'domino' && settings.honourForeignDirectorySync },
    userFilter: parseAdminFilter(settings.userFilter, preset.userFilter, 'user'),
    groupFilter: parseAdminFilter(settings.groupFilter, preset.groupFilter, 'group'),
    memberRangeStep: type === 'active-directory' && step !== null && step > 0 ? Math.floor(step) : null,
    configWarnings,
  }
}
