import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { useAppStore } from '../../store/app-store.ts'
import { ConnectionLadder } from './connection-ladder.tsx'

/** Runs the ladder on the saved integration, step by step as it runs. */
export function TestConnectionTab({ integration }: { readonly integration: IntegrationView }) {
  const test = useAppStore((state) => (state.connectionTest?.integrationId === integration.id ? state.connectionTest : null))
  const run = useAppStore((state) => state.testConnection)

  return (
    <div className="test-tab">
      <p>
        The test checks each layer in turn and stops at the first that fails, saying what to fix. It reads a sample only; nothing in the account
        changes.
      </p>
      <button type="button" className="primary" disabled={test?.running} onClick={() => void run(integration.id)}>
        {test?.running ? 'Testing…' : test ? 'Run the test again' : 'Test Connection'}
      </button>
      {test ? <ConnectionLadder test={test} /> : null}
    </div>
  )
}
