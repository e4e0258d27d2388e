/**
 * The robustness properties with a fixed seed and a bounded number of runs (a few seconds in all).
 * `pnpm fuzz` runs the same properties with many more runs and any seed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadWeights } from '../../src/saving/index.js';
import { archiveProperty, cleanUp, configProperty, fileBytesProperty, prepare, randomJsonProperty, tfjsProperty, type Property } from './properties.js';
import { FILES } from './corpus.js';
import { Dense, Sequential } from '../../src/index.js';
import { join } from 'node:path';

/** The seed of `pnpm test` (fixed: the same inputs on every run). */
const SEED = 20240611;

const RUNS: [Property, number][] = [
  [configProperty, 300],
  [randomJsonProperty, 200],
  [fileBytesProperty, 80],
  [archiveProperty, 80],
  [tfjsProperty, 100],
];

beforeAll(async () => {
  prepare();
  // h5wasm's first use compiles its WebAssembly: not a property of any input.
  await loadWeights(new Sequential({ layers: [new Dense({ units: 8, inputShape: [4] }), new Dense({ units: 3 })] }), join(FILES, 'mlp_adam_cce.weights.h5')).catch(() => undefined);
});

afterAll(cleanUp);

describe(`robustness properties (seed ${SEED})`, () => {
  for (const [property, numRuns] of RUNS) {
    test(`${property.name}: ${numRuns} inputs end in a model or a clear error (${property.description})`, async () => {
      const report = await property.run({ seed: SEED, numRuns, timeLimitMs: 10_000 });
      expect(report.runs).toBe(numRuns);
    }, 60_000);
  }
});
