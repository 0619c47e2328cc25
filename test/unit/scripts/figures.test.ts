import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFigures, recordFigures, renderFiguresTable } from '../../reliability/figures.ts'
import { makeTempDir } from '../../helpers/test-core.ts'

describe('the figures the suites compute', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let path: string
  beforeEach(() => {
    tmp = makeTempDir('dirsync-figures')
    path = join(tmp.path, 'figures.json')
  })
  afterEach(() => tmp.remove())

  it('sum each figure over its sources; a rerun of a suite replaces its count instead of adding to it', () => {
    recordFigures('SIGKILL', { faultsSurvived: 83 }, path)
    recordFigures('IPC payloads', { invalidInputsTried: 26_411, validInputsAccepted: 8_589 }, path)
    recordFigures('SIGKILL', { faultsSurvived: 83 }, path)
    recordFigures('clock jumps', { faultsSurvived: 5 }, path)
    const figures = readFigures(path)
    expect(figures.faultsSurvived).toEqual({ total: 88, breakdown: { 'clock jumps': 5, SIGKILL: 83 } })
    expect(figures.invalidInputsTried.total).toBe(26_411)
    expect(figures.validInputsAccepted.total).toBe(8_589)
    expect(figures.secretsFound).toEqual({ total: 0, breakdown: {} })
  })

  it('render as the README table, totals in bold with their breakdown', () => {
    recordFigures('secrets scan', { secretsFound: 0 }, path)
    recordFigures('IPC payloads', { invalidInputsTried: 26_411 }, path)
    const table = renderFiguresTable(readFigures(path))
    expect(table).toContain('| Invalid inputs tried (each refused, none crashed) | **26,411** | IPC payloads 26,411 |')
    expect(table).toContain('| Secrets found in clear text | **0** | secrets scan 0 |')
    expect(table.split('\n')[0]).toMatch(/^<!-- figures:begin/)
  })
})
