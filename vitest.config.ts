import { defineConfig } from 'vitest/config'

// Four projects: `unit` (plain Node, fast: the edit-test loop), `renderer` (React in happy-dom),
// `reliability` (secrets scan, fuzzing, fault injection: slower, no servers) and `integration`
// (real slapd / Samba AD / emulators, started once per suite by global setups).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'reliability',
          environment: 'node',
          include: ['test/security/**/*.test.ts', 'test/reliability/**/*.test.ts'],
          exclude: ['test/reliability/servers/**'],
          setupFiles: ['test/security/fast-check-seed.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts', 'test/reliability/servers/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Real servers are shared by the suite; files run one after another so they do not trample each other.
          fileParallelism: false,
        },
      },
    ],
  },
})
