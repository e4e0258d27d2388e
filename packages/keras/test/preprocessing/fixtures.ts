import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Tensor } from '../../src/index.js';

/** An array as the fixture scripts write it. */
export interface FixtureArray {
  shape: number[];
  data: number[];
}

/** A JSON fixture of test/fixtures/preprocessing (made by the scripts beside it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'preprocessing', name), 'utf8'));
}

/** Expects a tensor to equal a fixture array: same shape, values within `tol` (absolute, plus relative). */
export function expectArray(t: Tensor, want: FixtureArray, tol = 1e-6): void {
  expect(t.shape).toEqual(want.shape);
  const got = Array.from(t.data);
  const bad = want.data.findIndex((w, i) => !(Math.abs(got[i] - w) <= tol * (1 + Math.abs(w))));
  if (bad >= 0) expect.fail(`value ${bad} is ${got[bad]}, expected ${want.data[bad]} (tolerance ${tol}); got [${got.slice(0, 12).join(', ')}...], expected [${want.data.slice(0, 12).join(', ')}...]`);
}
