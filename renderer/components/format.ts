/** Display helpers. Times are shown in the admin's local time zone, with the date when not today. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

export function formatDateTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  const sameDay = date.toDateString() === now.toDateString()
  return sameDay ? `Today ${timeOnly.format(date)}` : dateTime.format(date)
}

/** "2026-12-06 08:00 UTC": the exact value behind a local time, for its hover text. */
export function formatUtc(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** "3 min ago", "in 2 h", "just now" — a glanceable companion to the absolute time. */
export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return ''
  const deltaMs = new Date(iso).getTime() - now.getTime()
  if (Number.isNaN(deltaMs)) return ''
  const abs = Math.abs(deltaMs)
  const minute = 60_000
  if (abs < minute) return 'just now'
  const [value, unit] = abs < 60 * minute ? [Math.round(abs / minute), 'min'] : abs < 48 * 60 * minute ? [Math.round(abs / (60 * minute)), 'h'] : [Math.round(abs / (24 * 60 * minute)), 'd']
  return deltaMs < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`
}

/** "1.2 s", "3 min 4 s" from two ISO times; "running" while the end is missing. */
export function formatDuration(startIso: string, endIso: string | null): string {
  if (!endIso) return 'running'
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime()
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

export function formatCount(n: number): string {
  return n.toLocaleString()
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}
