import { AndFilter, EqualityFilter, type Filter, FilterParser, GreaterThanEqualsFilter, NotFilter, OrFilter, escapeFilter } from 'ldapts'
import { ConnectorError } from '../connector-error.ts'

/**
 * Filters are built as ldapts filter objects, which are BER-encoded value by value: a value is
 * never parsed as filter syntax, so `*)(uid=*` in a value matches only that literal text
 * (RFC 4515 escaping happens when the filter is printed). Admin-written filters are parsed once,
 * up front, so a typo is a settings error, not a failed read.
 */

export function parseAdminFilter(text: string | undefined, fallback: string, what: 'user' | 'group'): Filter {
  const source = text?.trim() ? text.trim() : fallback
  try {
    return FilterParser.parseString(source.startsWith('(') ? source : `(${source})`)
  } catch (error) {
    throw new ConnectorError('config', `The ${what} filter is not a valid LDAP filter: ${source}`, { cause: error })
  }
}

/** (&(base)(attribute>=value)) — incremental reads. */
export function changedSince(base: Filter, attribute: string, value: string): Filter {
  return new AndFilter({ filters: [base, new GreaterThanEqualsFilter({ attribute, value })] })
}

/** (&(base)(attribute>=value)(!(attribute=value))) — strictly after; LDAP has no `>`. */
export function changedAfter(base: Filter, attribute: string, value: string): Filter {
  return new AndFilter({ filters: [base, new GreaterThanEqualsFilter({ attribute, value }), new NotFilter({ filter: new EqualityFilter({ attribute, value }) })] })
}

/** (&(base)(|(a1=value)(a2=prefix+value)…)) — looking an address up; the value is matched literally. */
export function matchingAny(base: Filter, clauses: readonly { attribute: string; value: string }[]): Filter {
  const equals = clauses.filter((c) => c.attribute).map((c) => new EqualityFilter({ attribute: c.attribute, value: c.value }))
  return new AndFilter({ filters: [base, equals.length === 1 ? equals[0]! : new OrFilter({ filters: equals })] })
}

/** The RFC 4515 string form, for display and logs: `(mail=a\2a\29\28uid=\2a)`. */
export function filterText(filter: Filter): string {
  return filter.toString()
}

/** Escapes one value for a filter string (RFC 4515): `*`, `(`, `)`, `\`, NUL. */
export function escapeFilterValue(value: string): string {
  return escapeFilter`${value}`
}
