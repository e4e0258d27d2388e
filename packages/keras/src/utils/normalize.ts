import { Tensor } from '../tensor.js';
import { normalizeAxis, readArray, stridesOf, type ArrayInput } from './array-input.js';
import { argError } from './checks.js';

/** NumPy's vector norm of order `order` over `n` values read by `at(i)`. */
function vectorNorm(n: number, at: (i: number) => number, order: number): number {
  let acc = order === Infinity ? 0 : order === -Infinity ? Infinity : 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(at(i));
    if (order === Infinity) acc = Math.max(acc, a);
    else if (order === -Infinity) acc = Math.min(acc, a);
    else if (order === 0) acc += a !== 0 ? 1 : 0;
    else if (order === 1) acc += a;
    else if (order === 2) acc += a * a;
    else acc += a ** order;
  }
  if (order === 2) return Math.sqrt(acc);
  if (order === 0 || order === 1 || !Number.isFinite(order)) return acc;
  return acc ** (1 / order);
}

/**
 * Keras 2's `normalize`: `x` divided by its norm of order `order` along `axis` (a zero norm
 * divides by 1). The orders are NumPy's vector norms: `2` (Euclidean, the default), `1`,
 * `Infinity` (largest magnitude), `-Infinity`, `0` (count of non-zeros) and any other `p`
 * (`(sum |x|^p)^(1/p)`). The result is float32, with the shape of `x`, except that a 1-D `x` of
 * `n` values gives shape `[1, n]`, as Keras 2 does.
 *
 * @param x The array: a Tensor or nested arrays of numbers.
 * @param axis The axis to normalize along (default -1, the last).
 * @param order The order of the norm (default 2).
 * @example
 * normalize([[3, 4], [0, 0]]).toArray(); // [[0.6, 0.8], [0, 0]]
 * normalize([[1, 2], [3, 4]], 0, 1).toArray(); // [[0.25, 0.333...], [0.75, 0.666...]]
 */
export function normalize(x: ArrayInput, axis = -1, order = 2): Tensor {
  const fn = 'normalize';
  if (typeof order !== 'number' || Number.isNaN(order)) throw argError(fn, 'order', order, 'a number (2, 1, Infinity, -Infinity, 0 or another p)');
  const { shape, data } = readArray(fn, 'x', x);
  const ax = normalizeAxis(fn, 'axis', axis, shape.length);
  const strides = stridesOf(shape);
  const n = shape[ax];
  const step = strides[ax];
  const out = new Float32Array(data.length);
  // Every (outer, inner) pair is one vector along the axis, starting at outer * n * step + inner.
  const outer = shape.slice(0, ax).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) {
    for (let inner = 0; inner < step; inner++) {
      const base = o * n * step + inner;
      let norm = vectorNorm(n, (i) => data[base + i * step], order);
      if (norm === 0) norm = 1;
      for (let i = 0; i < n; i++) out[base + i * step] = data[base + i * step] / norm;
    }
  }
  return new Tensor(shape.length === 1 ? [1, shape[0]] : shape, 'float32', out);
}
