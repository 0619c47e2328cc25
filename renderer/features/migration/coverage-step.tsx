import { useEffect } from 'react'
import type { CoverageReport, MigrationView } from '../../../shared/domain/migration.ts'
import { formatCount } from '../../components/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { download } from '../runs/run-export.ts'
import { CoverageTables } from './coverage-tables.tsx'

/** Step 3: how well the new directory covers the old one — a picture first, then the rows. */
export function CoverageStep({ migration }: { readonly migration: MigrationView }) {
  const computeCoverage = useAppStore((state) => state.computeCoverage)
  const computePreview = useAppStore((state) => state.computeCutoverPreview)
  const readNew = useAppStore((state) => state.readNewForMigration)
  const exportCsv = useAppStore((state) => state.exportCoverageCsv)
  const work = useAppStore((state) => state.migrationWork)
  const error = useAppStore((state) => state.migrationError)
  const report = migration.coverage

  // The new one has been read: compare at once (it only compares two snapshots; nothing is applied).
  useEffect(() => {
    if (!report && migration.step === 'coverage' && work === null && error === null) void computeCoverage()
  }, [report, migration.step, work, error, computeCoverage])

  if (!report) {
    return (
      <div>
        <p className="muted" aria-busy={work === 'coverage'}>
          {work === 'coverage' ? 'Comparing the two directories…' : 'The coverage report has not been made yet.'}
        </p>
        {work === null ? (
          <button type="button" className="primary" onClick={() => void computeCoverage()}>
            Compare the directories
          </button>
        ) : null}
      </div>
    )
  }

  async function exportReport(): Promise<void> {
    const result = await exportCsv()
    if (result.ok) download(result.value.fileName, result.value.csv, 'text/csv;charset=utf-8')
  }

  return (
    <div className="coverage-step">
      <p>
        Users and groups of <strong>{migration.oldIntegrationName}</strong> (old) and <strong>{migration.newIntegrationName}</strong> (new), matched by
        address — primary or alias. Only the people <em>only in the old directory</em> would lose their directory backing at the cut-over.
      </p>
      <CoveragePicture report={report} />
      <div className="form-actions">
        <button type="button" disabled={work !== null} onClick={() => void exportReport()}>
          {work === 'export' ? 'Exporting…' : 'Export CSV'}
        </button>
        {migration.step === 'cutover-preview' ? (
          <button type="button" disabled={work !== null} onClick={() => void readNew()}>
            Read {migration.newIntegrationName} again and compare
          </button>
        ) : null}
      </div>
      <CoverageTables report={report} />
      {migration.step === 'cutover-preview' ? (
        <div className="form-actions wizard-next">
          <button type="button" className="primary" disabled={work !== null} onClick={() => void computePreview()}>
            {work === 'preview' ? 'Working out the cut-over…' : 'Next: preview the cut-over'}
          </button>
        </div>
      ) : null}
    </div>
  )
}

interface Tile {
  readonly key: string
  readonly label: string
  readonly value: number
  readonly tone: 'ok' | 'info' | 'warn' | 'error' | 'neutral'
  readonly help: string
}

/** Counts as tiles, and the old directory's users as one bar: covered by address, by alias, not at all. */
export function CoveragePicture({ report }: { readonly report: CoverageReport }) {
  const { counts } = report
  const userTiles: readonly Tile[] = [
    { key: 'matched', label: 'Matched by address', value: counts.matched, tone: 'ok', help: 'same primary address in both' },
    { key: 'matched-by-alias', label: 'Matched by alias', value: counts.matchedByAlias, tone: 'info', help: 'found through an alias on one side' },
    { key: 'only-in-old', label: 'Only in old', value: counts.onlyInOld, tone: 'error', help: 'not covered by the new directory' },
    { key: 'only-in-new', label: 'Only in new', value: counts.onlyInNew, tone: 'neutral', help: 'new people, added at the cut-over' },
    { key: 'conflicts', label: 'Conflicts', value: counts.conflicts, tone: 'warn', help: 'owner, display name or enabled flag differ' },
  ]
  const groupTiles: readonly Tile[] = [
    { key: 'groups-matched', label: 'Groups matched', value: counts.matchedGroups, tone: 'ok', help: 'by address, else by name' },
    { key: 'groups-only-in-old', label: 'Groups only in old', value: counts.groupsOnlyInOld, tone: 'error', help: 'not in the new directory' },
    { key: 'groups-only-in-new', label: 'Groups only in new', value: counts.groupsOnlyInNew, tone: 'neutral', help: 'new groups' },
    { key: 'groups-different-members', label: 'Groups with different members', value: counts.groupsWithMembershipDifferences, tone: 'warn', help: 'matched, but members differ' },
  ]
  const total = Math.max(1, counts.oldUsers)
  const covered = counts.matched + counts.matchedByAlias
  const percent = (n: number) => `${((n / total) * 100).toFixed(1)}%`
  const segments = [
    { key: 'matched', label: 'matched by address', value: counts.matched },
    { key: 'matched-by-alias', label: 'matched by alias', value: counts.matchedByAlias },
    { key: 'only-in-old', label: 'only in old', value: counts.onlyInOld },
  ].filter((segment) => segment.value > 0)

  return (
    <div className="coverage-picture">
      <div className="coverage-bar-block">
        <p className="coverage-headline">
          <strong>{formatCount(covered)}</strong> of {formatCount(counts.oldUsers)} old users are covered by the new directory (
          {percent(covered)}); {formatCount(counts.newUsers)} users in the new one.
        </p>
        <div
          className="coverage-bar"
          role="img"
          aria-label={`Old users: ${segments.map((segment) => `${formatCount(segment.value)} ${segment.label} (${percent(segment.value)})`).join(', ')}`}
        >
          {segments.map((segment) => (
            <span key={segment.key} className={`coverage-segment segment-${segment.key}`} style={{ width: percent(segment.value) }} />
          ))}
        </div>
      </div>
      <h3 className="visually-hidden">Users</h3>
      <dl className="tiles" aria-label="Users">
        {userTiles.map((tile) => (
          <TileView key={tile.key} tile={tile} />
        ))}
      </dl>
      <h3 className="visually-hidden">Groups</h3>
      <dl className="tiles" aria-label="Groups">
        {groupTiles.map((tile) => (
          <TileView key={tile.key} tile={tile} />
        ))}
      </dl>
    </div>
  )
}

/** Tiles whose colour is also a segment of the bar get a swatch, so the bar reads without a legend. */
const BAR_KEYS: ReadonlySet<string> = new Set(['matched', 'matched-by-alias', 'only-in-old'])

function TileView({ tile }: { readonly tile: Tile }) {
  return (
    <div className={`tile tile-${tile.tone}`}>
      <dt>
        {BAR_KEYS.has(tile.key) ? <span className={`tile-swatch segment-${tile.key}`} aria-hidden="true" /> : null}
        {tile.label}
      </dt>
      <dd>
        <span className="tile-value" data-testid={`coverage-${tile.key}`}>
          {formatCount(tile.value)}
        </span>
        <span className="tile-help">{tile.help}</span>
      </dd>
    </div>
  )
}
