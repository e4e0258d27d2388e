import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/index.js';
import { takeRows } from '../../src/engine/data.js';

/** The rows of a batch: no copy when the batch is the whole input in order (predict on one batch). */
describe('takeRows', () => {
  const t = new Tensor([4, 2], 'float32', Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]));

  it('gives the tensor itself for all its rows in order', () => {
    expect(takeRows(t, Int32Array.from([0, 1, 2, 3]))).toBe(t);
  });

  it('copies a contiguous part of the rows', () => {
    const r = takeRows(t, Int32Array.from([1, 2]));
    expect(r.shape).toEqual([2, 2]);
    expect(Array.from(r.data)).toEqual([2, 3, 4, 5]);
    expect(r.data.buffer).not.toBe(t.data.buffer);
  });

  it('gathers rows out of order, all of them included', () => {
    const r = takeRows(t, Int32Array.from([3, 0, 1, 2]));
    expect(r).not.toBe(t);
    expect(Array.from(r.data)).toEqual([6, 7, 0, 1, 2, 3, 4, 5]);
  });
});
