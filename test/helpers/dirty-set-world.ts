import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import { IntegrationPolicySchema } from '../../shared/domain/integration-policy.ts'
import type { SyncAction } from '../../shared/domain/sync-action.ts'
import { createConnector } from '../../main/connectors/connector-registry.ts'
import type { Plan } from '../../main/model/plan-types.ts'
import { plainAction } from '../../main/model/member-addition.ts'
import { createSettingsStore } from '../../main/settings/settings-store.ts'
import { createHeldStore, type HeldStore } from '../../main/store/held-store.ts'
import { createIntegrationStore, type IntegrationStore } from '../../main/store/integration-store.ts'
import { openDatabase, type Db } from '../../main/store/open-database.ts'
import { createRunStore } from '../../main/store/run-store.ts'
import { createSnapshotStore } from '../../main/store/snapshot-store.ts'
import type { GateVerdict } from '../../main/sync/gate.ts'
import { createSyncEngine, type SyncEngine } from '../../main/sync/sync-engine.ts'
import { ldifText, type LdifOrg } from './ldif-writer.ts'
import { memoryBackend, testClock, type TestClock } from './test-core.ts'

/** A plan's effect, in an order-free form: what is applied, what is held (and why), what is linked. */
export function planOutcome(plan: Plan, verdict: GateVerdict): unknown {
  const byId = (a: SyncAction, b: SyncAction): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const sorted = <T>(list: readonly T[]): T[] => list.map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x) as T)
  return {
    // Plain objects: a compact add-member's id and detail are getters, which toEqual would skip.
    apply: verdict.apply.toArray().map(plainAction).sort(byId),
    held: [...verdict.held].sort(byId),
    links: { users: sorted(plan.links.users), groups: sorted(plan.links.groups), memberships: sorted(plan.links.memberships) },
  }
}

export interface DirtySetWorld {
  readonly db: Db
  readonly engine: SyncEngine
  readonly integrations: IntegrationStore
  readonly held: HeldStore
  readonly clock: TestClock
  /** Creates an enabled LDIF integration reading `org`. */
  add(name: string, org: LdifOrg, policy?: Partial<IntegrationPolicy>): string
  /** Rewrites the integration's directory (its LDIF file). */
  write(id: string, org: LdifOrg): void
  /** Makes the integration's next read fail (an unreadable export). */
  breakSource(id: string): void
  setEnabled(id: string, enabled: boolean): void
  setPolicy(id: string, policy: Partial<IntegrationPolicy>): void
  /** What the core's deleteIntegration does to the store. */
  remove(id: string): void
  /** Approves every threshold hold. */
  approveAll(): void
  close(): void
}

/** The real engine on a real store, with LDIF files as directories. */
export function openDirtySetWorld(dir: string, clock: TestClock = testClock()): DirtySetWorld {
  const db = openDatabase(dir)
  const integrations = createIntegrationStore(db)
  const held = createHeldStore(db)
  const snapshots = createSnapshotStore(db)
  const settings = createSettingsStore(memoryBackend())
  // Purges fall due at the next run after a deletion: the time rule is exercised without a periodic full plan.
  settings.setAccount({ retentionDays: 0 })
  const engine = createSyncEngine({
    db,
    integrations,
    snapshots,
    runs: createRunStore(db),
    held,
    settings,
    now: clock,
    connect: (record) => createConnector({ integrationId: record.id, config: record.config, secret: null }),
    onProgress: () => undefined,
  })
  const file = (id: string): string => join(dir, `${id}.ldif`)
  let count = 0
  return {
    db,
    engine,
    integrations,
    held,
    clock,
    add(name, org, policy = {}) {
      const path = join(dir, `new-${count++}.ldif`)
      writeFileSync(path, ldifText(org), 'utf8')
      const record = integrations.insert({ name, description: '', config: { type: 'ldif-file', settings: { path, format: 'ldif' } }, policy: IntegrationPolicySchema.parse(policy), enabled: true, secretRef: null }, clock().toISOString())
      integrations.update(record.id, { config: { type: 'ldif-file', settings: { path: file(record.id), format: 'ldif' } } })
      writeFileSync(file(record.id), ldifText(org), 'utf8')
      return record.id
    },
    write(id, org) {
      writeFileSync(file(id), ldifText(org), 'utf8')
    },
    breakSource(id) {
      writeFileSync(file(id), 'dn: this is not\nan ldif export\n\u0000', 'utf8')
    },
    setEnabled(id, enabled) {
      const at = clock().toISOString()
      if (enabled) integrations.setEnabled(id, true, snapshots.current(id) ? 'ok' : 'never-synced', null, at)
      else integrations.setEnabled(id, false, 'disabled', 'Disabled by the test', at)
    },
    setPolicy(id, policy) {
      const current = integrations.get(id)
      if (current) integrations.update(id, { policy: IntegrationPolicySchema.parse({ ...current.policy, ...policy }) })
    },
    remove(id) {
      db.transaction(() => {
        integrations.markDeleted(id, clock().toISOString())
        snapshots.dropAll(id)
      })()
    },
    approveAll() {
      held.approve(held.all().filter((a) => a.reason === 'threshold'), 'test-admin', clock().toISOString())
    },
    close: () => db.close(),
  }
}
