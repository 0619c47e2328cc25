import { formatDateTime, formatUtc } from './format.ts'

/** A time in the admin's local zone ("Today 8:00 AM"), with the UTC value on hover and for assistive tech. */
export function LocalTime({ iso }: { readonly iso: string | null | undefined }) {
  if (!iso) return <>—</>
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {formatDateTime(iso)}
    </time>
  )
}
