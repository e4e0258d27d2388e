import { defineConfig } from 'vitest/config';

/**
 * Inside the workspace, packages resolve to their TypeScript sources through the
 * `keras-ts-source` export condition. `KERAS_TS_DIST=1` drops it, so that imports between
 * packages load the built `dist/` output instead (CI runs the tests that way once).
 */
const serverDefaults = ['module', 'node', 'development|production']; // Vite's own defaults
const conditions = process.env.KERAS_TS_DIST === '1' ? serverDefaults : ['keras-ts-source', ...serverDefaults];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: process.env.KERAS_TS_DIST === '1' ? [] : ['keras-ts-source'] } },
  test: {
    include: ['spec/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'conformance/test/**/*.test.ts', 'integration/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
