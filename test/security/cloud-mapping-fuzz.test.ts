import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import { mapGraphUser } from '../../main/connectors/entra/entra-mapping.ts'
import { mapGoogleUser } from '../../main/connectors/google/google-mapping.ts'
import { recordFigures } from '../reliability/figures.ts'

/**
 * Graph and Google Directory API user objects with missing, extra and wrongly typed fields, into
 * the connectors' mappers (fast-check). Each must return either null (skipped: the connector
 * counts and reports it) or a well-formed DirectoryUser — never throw a TypeError halfway through
 * a page, and never let a non-string into the snapshot.
 */
const RUNS = 3000

/** A value of the wrong type for any field: what a proxy, a bug or a schema change may send. */
const wrong = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.double(), fc.boolean(), fc.string({ maxLength: 20 }), fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null)), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }))
const address = fc.emailAddress()

/** Sometimes right, sometimes wrong, sometimes absent: each field independently. */
function field<T>(right: fc.Arbitrary<T>) {
  return fc.option(fc.oneof({ weight: 3, arbitrary: right }, { weight: 2, arbitrary: wrong }), { nil: undefined, freq: 4 })
}

const graphUser = fc.record(
  {
    id: field(fc.uuid()),
    userPrincipalName: field(address),
    mail: field(address),
    proxyAddresses: field(fc.array(address.map((a) => `smtp:${a}`), { maxLength: 3 })),
    displayName: field(fc.string({ maxLength: 20 })),
    accountEnabled: field(fc.boolean()),
    userType: field(fc.constantFrom('Member', 'Guest')),
    department: field(fc.string({ maxLength: 10 })),
    jobTitle: field(fc.string({ maxLength: 10 })),
    extra: field(wrong),
  },
  { requiredKeys: [] },
)

const googleUser = fc.record(
  {
    id: field(fc.string({ minLength: 1, maxLength: 12 })),
    primaryEmail: field(address),
    aliases: field(fc.array(address, { maxLength: 3 })),
    nonEditableAliases: field(fc.array(address, { maxLength: 2 })),
    name: field(fc.record({ fullName: field(fc.string({ maxLength: 20 })) })),
    suspended: field(fc.boolean()),
    archived: field(fc.boolean()),
    orgUnitPath: field(fc.string({ maxLength: 10 })),
    extra: field(wrong),
  },
  { requiredKeys: [] },
)

function wellFormed(user: DirectoryUser): void {
  expect(typeof user.externalId).toBe('string')
  expect(user.externalId.length).toBeGreaterThan(0)
  expect(typeof user.primaryAddress).toBe('string')
  expect(user.primaryAddress).toMatch(/@/)
  expect(typeof user.displayName).toBe('string')
  expect(typeof user.enabled).toBe('boolean')
  for (const alias of user.aliases) expect(typeof alias).toBe('string')
  for (const value of Object.values(user.attributes)) expect(typeof value).toBe('string')
}

describe('Graph and Google user objects with missing, extra or wrongly typed fields (fast-check)', () => {
  const figures = { graph: { mapped: 0, skipped: 0 }, google: { mapped: 0, skipped: 0 } }

  it(`Graph: ${RUNS} objects map to a well-formed user or are skipped, never a crash`, () => {
    fc.assert(
      fc.property(graphUser, (item) => {
        const user = mapGraphUser(item)
        if (user === null) figures.graph.skipped++
        else {
          figures.graph.mapped++
          wellFormed(user)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it(`Google: ${RUNS} objects map to a well-formed user or are skipped, never a crash`, () => {
    fc.assert(
      fc.property(googleUser, (item) => {
        const user = mapGoogleUser(item as never)
        if (user === null) figures.google.skipped++
        else {
          figures.google.mapped++
          wellFormed(user)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('both outcomes were reached', () => {
    for (const f of Object.values(figures)) {
      expect(f.mapped).toBeGreaterThan(100)
      expect(f.skipped).toBeGreaterThan(100)
    }
    recordFigures('Graph/Google user objects', { invalidInputsTried: figures.graph.skipped + figures.google.skipped, validInputsAccepted: figures.graph.mapped + figures.google.mapped })
    console.info(`cloud mapping fuzz: Graph ${figures.graph.mapped} mapped / ${figures.graph.skipped} skipped, Google ${figures.google.mapped} mapped / ${figures.google.skipped} skipped, 0 crashes`)
  })
})
