export interface ReadCounts {
  readonly users: number
  readonly groups: number
}

/**
 * Pure. Whether a complete read may become the integration's snapshot; the reason in plain
 * language when not. (A read that failed or ended early never gets here: connectors throw.)
 */
export function rejectReason(next: ReadCounts, previous: ReadCounts | null, shrinkGuardPercent: number): string | null {
  if (!previous) return null
  if (next.users + next.groups === 0 && previous.users + previous.groups > 0) {
    return `The directory returned no users and no groups, where the last snapshot had ${previous.users} users and ${previous.groups} groups. The last snapshot was kept; check the base DN, the filters and the bind account's permissions.`
  }
  for (const kind of ['users', 'groups'] as const) {
    const before = previous[kind]
    const after = next[kind]
    if (before === 0 || after >= before) continue
    const drop = ((before - after) / before) * 100
    if (drop > shrinkGuardPercent) {
      return `The read has ${after} ${kind}, ${Math.round(drop)}% fewer than the last snapshot's ${before} (this integration's shrink guard is ${shrinkGuardPercent}%). The last snapshot was kept; if the change is expected, raise the shrink guard and sync again.`
    }
  }
  return null
}
