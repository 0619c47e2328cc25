import type { z } from 'zod'

/** First message per top-level field, so each input shows one clear sentence. */
export function issuesByField(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const byField: Record<string, string> = {}
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '')
    byField[key] ??= sentence(issue.message)
  }
  return byField
}

/** zod's own messages ("Invalid input: expected number, received NaN") become plain words. */
function sentence(message: string): string {
  if (/expected number/i.test(message)) return 'enter a number'
  if (/expected string/i.test(message) || /received undefined/i.test(message)) return 'this field is required'
  if (/too small/i.test(message)) return 'the value is too small'
  if (/too big/i.test(message)) return 'the value is too large'
  return message
}
