import type { LdapConfig } from '../../../shared/domain/integration-config.ts'
import { DnInterner } from './lean/dn-interner.ts'
import { type CollectedGroups, GroupCollector } from './group-collector.ts'
import type { LdapErrorContext } from './ldap-errors.ts'
import type { LdapFlavour } from './ldap-presets.ts'
import { resolvePlan } from './ldap-read-plan.ts'
import { openSession } from './ldap-session.ts'
import { PageReader, ReadState } from './page-reader.ts'

/** What the group half of a full read needs: plain data, so it can be handed to a worker thread. */
export interface GroupReadRequest {
  readonly type: LdapFlavour
  readonly settings: LdapConfig
  readonly secret: string | null
  readonly memberRangeStep: number | null
  /** Also read modifyTimestamp (generic LDAP / Domino cursors). */
  readonly trackTime: boolean
}

export interface GroupReadResult {
  readonly collected: CollectedGroups
  readonly noId: number
  readonly foreignDenied: number
  readonly referrals: number
  readonly rangeRequests: number
  /** The newest modifyTimestamp among the groups, as the server wrote it. */
  readonly maxTimestampText: string | null
  readonly failoverNote: string | null
}

/**
 * Reads every group of the integration on a connection of its own, completing ranged member
 * lists, into a GroupCollector. Runs in the group-read worker thread (or, where no worker can be
 * started, on the main thread), beside the user search on the main connection.
 */
export async function readGroups(request: GroupReadRequest, signal: AbortSignal, onProgress?: (groups: number) => void): Promise<GroupReadResult> {
  const plan = resolvePlan(request.type, request.settings, request.memberRangeStep)
  const state = new ReadState()
  // Member DNs arrive as one shared string per distinct DN (and no garbage per value).
  const dnAttributes = new Set([plan.map.member, plan.map.uniqueMember].filter((a) => a !== '').map((a) => a.toLowerCase()))
  const interner = new DnInterner()
  const session = await openSession(plan.settings, request.secret, signal, { lean: true, interned: { attributes: dnAttributes, interner } })
  try {
    const errorContext = (): LdapErrorContext => ({ host: session.host, port: session.port, phase: 'read', baseDn: plan.settings.baseDn, progress: `${collector.groupCount.toLocaleString('en-US')} groups` })
    const reader = new PageReader(session, plan, state, signal, errorContext)
    const collector = new GroupCollector(interner)
    for await (const page of reader.groups(plan.groupFilter, request.trackTime)) {
      for (const entry of page) {
        const members = await reader.groupMembers(entry)
        if (members) collector.add(entry.dn, members.basics, members.dns, members.uids)
      }
      onProgress?.(collector.groupCount)
    }
    return {
      collected: collector.finish(),
      noId: state.noId,
      foreignDenied: state.foreignDenied,
      referrals: state.referrals,
      rangeRequests: state.rangeRequests,
      maxTimestampText: state.newestTimestampText,
      failoverNote: session.failoverNote,
    }
  } finally {
    await session.close()
  }
}
