import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS, type IpcChannel } from '../../shared/ipc/channels.ts'
import { ipcContract } from '../../shared/ipc/contract.ts'
import { dispatch } from '../../main/ipc/dispatch.ts'
import type { Handlers } from '../../main/ipc/handlers.ts'
import { recordFigures } from '../reliability/figures.ts'

/**
 * Every request schema fuzzed through the one door (`dispatch`), 1,000+ payloads per channel:
 * random JSON values, prototype-pollution shapes, and valid requests with one field replaced by
 * a random value. The property: a payload the channel's schema rejects comes back as
 * { ok: false, error: { code: 'invalid-request' } } and no handler runs; one it accepts reaches
 * exactly its own handler once, already parsed. Unknown channel names never reach any handler.
 */
const RUNS_PER_CHANNEL = 1000

/**
 * One valid request per channel: the seed the "one field wrong" mutations start from. A channel
 * added to the contract without a seed here is still fuzzed with random payloads (and named by
 * the seed test, so someone adds one).
 */
const VALID: Partial<{ [C in IpcChannel]: Record<string, unknown> }> = {
  'app:info': {},
  'status:get': {},
  'integrations:list': {},
  'integrations:get': { id: 'HR directory' },
  'integrations:create': { name: 'HR', description: 'd', config: { type: 'ldif-file', settings: { path: '/tmp/x.ldif', format: 'ldif' } }, policy: { maxUnlinks: 500 }, enabled: true, secret: 's' },
  'integrations:update': { id: 'HR', name: 'HR 2', config: { type: 'ldap', settings: { host: 'dc1.example.com', bindDn: 'cn=a', baseDn: 'DC=example,DC=com' } }, secret: null },
  'integrations:set-enabled': { id: 'HR', enabled: false },
  'integrations:test': { id: 'HR' },
  'integrations:test-draft': { id: 'HR', config: { type: 'ldif-file', settings: { path: '/tmp/x.ldif', format: 'ldif' } }, secret: null },
  'integrations:names': {},
  'integrations:delete-preview': { id: 'HR' },
  'integrations:delete': { id: 'HR', confirmName: 'HR' },
  'sync:run': { scope: 'all' },
  'sync:preview': { scope: { integration: 'HR' }, limit: 10 },
  'held:list': { integrationId: 'HR', kind: 'delete-user', reason: 'threshold', offset: 0, limit: 10 },
  'held:approve': { actionIds: ['a1'] },
  'approvals:list': { offset: 0, limit: 5 },
  'runs:list': { limit: 5 },
  'runs:get': { id: 'r1' },
  'journal:query': { user: 'lena@example.org', kind: 'remove-member', newestFirst: true, limit: 50 },
  'directory:users': { query: 'ali', offset: 0, limit: 50 },
  'directory:groups': { query: '' },
  'directory:group-members': { key: 'g1', limit: 10 },
  'directory:user': { address: 'lena@example.org' },
  'directory:group': { key: 'g1' },
  'directory:export-users': { query: 'ali', source: null, addressType: 'transit', after: '' },
  'account:get': {},
  'account:set': { retentionDays: 30, internalDomains: ['example.com'] },
  'audit:list': { event: 'user-deleted', limit: 10 },
}

const anyJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue() },
  { weight: 2, arbitrary: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true, withBoxedValues: true }) },
  { weight: 1, arbitrary: fc.constantFrom(JSON.parse('{"__proto__":{"polluted":true}}') as unknown, { constructor: { prototype: { polluted: true } } }, [], '', 0, -1, Number.NaN, Infinity, null, undefined, 'all', { scope: 'all', __proto__: { limit: 1e9 } }) },
)

