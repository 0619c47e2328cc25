/**
 * electron-builder hooks (electron-builder.yml: beforePack and afterPack both point here; the
 * builder picks the named export that matches the hook's name). Node 24 loads this TypeScript
 * file directly (type stripping), so there is no build step for the packaging scripts.
 */
import { applyFuses, type FusePackContext } from './fuses.ts'
import { describeSigning } from './signing-notice.ts'

const say = (line: string): void => console.log(`  • ${line}`)

export function beforePack(context: Pick<FusePackContext, 'electronPlatformName'>): void {
  for (const line of describeSigning(context.electronPlatformName, process.env).lines) say(line)
}

export async function afterPack(context: FusePackContext): Promise<void> {
  const outcome = await applyFuses(context)
  if (outcome.applied) say(`Electron fuses applied to ${outcome.binary}.`)
  else say(`Electron fuses NOT applied to ${outcome.binary}: ${outcome.reason}. This output must not be shipped.`)
}
