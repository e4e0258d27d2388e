import { ops, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { Add, Average, Concatenate, Dot, Input, Maximum, Minimum, Multiply, Subtract, add, concatenate, dot, type KerasTensor, type Tensor } from '../../src/index.js';
import { bool, expectClose, expectRoundTrip, f32, randomTensor, runTraced, floatMask } from './helpers.js';

describe('elementwise merge layers', () => {
  const a = f32([2, 3], [1, -2, 3, 4, 5, -6]);
  const b = f32([2, 3], [2, 2, -1, 0, 7, 1]);
  const c = f32([2, 3], [0, 1, 2, 3, 4, 5]);
  const zip3 = (f: (x: number, y: number, z: number) => number) => Array.from(a.data, (x, i) => f(x, b.data[i], c.data[i]));

  it('compute Keras 2 math over two or more inputs', () => {
    expectClose(new Add().apply([a, b, c]), zip3((x, y, z) => x + y + z));
    expectClose(new Subtract().apply([a, b]), zip3((x, y) => x - y));
    expectClose(new Multiply().apply([a, b, c]), zip3((x, y, z) => x * y * z));
    expectClose(new Average().apply([a, b, c]), zip3((x, y, z) => (x + y + z) / 3));
    expectClose(new Maximum().apply([a, b, c]), zip3((x, y, z) => Math.max(x, y, z)));
    expectClose(new Minimum().apply([a, b, c]), zip3((x, y, z) => Math.min(x, y, z)));
    expectClose(new Add().apply([a]), Array.from(a.data));
  });

  it('expand lower-rank inputs at axis 1 and broadcast size-1 axes', () => {
    // [2, 3] + [2, 2, 3]: the first becomes [2, 1, 3].
    const big = f32([2, 2, 3], [0, 0, 0, 10, 10, 10, 0, 0, 0, 20, 20, 20]);
    const y = new Add().apply([a, big]);
    expect(y.shape).toEqual([2, 2, 3]);
    expectClose(y, [1, -2, 3, 11, 8, 13, 4, 5, -6, 24, 25, 14]);
    const m = new Multiply().apply([f32([2, 1, 3], [1, 2, 3, 4, 5, 6]), f32([2, 2, 1], [1, 10, 100, 1000])]);
    expect(m.shape).toEqual([2, 2, 3]);
    expectClose(m, [1, 2, 3, 10, 20, 30, 400, 500, 600, 4000, 5000, 6000]);
    const out = new Add().apply([Input({ shape: [3] }), Input({ shape: [4, 3] })]);
    expect(out.shape).toEqual([null, 4, 3]);
    expect(new Add().computeOutputShape([[null, 3], [5, 4, 1]])).toEqual([5, 4, 3]);
  });

  it('AND the input masks', () => {
    const [m] = runTraced([a, b, bool([2], [1, 0]), bool([2], [1, 1])], ([x, y, mx, my]) => {
      const layer = new Add();
      layer.apply([x, y], { mask: [mx, my] });
      return [floatMask(layer.computeMask([x, y], [mx, my])), floatMask(layer.computeMask([x, y], [null, my]))];
    });
    expectClose(m, [1, 0]);
    expect(new Add().computeMask([], [null, null])).toBeNull();
  });

  it('refuse single inputs, incompatible shapes and batch sizes, with the shapes in the message', () => {
    expect(() => new Add({ name: 'add_s' }).apply(Input({ shape: [3] }))).toThrow(/Add 'add_s'.*list of inputs.*\(None, 3\)/);
    expect(() => new Add({ name: 'add_i' }).apply([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(/Add 'add_i'.*incompatible shapes \(3,\) and \(4,\)/);
    expect(() => new Maximum({ name: 'max_b' }).apply([f32([2, 1], [1, 2]), f32([3, 1], [1, 2, 3])])).toThrow(/Maximum 'max_b'.*different batch sizes.*\(2, 1\), \(3, 1\)/);
    expect(() => new Subtract({ name: 'sub_3' }).apply([a, b, c])).toThrow(/Subtract 'sub_3' should be called on exactly 2 inputs, got 3/);
  });

  it('config round trip, functional helpers', () => {
    for (const l of [new Add(), new Subtract(), new Multiply(), new Average(), new Maximum(), new Minimum()]) {
      expect(Object.keys(expectRoundTrip(l))).toEqual(['name', 'trainable', 'dtype']);
    }
    const y = add([Input({ shape: [2] }), Input({ shape: [2] })]);
    expect(y.shape).toEqual([null, 2]);
  });
});

describe('Concatenate', () => {
  it('concatenates along an axis; output shapes keep unknown sizes', () => {
    const y = new Concatenate({ axis: 1 }).apply([f32([1, 1, 2], [1, 2]), f32([1, 2, 2], [3, 4, 5, 6])]);
    expect(y.shape).toEqual([1, 3, 2]);
    expectClose(y, [1, 2, 3, 4, 5, 6]);
    expect(new Concatenate({ axis: 1 }).computeOutputShape([
      [null, 2, 3],
      [null, null, 3],
    ])).toEqual([null, null, 3]);
    expect(concatenate([Input({ shape: [2] }), Input({ shape: [5] })]).shape).toEqual([null, 7]);
    expect(expectRoundTrip(new Concatenate({ axis: 2 })).axis).toBe(2);
  });

  it('concatenates masks (unmasked inputs count as all true) and ANDs over the last axis', () => {
    const x1 = f32([1, 2, 2], [1, 2, 3, 4]);
    const x2 = f32([1, 2, 1], [5, 6]);
    const [last, time] = runTraced([x1, x2, bool([1, 2], [1, 0])], ([p, q, m]) => {
      const byLast = new Concatenate();
      const byTime = new Concatenate({ axis: 1 });
      const pp = ops.concat([p, p], 2); // [1, 2, 4] to concatenate with [1, 2, 4] along the time axis
      const qq = ops.concat([q, q, q, q], 2);
      return [
        floatMask(byLast.computeMask([p, q], [m, null])),
        floatMask(byTime.computeMask([pp, qq], [null, m])),
      ];
    });
    expectClose(last, [1, 0]);
    expect(time.shape).toEqual([1, 4]);
    expectClose(time, [1, 1, 1, 0]);
  });

  it('refuses mismatched shapes and out-of-range axes', () => {
    expect(() => new Concatenate({ name: 'cat_m' }).apply([Input({ shape: [2, 3] }), Input({ shape: [4, 3] })])).toThrow(
      /Concatenate 'cat_m' requires inputs with matching shapes except for the concatenation axis \(axis -1\); got shapes \[\(None, 2, 3\), \(None, 4, 3\)\]/,
    );
    expect(() => new Concatenate({ name: 'cat_r' }).apply([Input({ shape: [2] }), Input({ shape: [2, 3] })])).toThrow(/cat_r' requires inputs with matching shapes/);
    expect(() => new Concatenate({ name: 'cat_a', axis: 3 }).apply([Input({ shape: [2] }), Input({ shape: [2] })])).toThrow(/cat_a.*axis 3 is out of range for inputs of rank 2/);
    expect(() => new Concatenate({ name: 'cat_z', axis: 1.5 })).toThrow(/Concatenate 'cat_z'.*'axis' got 1.5/);
  });
});

describe('Dot', () => {
  /** Reference batch_dot over plain arrays. */
  function batchDot(x: Tensor, y: Tensor, a1: number, a2: number): number[] {
    const [B] = x.shape;
    const strides = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((p, q) => p * q, 1));
    const sx = strides(x.shape);
    const sy = strides(y.shape);
    const restX = x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a1);
    const restY = y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a2);
    const idx = (dims: number[], shape: number[]): number[][] =>
      dims.reduce<number[][]>((acc, d) => acc.flatMap((p) => Array.from({ length: shape[d] }, (_, k) => [...p, k])), [[]]);
    const out: number[] = [];
    for (let b = 0; b < B; b++)
      for (const ix of idx(restX, x.shape))
        for (const iy of idx(restY, y.shape)) {
          let s = 0;
          for (let k = 0; k < x.shape[a1]; k++) {
            let ox = b * sx[0] + k * sx[a1];
            restX.forEach((d, j) => (ox += ix[j] * sx[d]));
            let oy = b * sy[0] + k * sy[a2];
            restY.forEach((d, j) => (oy += iy[j] * sy[d]));
            s += x.data[ox] * y.data[oy];
          }
          out.push(s);
        }
    return out;
  }

  it('contracts one axis of each input, batched (as batch_dot)', () => {
    const x = randomTensor([2, 3, 4], 1);
    const y = randomTensor([2, 4, 5], 2);
    const r = new Dot({ axes: [2, 1] }).apply([x, y]);
    expect(r.shape).toEqual([2, 3, 5]);
    expectClose(r, batchDot(x, y, 2, 1));
    const x2 = randomTensor([2, 4, 3], 3);
    const z = randomTensor([2, 4], 4);
    const r2 = new Dot({ axes: 1 }).apply([x2, z]);
    expect(r2.shape).toEqual([2, 3]);
    expectClose(r2, batchDot(x2, z, 1, 1));
    const r3 = new Dot({ axes: -1 }).apply([z, z]);
    expect(r3.shape).toEqual([2, 1]);
    expectClose(r3, batchDot(z, z, 1, 1));
  });

  it('normalize gives cosine similarities', () => {
    const r = new Dot({ axes: 1, normalize: true }).apply([f32([2, 2], [3, 4, 1, 0]), f32([2, 2], [4, 3, 0, 2])]);
    expectClose(r, [24 / 25, 0]);
  });

  it('shapes, errors, config', () => {
    expect(new Dot({ axes: [1, 2] }).computeOutputShape([
      [null, 3, 4],
      [null, 5, 3],
    ])).toEqual([null, 4, 5]);
    expect(dot([Input({ shape: [3] }), Input({ shape: [3] })], { axes: 1 }).shape).toEqual([null, 1]);
    expect(() => new Dot({ name: 'dot_m', axes: 1 }).apply([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(/Dot 'dot_m'.*axis values 3 \(at axis 1\) != 4 \(at axis 1\)/);
    expect(() => new Dot({ name: 'dot_0', axes: 0 }).apply([Input({ shape: [3] }), Input({ shape: [3] })])).toThrow(/dot_0.*axis 0 \(the batch axis\)/);
    expect(() => new Dot({ name: 'dot_3', axes: 1 }).apply([Input({ shape: [3] }), Input({ shape: [3] }), Input({ shape: [3] })])).toThrow(/dot_3.*list of 2 inputs, got 3/);
    // @ts-expect-error -- axes with three entries, wrong on purpose
    expect(() => new Dot({ name: 'dot_x', axes: [1, 2, 3] })).toThrow(/Dot 'dot_x'.*'axes' got \[1,2,3\]/);
    const c = expectRoundTrip(new Dot({ axes: [1, 2], normalize: true }));
    expect(c.axes).toEqual([1, 2]);
    expect(new Dot({ axes: 1 }).computeMask([], [null, null])).toBeNull();
  });
});
