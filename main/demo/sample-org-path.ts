import { join } from 'node:path'

/** File name of the bundled demo organisation (an ldifde-style export, ~200 users). */
export const SAMPLE_ORG_FILE_NAME = 'sample-org.ldif'

/**
 * Absolute path of the bundled sample organisation. In development it sits next to this module
 * (main/demo/); the packaged app copies it next to the main bundle, so the Electron shell passes
 * that directory (e.g. `join(app.getAppPath(), 'out/main')` or `process.resourcesPath`) as `directory`.
 */
export function sampleOrgPath(directory?: string): string {
  return join(directory ?? import.meta.dirname, SAMPLE_ORG_FILE_NAME)
}