/** A valid request with one field (top level or nested one level) replaced, removed or added. */
function mutation(channel: IpcChannel) {
  const valid = VALID[channel] ?? {}
  const keys = Object.keys(valid)
  return fc.tuple(fc.constantFrom('replace', 'remove', 'add', 'nested'), keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('x'), fc.string({ maxLength: 12 }), anyJson).map(([kind, key, extra, random]) => {
    const copy: Record<string, unknown> = structuredClone(valid)
    if (kind === 'replace') copy[key] = random
    else if (kind === 'remove') delete copy[key]
    else if (kind === 'add') copy[extra] = random
    // An array gets an extra element (a random key such as "length" would make it throw in the generator, not in the code under test).
    else if (Array.isArray(copy[key])) copy[key] = [...(copy[key] as unknown[]), random]
    else if (typeof copy[key] === 'object' && copy[key] !== null) (copy[key] as Record<string, unknown>)[extra] = random
    else copy[key] = { [extra]: random }
    return copy
  })
}

const figures = { payloads: 0, rejected: 0, accepted: 0, unknownChannels: 0 }

function recordingHandlers(): { handlers: Handlers; calls: Array<{ channel: string; request: unknown }> } {
  const calls: Array<{ channel: string; request: unknown }> = []
  const handlers = Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, (request: unknown) => (calls.push({ channel, request }), 'handled')])) as unknown as Handlers
  return { handlers, calls }
}

describe('IPC request fuzzing through dispatch (fast-check)', () => {
  it('every seed request is valid for its channel (so the mutations start from a real request)', () => {
    for (const [channel, seed] of Object.entries(VALID)) expect(ipcContract[channel as IpcChannel].request.safeParse(seed).success, channel).toBe(true)
    const unseeded = IPC_CHANNELS.filter((c) => !(c in VALID))
    if (unseeded.length > 0) console.info(`IPC fuzz: no seed request yet for ${unseeded.join(', ')} (random payloads only)`)
  })

  for (const channel of IPC_CHANNELS) {
    it(`${channel}: ${RUNS_PER_CHANNEL} random payloads — invalid ones rejected with a code before any handler, valid ones reach only their handler`, async () => {
      const { handlers, calls } = recordingHandlers()
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyJson, mutation(channel)), async (payload) => {
          calls.length = 0
          figures.payloads++
          const expected = ipcContract[channel].request.safeParse(payload ?? {})
          const result = await dispatch(handlers, channel, payload)
          if (expected.success) {
            figures.accepted++
            expect(result).toEqual({ ok: true, value: 'handled' })
            expect(calls).toEqual([{ channel, request: expected.data }])
          } else {
            figures.rejected++
            expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/^Invalid request: \S/) as string } })
            expect(calls).toEqual([])
          }
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
        }),
        { numRuns: RUNS_PER_CHANNEL },
      )
    })
  }

  it('unknown or malformed channel names (1,000) are refused and reach no handler', async () => {
    const { handlers, calls } = recordingHandlers()
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'integrations:create ', 'INTEGRATIONS:LIST', 'shell:openExternal'), anyJson), anyJson, async (channel, payload) => {
        fc.pre(!(IPC_CHANNELS as readonly unknown[]).includes(channel))
        figures.unknownChannels++
        await expect(dispatch(handlers, channel, payload)).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } })
        expect(calls).toEqual([])
      }),
      { numRuns: 1000 },
    )
  })

  it('rejected far more than it accepted, and tried at least 1,000 payloads per channel', () => {
    expect(figures.payloads).toBeGreaterThanOrEqual(RUNS_PER_CHANNEL * IPC_CHANNELS.length)
    expect(figures.rejected).toBeGreaterThan(figures.payloads / 2)
    expect(figures.accepted).toBeGreaterThan(0)
    recordFigures('IPC payloads', { invalidInputsTried: figures.rejected, validInputsAccepted: figures.accepted })
    recordFigures('IPC unknown channel names', { invalidInputsTried: figures.unknownChannels })
    console.info(`IPC fuzz: ${IPC_CHANNELS.length} channels × ${RUNS_PER_CHANNEL} = ${figures.payloads} payloads (${figures.rejected} rejected with invalid-request before any handler, ${figures.accepted} valid and handled once) + ${figures.unknownChannels} unknown channel names refused`)
  })
})
