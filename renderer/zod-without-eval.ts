import { z } from 'zod'

// The CSP allows no eval: zod's optional compiled parsers would only probe `new Function` at each
// schema's creation, and each probe is logged as a policy violation. Imported first by main.tsx.
z.config({ jitless: true })
