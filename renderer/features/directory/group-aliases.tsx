/**
 * A group's alias addresses (mail to any of them reaches the group), for every view of a group:
 * `AliasCount` beside its address in a row, `GroupAliases` as a list in a detail pane.
 */

/** "+2 aliases" after a group's address, the aliases themselves on hover; nothing when there are none. */
export function AliasCount({ aliases }: { readonly aliases: readonly string[] }) {
  if (aliases.length === 0) return null
  return (
    <span className="muted" title={aliases.join(', ')}>
      {' '}+{aliases.length} {aliases.length === 1 ? 'alias' : 'aliases'}
    </span>
  )
}

/** The aliases as a list under a heading; nothing when there are none. */
export function GroupAliases({ aliases }: { readonly aliases: readonly string[] }) {
  if (aliases.length === 0) return null
  return (
    <section aria-label="Aliases">
      <h3>Aliases</h3>
      <ul className="alias-list">
        {aliases.map((alias) => (
          <li key={alias}>{alias}</li>
        ))}
      </ul>
    </section>
  )
}
