import { createCore, type Core } from '../../main/core/dirsync-core.ts'
import { createEncryptedFileSecretStore } from '../../main/secrets/encrypted-file-secret-store.ts'
import { createSettingsStore } from '../../main/settings/settings-store.ts'
import { openDatabase, type Db } from '../../main/store/open-database.ts'
import { memoryBackend } from '../helpers/test-core.ts'

/** A real core on a data directory, with a hook that fires when a chosen integration is mid-read. */
export interface KillHarness {
  readonly db: Db
  readonly core: Core
  /**
   * Calls `kill` once, when the named integration's read of the next run reports its first objects
   * (the server or emulator is then killed mid-read, the way the fault tests need).
   */
  readonly onFirstObjects: (integrationId: string, kill: (objectsRead: number) => void | Promise<void>) => void
}

export function killHarness(dataDir: string): KillHarness {
  const db = openDatabase(dataDir)
  let trigger: { id: string; kill: (objectsRead: number) => void | Promise<void> } | null = null
  const core = createCore({
    db,
    dataDir,
    secrets: createEncryptedFileSecretStore(dataDir, 'test-passphrase'),
    settings: createSettingsStore(memoryBackend()),
    actor: 'test-admin',
    emit: (event, payload) => {
      const p = payload as { integrationId?: string | null; phase?: string; objectsRead?: number }
      if (event === 'sync:progress' && trigger && p.integrationId === trigger.id && p.phase === 'reading' && (p.objectsRead ?? 0) > 0) {
        const { kill } = trigger
        trigger = null
        void kill(p.objectsRead ?? 0)
      }
    },
  })
  return { db, core, onFirstObjects: (id, kill) => void (trigger = { id, kill }) }
}
