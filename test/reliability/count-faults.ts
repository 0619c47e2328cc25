import { afterAll, afterEach } from 'vitest'
import { recordFigures } from './figures.ts'

/**
 * Inside a describe of fault tests: each test that passes is one fault injected and survived;
 * after the block, the suite's count goes to figures.json. Tests whose name matches `baseline`
 * inject nothing (a steady clock, a clean run) and are not counted.
 */
export function countFaultsSurvived(source: string, baseline: RegExp = /$^/): void {
  let survived = 0
  afterEach(({ task }) => {
    if ((task.result?.errors?.length ?? 0) === 0 && !baseline.test(task.name)) survived++
  })
  afterAll(() => recordFigures(source, { faultsSurvived: survived }))
}
