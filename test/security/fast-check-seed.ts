import fc from 'fast-check'

/**
 * CI fuzzes with a fixed seed so a red run is reproducible and not a coin toss; set
 * FUZZ_SEED=random (or a number) to explore further locally. A failure prints its seed and path.
 */
const requested = process.env['FUZZ_SEED']
const seed = requested === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(requested ?? 20261127)
fc.configureGlobal({ seed })
