import { INTEGRATION_TYPE_LABELS, type IntegrationType } from '../../shared/domain/integration-type.ts'

/** Short glyphs: a coloured chip is recognisable at a glance; the label next to it says it in words. */
const GLYPHS: Readonly<Record<IntegrationType, string>> = {
  'active-directory': 'AD',
  ldap: 'LD',
  domino: 'DO',
  entra: 'EN',
  google: 'G',
  'ldif-file': 'FI',
}

export function TypeIcon({ type }: { readonly type: IntegrationType }) {
  return (
    <span className={`type-icon type-${type}`} aria-hidden="true">
      {GLYPHS[type]}
    </span>
  )
}

export function TypeLabel({ type }: { readonly type: IntegrationType }) {
  return (
    <span className="type-label">
      <TypeIcon type={type} />
      <span>{INTEGRATION_TYPE_LABELS[type]}</span>
    </span>
  )
}
