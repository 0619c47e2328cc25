import { z } from 'zod'
import { DeletePreviewSchema } from './sync-views.ts'

export const MIGRATION_STEPS = ['pick', 'read-new', 'coverage', 'cutover-preview', 'cutover', 'done'] as const
export const MigrationStepSchema = z.enum(MIGRATION_STEPS)
export type MigrationStep = z.infer<typeof MigrationStepSchema>

export const CoverageCategorySchema = z.enum(['matched', 'matched-by-alias', 'only-in-old', 'only-in-new'])
export type CoverageCategory = z.infer<typeof CoverageCategorySchema>

export const CoverageUserSchema = z.object({
  category: CoverageCategorySchema,
  oldPrimary: z.string().nullable(),
  newPrimary: z.string().nullable(),
  oldDisplayName: z.string().nullable(),
  newDisplayName: z.string().nullable(),
  /** The address the match was made on. */
  via: z.string().nullable(),
})
export type CoverageUser = z.infer<typeof CoverageUserSchema>

export const CoverageConflictSchema = z.object({
  kind: z.enum(['owner', 'display-name', 'enabled']),
  address: z.string(),
  old: z.string(),
  new: z.string(),
  detail: z.string(),
})
export type CoverageConflict = z.infer<typeof CoverageConflictSchema>

export const CoverageGroupSchema = z.object({
  category: CoverageCategorySchema,
  oldName: z.string().nullable(),
  newName: z.string().nullable(),
  address: z.string().nullable(),
  membersOnlyInOld: z.array(z.string()),
  membersOnlyInNew: z.array(z.string()),
})
export type CoverageGroup = z.infer<typeof CoverageGroupSchema>

export const CoverageReportSchema = z.object({
  counts: z.object({
    oldUsers: z.number(),
    newUsers: z.number(),
    matched: z.number(),
    matchedByAlias: z.number(),
    onlyInOld: z.number(),
    onlyInNew: z.number(),
    conflicts: z.number(),
    oldGroups: z.number(),
    newGroups: z.number(),
    matchedGroups: z.number(),
    groupsOnlyInOld: z.number(),
    groupsOnlyInNew: z.number(),
    groupsWithMembershipDifferences: z.number(),
  }),
  users: z.array(CoverageUserSchema),
  conflicts: z.array(CoverageConflictSchema),
  groups: z.array(CoverageGroupSchema),
})
export type CoverageReport = z.infer<typeof CoverageReportSchema>

export const CutoverResultSchema = z.object({
  runIds: z.array(z.string()),
  preview: DeletePreviewSchema,
  actual: z.object({ usersDemoted: z.array(z.string()), usersDeleted: z.array(z.string()), membershipsRemoved: z.number(), groupsDeleted: z.array(z.string()) }),
  /** Every way the result differs from the preview; empty when they agree. */
  differences: z.array(z.string()),
})
export type CutoverResult = z.infer<typeof CutoverResultSchema>

export const MigrationViewSchema = z.object({
  id: z.string(),
  oldIntegrationId: z.string(),
  oldIntegrationName: z.string(),
  newIntegrationId: z.string(),
  newIntegrationName: z.string(),
  step: MigrationStepSchema,
  oldDisabledForWindow: z.boolean(),
  newReadAt: z.string().nullable(),
  coverage: CoverageReportSchema.nullable(),
  preview: DeletePreviewSchema.nullable(),
  result: CutoverResultSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type MigrationView = z.infer<typeof MigrationViewSchema>
