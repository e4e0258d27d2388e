import { expect } from 'vitest';
import { tensor, type Metric, type Tensor } from '../../src/index.js';

type Nested = number | Nested[];

/** A float32 tensor from nested arrays, or int32 with `int`. */
export function t(values: Nested, int = false): Tensor {
  return tensor(values, undefined, int ? 'int32' : 'float32');
}

/** The metric's result as a number or nested array. */
export async function value(m: Metric): Promise<number | unknown[]> {
  return (await m.resultValue()).toArray() as number | unknown[];
}

/** Updates with one batch and returns the result. */
export async function after(m: Metric, yTrue: Tensor, yPred: Tensor, sw?: Tensor | null): Promise<number | unknown[]> {
  await m.update(yTrue, yPred, sw ?? null);
  return value(m);
}

/** Element-wise closeness of numbers or nested arrays. */
export function close(got: unknown, want: unknown, tol = 1e-5): void {
  if (typeof want === 'number') {
    expect(typeof got).toBe('number');
    const g = got as number;
    if (!(Math.abs(g - want) <= tol + tol * Math.abs(want))) expect(g).toBe(want);
    return;
  }
  expect(Array.isArray(got)).toBe(true);
  const ga = got as unknown[];
  const wa = want as unknown[];
  expect(ga.length).toBe(wa.length);
  ga.forEach((g, i) => close(g, wa[i], tol));
}
