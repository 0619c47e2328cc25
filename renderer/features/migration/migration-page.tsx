import { useEffect, useRef, useState } from 'react'
import type { MigrationView } from '../../../shared/domain/migration.ts'
import { LoadError } from '../../components/empty-state.tsx'
import { wizardStepOf, type WizardStep } from '../../store/slices/migration-slice.ts'
import { useAppStore } from '../../store/app-store.ts'
import { SyncProgress } from '../progress/sync-progress.tsx'
import { CoverageStep } from './coverage-step.tsx'
import { CutoverStep } from './cutover-step.tsx'
import { PickStep } from './pick-step.tsx'
import { PreviewStep } from './preview-step.tsx'
import { ReadStep } from './read-step.tsx'
import { WindowNote } from './window-note.tsx'

const STEPS: readonly { readonly id: WizardStep; readonly label: string }[] = [
  { id: 'pick', label: 'Pick old and new' },
  { id: 'read', label: 'Read the new one' },
  { id: 'coverage', label: 'Coverage' },
  { id: 'preview', label: 'Cut-over preview' },
  { id: 'cutover', label: 'Cut-over' },
]

/**
 * The migration wizard (DESIGN §2 "Migration"). The core keeps the migration and its step, so
 * leaving the page, reloading or restarting comes back to the same step; this component only
 * chooses which step to show and lets the admin look back at the finished ones.
 */
export function MigrationPage() {
  const migrations = useAppStore((state) => state.migrations)
  const migrationsState = useAppStore((state) => state.migrationsState)
  const activeId = useAppStore((state) => state.activeMigrationId)
  const cutoverOpened = useAppStore((state) => state.cutoverOpened)
  const loadMigrations = useAppStore((state) => state.loadMigrations)
  const error = useAppStore((state) => state.migrationError)
  const work = useAppStore((state) => state.migrationWork)
  const [review, setReview] = useState<WizardStep | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    void loadMigrations()
  }, [loadMigrations])

  const migration = migrations.find((item) => item.id === activeId) ?? null
  const current = wizardStepOf(migration, cutoverOpened)
  const currentIndex = STEPS.findIndex((item) => item.id === current)
  const shown = review && STEPS.findIndex((item) => item.id === review) < currentIndex ? review : current
  const shownIndex = STEPS.findIndex((item) => item.id === shown)

  // A new step moves focus to its heading, so a screen reader hears where the wizard is now.
  const lastShown = useRef(shown)
  useEffect(() => {
    if (lastShown.current !== shown) heading.current?.focus()
    lastShown.current = shown
  }, [shown])
  // Reviewing ends when the migration moves on.
  useEffect(() => setReview(null), [current, activeId])

  return (
    <div className="migration-page">
      <p className="page-intro">
        Move from one directory to another — on-premises AD to Entra ID, Domino to AD, Google to Entra — without losing anyone on the way: add the new
        integration next to the old one, read it without applying anything, compare who is covered, preview the cut-over, then cut over and check the
        result against the preview. Every step is saved: you can leave and come back.
      </p>

      <ol className="stepper" aria-label="Migration steps">
        {STEPS.map((item, index) => {
          const state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'todo'
          const label = (
            <>
              <span className="stepper-number" aria-hidden="true">
                {state === 'done' ? '✓' : index + 1}
              </span>
              <span>
                <span className="visually-hidden">Step {index + 1}: </span>
                {item.label}
                {state === 'done' ? <span className="visually-hidden"> (done)</span> : null}
              </span>
            </>
          )
          return (
            <li key={item.id} className={`stepper-step stepper-${state} ${shown === item.id ? 'stepper-shown' : ''}`} aria-current={shown === item.id ? 'step' : undefined}>
              {state === 'done' && migration ? (
                <button type="button" className="stepper-button" onClick={() => setReview(item.id === current ? null : item.id)}>
                  {label}
                </button>
              ) : (
                <span className="stepper-button">{label}</span>
              )}
            </li>
          )
        })}
      </ol>

      {migrationsState.error && !migrationsState.loaded ? <LoadError message={migrationsState.error} onRetry={() => void loadMigrations()} /> : null}
      {migration ? <WindowNote migration={migration} /> : null}
      {work === 'read-new' || work === 'cutover' ? <SyncProgress /> : null}

      <section className="wizard-panel" aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title" ref={heading} tabIndex={-1}>
          Step {shownIndex + 1} of {STEPS.length}: {STEPS[shownIndex]?.label}
        </h2>
        {shown !== current ? (
          <p className="note-warn">
            You are looking back at a finished step.{' '}
            <button type="button" className="link-button" onClick={() => setReview(null)}>
              Return to step {currentIndex + 1}
            </button>
          </p>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <StepBody step={shown} migration={migration} />
      </section>
    </div>
  )
}

function StepBody({ step, migration }: { readonly step: WizardStep; readonly migration: MigrationView | null }) {
  if (step === 'pick' || !migration) return <PickStep migration={migration} />
  switch (step) {
    case 'read':
      return <ReadStep migration={migration} />
    case 'coverage':
      return <CoverageStep migration={migration} />
    case 'preview':
      return <PreviewStep migration={migration} />
    case 'cutover':
      return <CutoverStep migration={migration} />
  }
}
