import type { ConnectionStep } from '../../../shared/domain/connection-test.ts'
import type { IntegrationView } from '../../../shared/domain/integration.ts'
import { useAppStore } from '../../store/app-store.ts'

const VERDICT_LABELS: Readonly<Record<ConnectionStep['verdict'], string>> = { pass: 'Passed', warn: 'Warning', fail: 'Failed', skipped: 'Skipped' }
const VERDICT_GLYPHS: Readonly<Record<ConnectionStep['verdict'], string>> = { pass: '✓', warn: '!', fail: '✕', skipped: '–' }

/** The ladder (DNS → TCP → TLS → bind → base read → sample query → large group), step by step as it runs. */
export function TestConnectionTab({ integration }: { readonly integration: IntegrationView }) {
  const test = useAppStore((state) => (state.connectionTest?.integrationId === integration.id ? state.connectionTest : null))
  const run = useAppStore((state) => state.testConnection)

  const failed = test?.steps.find((step) => step.verdict === 'fail')
  return (
    <div className="test-tab">
      <p>
        The test checks each layer in turn and stops at the first that fails, saying what to fix. It reads a sample only; nothing in the account
        changes.
      </p>
      <button type="button" className="primary" disabled={test?.running} onClick={() => void run(integration.id)}>
        {test?.running ? 'Testing…' : test ? 'Run the test again' : 'Test Connection'}
      </button>
      {test ? (
        <ol className="ladder" aria-live="polite" aria-busy={test.running}>
          {test.steps.map((step) => (
            <li key={step.step} className={`ladder-step verdict-${step.verdict}`}>
              <span className="verdict-glyph" aria-hidden="true">
                {VERDICT_GLYPHS[step.verdict]}
              </span>
              <div>
                <div className="ladder-label">
                  <strong>{step.label}</strong> — {VERDICT_LABELS[step.verdict]} <span className="muted small">({Math.round(step.durationMs)} ms)</span>
                </div>
                <div className="ladder-message">{step.message}</div>
              </div>
            </li>
          ))}
          {test.running ? <li className="ladder-step muted">Running the next step…</li> : null}
        </ol>
      ) : null}
      {test && !test.running && !test.error ? (
        <p className={failed ? 'note-error' : 'note-ok'} role="status">
          {failed ? `The connection test failed at “${failed.label}”.` : 'The connection works.'}
        </p>
      ) : null}
      {test?.error ? (
        <p className="form-error" role="alert">
          {test.error}
        </p>
      ) : null}
    </div>
  )
}
