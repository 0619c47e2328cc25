import { z } from 'zod'

/** The test-connection ladder; a connector reports the steps that apply to it, in this order. */
export const CONNECTION_STEPS = ['dns', 'tcp', 'tls', 'bind', 'base-read', 'sample-query', 'large-group'] as const
export const ConnectionStepNameSchema = z.enum([...CONNECTION_STEPS, 'token', 'permissions', 'file'])
export type ConnectionStepName = z.infer<typeof ConnectionStepNameSchema>

export const ConnectionStepSchema = z.object({
  step: ConnectionStepNameSchema,
  /** What the step checks, e.g. "Resolve dc1.example.test". */
  label: z.string(),
  verdict: z.enum(['pass', 'warn', 'fail', 'skipped']),
  /** Plain-language finding, e.g. "The server's certificate is not trusted: …". */
  message: z.string(),
  durationMs: z.number(),
})
export type ConnectionStep = z.infer<typeof ConnectionStepSchema>

/** The `integrationId` of steps pushed while a form tests settings that are not saved yet. */
export const DRAFT_TEST_ID = 'draft'
