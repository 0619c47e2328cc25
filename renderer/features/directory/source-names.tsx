import type { SourceName } from '../../../shared/domain/directory-detail.ts'

/** Integrations by name, alphabetically, comma-separated ("HR Export, Sample directory (deleted)"); `none` when there are none. */
export function SourceNames({ sources, none }: { readonly sources: readonly SourceName[]; readonly none: string }) {
  if (sources.length === 0) return <span className="muted">{none}</span>
  return <>{sources.map((source) => source.name).sort((a, b) => a.localeCompare(b)).join(', ')}</>
}
