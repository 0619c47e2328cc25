import type { ConnectionStep } from '../../../shared/domain/connection-test.ts'
import type { ConnectionTestState } from '../../store/slices/integrations-slice.ts'

const VERDICT_LABELS: Readonly<Record<ConnectionStep['verdict'], string>> = { pass: 'Passed', warn: 'Warning', fail: 'Failed', skipped: 'Skipped' }
const VERDICT_GLYPHS: Readonly<Record<ConnectionStep['verdict'], string>> = { pass: '✓', warn: '!', fail: '✕', skipped: '–' }

/** The first failed step of a finished test, if any. */
export function failedStep(test: ConnectionTestState | null): ConnectionStep | undefined {
  return test && !test.running ? test.steps.find((step) => step.verdict === 'fail') : undefined
}

/**
 * The ladder (DNS → TCP → TLS → bind → base read → sample query → large group), step by step as it
 * runs, and its verdict in words: the Test Connection tab and the Create/Edit forms show the same.
 */
export function ConnectionLadder({ test }: { readonly test: ConnectionTestState }) {
  const failed = failedStep(test)
  return (
    <>
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
      {!test.running && !test.error ? (
        <p className={failed ? 'note-error' : 'note-ok'} role="status">
          {failed ? `The connection test failed at “${failed.label}”.` : 'The connection works.'}
        </p>
      ) : null}
      {test.error ? (
        <p className="form-error" role="alert">
          {test.error}
        </p>
      ) : null}
    </>
  )
}
