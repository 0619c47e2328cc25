import { useEffect } from 'react'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { EmptyState, LoadError } from '../../components/empty-state.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { RunTable } from '../runs/run-table.tsx'

/** Runs that read this integration, newest first. */
export function HistoryTab({ integration }: { readonly integration: IntegrationView }) {
  const runs = useAppStore((state) => state.runs)
  const runsState = useAppStore((state) => state.runsState)
  const loadRuns = useAppStore((state) => state.loadRuns)
  const navigate = useAppStore((state) => state.navigate)
  const openRun = useAppStore((state) => state.openRun)

  useEffect(() => {
    void loadRuns()
  }, [loadRuns])

  const mine = runs.filter((run) => run.reads.some((item) => item.integrationId === integration.id))

  if (runsState.error) return <LoadError message={runsState.error} onRetry={() => void loadRuns()} />
  if (runsState.loaded && mine.length === 0) return <EmptyState title="No run yet">Sync this integration to see its history here.</EmptyState>

  return (
    <RunTable
      runs={mine}
      caption={`Runs that read ${integration.name}, newest first`}
      readOf={(run) => run.reads.find((item) => item.integrationId === integration.id)}
      onOpen={(run) => {
        openRun(run.id)
        navigate({ page: 'runs' })
      }}
    />
  )
}
