// Regenerates main/demo/sample-org.ldif, the bundled demo organisation, deterministically:
//   node scripts/generate-sample-org.ts
// The same code (and seed) always writes the same bytes, so a diff of the .ldif shows real changes only.
import { writeFileSync } from 'node:fs'
import { generateSampleOrgLdif } from '../main/demo/sample-org-generator.ts'
import { sampleOrgPath } from '../main/demo/sample-org-path.ts'

const target = sampleOrgPath()
const text = [...generateSampleOrgLdif()].join('')
writeFileSync(target, text)
console.log(`wrote ${target} (${text.length.toLocaleString('en-US')} characters)`)
