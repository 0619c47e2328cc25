/**
 * Child process for the read crash test: opens the data directory given as argv[2] and reads its
 * first integration with the real read path (readIntegration: stage, validate, promote), then
 * SIGKILLs itself at the point named by argv[3]: `read` once the first page is staged, `promote`
 * inside the promotion transaction after the difference was written into the current snapshot
 * (from onDelta, the last thing before COMMIT). Without a point it reads to the end and prints the
 * read as JSON.
 */
import { createConnector } from '../../main/connectors/connector-registry.ts'
import { createIntegrationStore } from '../../main/store/integration-store.ts'
import { openDatabase } from '../../main/store/open-database.ts'
import { createSnapshotStore } from '../../main/store/snapshot-store.ts'
import { readIntegration } from '../../main/sync/read-integration.ts'

const [dataDir, point] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: node crash-read-child.ts <data-dir> [read|promote]')
const db = openDatabase(dataDir)
const integrations = createIntegrationStore(db)
const record = integrations.list()[0]
if (!record) throw new Error('no integration in this data directory')
const kill = (): void => void process.kill(process.pid, 'SIGKILL')
const read = await readIntegration(record, {
  integrations,
  snapshots: createSnapshotStore(db),
  now: () => new Date(),
  connect: (integration) => createConnector({ integrationId: integration.id, config: integration.config, secret: null }),
  onProgress: (objectsRead, phase) => {
    if (point === 'read' && phase === 'reading' && objectsRead > 0) kill()
  },
  signal: new AbortController().signal,
  onDelta: point === 'promote' ? kill : undefined,
})
process.stdout.write(JSON.stringify(read))
