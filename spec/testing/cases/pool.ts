import { ops, sizeOf } from '../../src/index.js';
import { rand, t, type OpCase, type TensorLit } from '../case.js';

/**
 * Distinct values 0.1 apart in a shuffled order (no ties, and no argmax flips under the
 * finite-difference step), centred on 0.
 */
function distinct(shape: readonly number[], seed = 1): TensorLit {
  const n = sizeOf(shape);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (i - n / 2) * 0.1;
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [data[i], data[j]] = [data[j], data[i]];
  }
  return { shape: [...shape], dtype: 'float32', data };
}

/**
 * An independent reference of TF pooling on [N, ...spatial, C]: walks every output index and
 * every window offset, with 'same' padding split as TF (extra element at the end).
 */
function refPool(x: TensorLit, kind: 'max' | 'avg', k: readonly number[], s: readonly number[], padding: 'valid' | 'same'): TensorLit {
  const r = k.length;
  const N = x.shape[0];
  const C = x.shape[r + 1];
  const inSp = x.shape.slice(1, r + 1);
  const outSp = inSp.map((n, d) => (padding === 'same' ? Math.ceil(n / s[d]) : Math.floor((n - k[d]) / s[d]) + 1));
  const before = inSp.map((n, d) => (padding === 'same' ? Math.floor(Math.max((outSp[d] - 1) * s[d] + k[d] - n, 0) / 2) : 0));
  const outShape = [N, ...outSp, C];
  const data = new Float32Array(sizeOf(outShape));
  const idxOf = (flat: number, dims: readonly number[]) => {
    const out: number[] = [];
    for (let d = dims.length - 1; d >= 0; d--) {
      out[d] = flat % dims[d];
      flat = Math.floor(flat / dims[d]);
    }
    return out;
  };
  const nWin = sizeOf(k);
  for (let flat = 0; flat < data.length; flat++) {
    const [n, ...rest] = idxOf(flat, outShape);
    const c = rest[r];
    let best = -Infinity;
    let total = 0;
    let count = 0;
    for (let w = 0; w < nWin; w++) {
      const off = idxOf(w, k);
      const pos = off.map((o, d) => rest[d] * s[d] - before[d] + o);
      if (pos.some((p, d) => p < 0 || p >= inSp[d])) continue;
      let lin = n;
      pos.forEach((p, d) => (lin = lin * inSp[d] + p));
      const v = x.data[lin * C + c];
      best = Math.max(best, v);
      total += v;
      count++;
    }
    data[flat] = kind === 'max' ? best : total / count;
  }
  return { shape: outShape, dtype: 'float32', data };
}

const x4x4 = t(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
const x3x3 = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
const x3d = distinct([2, 3, 4, 3, 2], 7);
const x2d = distinct([2, 5, 4, 2], 3);
const xg1 = distinct([1, 7, 2], 9);
const xg2 = distinct([2, 3, 3, 2], 5);
const xg3 = distinct([1, 2, 3, 3, 1], 11);
const xga = rand([2, 3, 4, 2], 13);

export const poolCases: OpCase[] = [
  // ---- max_pool / avg_pool forward, hand-checked ----
  {
    name: 'max_pool 2d 2x2 valid (strides default to poolSize)',
    ops: ['max_pool'],
    inputs: [x4x4],
    build: (x) => ops.maxPool(x, { poolSize: [2, 2] }),
    expected: t([6, 8, 14, 16], [1, 2, 2, 1]),
  },
  {
    name: 'avg_pool 2d 2x2 valid',
    ops: ['avg_pool'],
    inputs: [x4x4],
    build: (x) => ops.avgPool(x, { poolSize: 2 }),
    expected: t([3.5, 5.5, 11.5, 13.5], [1, 2, 2, 1]),
  },
  {
    name: 'avg_pool 2d 3x3 stride 1 same excludes padded positions from the count',
    ops: ['avg_pool'],
    inputs: [x3x3],
    build: (x) => ops.avgPool(x, { poolSize: 3, strides: 1, padding: 'same' }),
    // corners average 4 pixels, edges 6, the centre 9
    expected: t([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7], [1, 3, 3, 1]),
  },
  {
    name: 'max_pool 2d 3x3 stride 1 same',
    ops: ['max_pool'],
    inputs: [x3x3],
    build: (x) => ops.maxPool(x, { poolSize: [3, 3], strides: [1, 1], padding: 'same' }),
    expected: t([5, 6, 6, 8, 9, 9, 8, 9, 9], [1, 3, 3, 1]),
  },
  {
    name: 'avg_pool 1d pool 2 stride 2 same on odd length: the last window is half padding',
    ops: ['avg_pool'],
    inputs: [t([1, 2, 3, 4, 5], [1, 5, 1])],
    build: (x) => ops.avgPool(x, { poolSize: 2, padding: 'same' }),
    expected: t([1.5, 3.5, 5], [1, 3, 1]),
  },
  {
    name: 'max_pool 1d pool 2 stride 2 same on odd length',
    ops: ['max_pool'],
    inputs: [t([1, -2, 3, -4, -5], [1, 5, 1])],
    build: (x) => ops.maxPool(x, { poolSize: 2, padding: 'same' }),
    // padding never wins, even against negative values
    expected: t([1, 3, -5], [1, 3, 1]),
  },
  {
    name: 'avg_pool 1d same puts the extra pad at the end (pool 3, stride 2, length 4)',
    ops: ['avg_pool'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1])],
    build: (x) => ops.avgPool(x, { poolSize: 3, strides: 2, padding: 'same' }),
    // total pad 1 -> 0 before, 1 after: windows [1,2,3] and [3,4,pad]
    expected: t([2, 3.5], [1, 2, 1]),
  },
  {
    name: 'avg_pool and max_pool 1d same pool 4 stride 1 (pad 1 before, 2 after)',
    ops: ['avg_pool', 'max_pool'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1])],
    build: (x) => [ops.avgPool(x, { poolSize: 4, strides: 1, padding: 'same' }), ops.maxPool(x, { poolSize: 4, strides: 1, padding: 'same' })],
    expected: [t([2, 2.5, 3, 3.5], [1, 4, 1]), t([3, 4, 4, 4], [1, 4, 1])],
  },
  {
    name: 'max_pool and avg_pool 1d pool 3 stride 1 valid (overlapping windows)',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([1, 5, 2, 8, 3, 7], [1, 6, 1])],
    build: (x) => [ops.maxPool(x, { poolSize: 3, strides: 1 }), ops.avgPool(x, { poolSize: 3, strides: 1 })],
    expected: [t([5, 8, 8, 8], [1, 4, 1]), t([8 / 3, 5, 13 / 3, 6], [1, 4, 1])],
  },
  {
    name: 'max_pool and avg_pool 1d pool 2 stride 3 valid (gaps between windows)',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([1, 5, 2, 8, 3, 7], [1, 6, 1])],
    build: (x) => [ops.maxPool(x, { poolSize: 2, strides: 3 }), ops.avgPool(x, { poolSize: 2, strides: 3 })],
    expected: [t([5, 8], [1, 2, 1]), t([3, 5.5], [1, 2, 1])],
  },
  {
    name: 'max_pool and avg_pool 3d 2x2x2 valid',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2, 1])],
    build: (x) => [ops.maxPool(x, { poolSize: [2, 2, 2] }), ops.avgPool(x, { poolSize: 2 })],
    expected: [t([8], [1, 1, 1, 1, 1]), t([4.5], [1, 1, 1, 1, 1])],
  },
  {
    name: 'max_pool and avg_pool batch 2, channels 2 pool each channel separately',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([1, 2, 3, 4, 5, 6, 7, 8, 8, -1, 6, -3, 4, -5, 2, -7], [2, 2, 2, 2])],
    build: (x) => [ops.maxPool(x, { poolSize: 2 }), ops.avgPool(x, { poolSize: 2 })],
    expected: [t([7, 8, 8, -1], [2, 1, 1, 2]), t([4, 5, 5, -4], [2, 1, 1, 2])],
  },
  {
    name: 'max_pool int32',
    ops: ['max_pool'],
    inputs: [t([3, -1, 7, 2], [1, 4, 1], 'int32')],
    build: (x) => ops.maxPool(x, { poolSize: 2 }),
    expected: t([3, 7], [1, 2, 1], 'int32'),
  },
  // ---- against the reference ----
  {
    name: 'max_pool 3d same, strides differ from poolSize, batch 2 and 2 channels (reference)',
    ops: ['max_pool'],
    inputs: [x3d],
    build: (x) => ops.maxPool(x, { poolSize: [2, 3, 2], strides: [1, 2, 2], padding: 'same' }),
    expected: refPool(x3d, 'max', [2, 3, 2], [1, 2, 2], 'same'),
  },
  {
    name: 'avg_pool 3d same, strides differ from poolSize, batch 2 and 2 channels (reference)',
    ops: ['avg_pool'],
    inputs: [x3d],
    build: (x) => ops.avgPool(x, { poolSize: [2, 3, 2], strides: [1, 2, 2], padding: 'same' }),
    expected: refPool(x3d, 'avg', [2, 3, 2], [1, 2, 2], 'same'),
  },
  {
    name: 'avg_pool 3d valid with stride 1 (reference)',
    ops: ['avg_pool'],
    inputs: [x3d],
    build: (x) => ops.avgPool(x, { poolSize: [2, 2, 3], strides: 1 }),
    expected: refPool(x3d, 'avg', [2, 2, 3], [1, 1, 1], 'valid'),
  },
  {
    name: 'max_pool and avg_pool 2d 3x3 stride 2 same on 5x4 (reference)',
    ops: ['max_pool', 'avg_pool'],
    inputs: [x2d],
    build: (x) => [ops.maxPool(x, { poolSize: 3, strides: 2, padding: 'same' }), ops.avgPool(x, { poolSize: 3, strides: 2, padding: 'same' })],
    expected: [refPool(x2d, 'max', [3, 3], [2, 2], 'same'), refPool(x2d, 'avg', [3, 3], [2, 2], 'same')],
  },
  // ---- edge shapes ----
  {
    name: 'max_pool and avg_pool with size-1 spatial dims and pool 1',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([4, -2], [1, 1, 1, 2])],
    build: (x) => [ops.maxPool(x, { poolSize: 1 }), ops.avgPool(x, { poolSize: [1, 1], padding: 'same' })],
    expected: [t([4, -2], [1, 1, 1, 2]), t([4, -2], [1, 1, 1, 2])],
  },
  {
    name: 'max_pool same with a window larger than a size-1 axis',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([1, 4, 2, 3], [1, 1, 4, 1])],
    build: (x) => [ops.maxPool(x, { poolSize: [3, 2], padding: 'same' }), ops.avgPool(x, { poolSize: [3, 2], padding: 'same' })],
    expected: [t([4, 3], [1, 1, 2, 1]), t([2.5, 2.5], [1, 1, 2, 1])],
  },
  {
    name: 'max_pool and avg_pool with batch 0',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([], [0, 4, 4, 2])],
    build: (x) => [ops.maxPool(x, { poolSize: 2 }), ops.avgPool(x, { poolSize: 2 })],
    expected: [t([], [0, 2, 2, 2]), t([], [0, 2, 2, 2])],
  },
  {
    name: 'max_pool and avg_pool same with a size-0 spatial axis',
    ops: ['max_pool', 'avg_pool'],
    inputs: [t([], [1, 0, 3, 1])],
    build: (x) => [ops.maxPool(x, { poolSize: 2, padding: 'same' }), ops.avgPool(x, { poolSize: 2, padding: 'same' })],
    expected: [t([], [1, 0, 2, 1]), t([], [1, 0, 2, 1])],
  },
  // ---- backprop ops, forward ----
  {
    name: 'max_pool_grad routes dy to each window maximum',
    ops: ['max_pool_grad'],
    inputs: [t([1, 3, 2, 0], [1, 4, 1]), t([10, 20], [1, 2, 1])],
    build: (x, dy) => ops.maxPoolGrad(x, dy, { poolSize: 2 }),
    expected: t([0, 10, 20, 0], [1, 4, 1]),
  },
  {
    name: 'max_pool_grad sums over overlapping windows sharing a maximum',
    ops: ['max_pool_grad'],
    inputs: [t([1, 3, 2], [1, 3, 1]), t([10, 20], [1, 2, 1])],
    build: (x, dy) => ops.maxPoolGrad(x, dy, { poolSize: 2, strides: 1 }),
    expected: t([0, 30, 0], [1, 3, 1]),
  },
  {
    name: 'max_pool_grad ties go to the first maximum in row-major window order',
    ops: ['max_pool_grad'],
    inputs: [t([1, 5, 5, 2, 2, 2, 1, 1], [2, 2, 2, 1]), t([7, 9], [2, 1, 1, 1])],
    build: (x, dy) => ops.maxPoolGrad(x, dy, { poolSize: 2 }),
    expected: t([0, 7, 0, 0, 9, 0, 0, 0], [2, 2, 2, 1]),
  },
  {
    name: 'max_pool_grad same: padding never takes the gradient',
    ops: ['max_pool_grad'],
    inputs: [t([-1, -2, -3, -4, -5], [1, 5, 1]), t([1, 2, 3], [1, 3, 1])],
    build: (x, dy) => ops.maxPoolGrad(x, dy, { poolSize: 2, padding: 'same' }),
    expected: t([1, 0, 2, 0, 3], [1, 5, 1]),
  },
  {
    name: 'max_pool_grad_grad gathers g at each window maximum',
    ops: ['max_pool_grad_grad'],
    inputs: [t([1, 3, 2, 0, 4, 6, 5, 7], [1, 4, 2]), t([10, 11, 20, 21, 30, 31, 40, 41], [1, 4, 2])],
    build: (x, g) => ops.maxPoolGradGrad(x, g, { poolSize: 2 }),
    // channel 0: x = 1, 2, 4, 5 -> maxima at pixels 1 and 3; channel 1: x = 3, 0, 6, 7 -> pixels 0 and 3
    expected: t([20, 11, 40, 41], [1, 2, 2]),
  },
  {
    name: 'avg_pool_grad shares dy over the valid positions of each window',
    ops: ['avg_pool_grad'],
    inputs: [t([2, 4, 6], [1, 3, 1])],
    build: (dy) => ops.avgPoolGrad(dy, [1, 5, 1], { poolSize: 2, padding: 'same' }),
    expected: t([1, 1, 2, 2, 6], [1, 5, 1]),
  },
  {
    name: 'avg_pool_grad 2d overlapping windows',
    ops: ['avg_pool_grad'],
    inputs: [t([4, 8, 12, 16], [1, 2, 2, 1])],
    build: (dy) => ops.avgPoolGrad(dy, [1, 3, 3, 1], { poolSize: 2, strides: 1 }),
    // each window has 4 pixels; the centre pixel is in all four windows
    expected: t([1, 3, 2, 4, 10, 6, 3, 7, 4], [1, 3, 3, 1]),
  },
  // ---- gradients ----
  {
    name: 'max_pool 2d gradient (no ties), overlapping same windows',
    ops: ['max_pool'],
    inputs: [xg2],
    build: (x) => ops.maxPool(x, { poolSize: 2, strides: 1, padding: 'same' }),
    expected: refPool(xg2, 'max', [2, 2], [1, 1], 'same'),
    grad: true,
  },
  {
    name: 'max_pool 1d and 3d gradients',
    ops: ['max_pool'],
    inputs: [xg1, xg3],
    build: (a, b) => [ops.maxPool(a, { poolSize: 3, strides: 2 }), ops.maxPool(b, { poolSize: [2, 2, 2], strides: [1, 2, 1], padding: 'same' })],
    expected: [refPool(xg1, 'max', [3], [2], 'valid'), refPool(xg3, 'max', [2, 2, 2], [1, 2, 1], 'same')],
    grad: true,
  },
  {
    name: 'avg_pool gradient, same padding, batch 2',
    ops: ['avg_pool'],
    inputs: [xga],
    build: (x) => ops.avgPool(x, { poolSize: [2, 3], strides: [2, 1], padding: 'same' }),
    expected: refPool(xga, 'avg', [2, 3], [2, 1], 'same'),
    grad: true,
  },
  {
    name: 'max_pool_grad gradient (w.r.t. dy; zero w.r.t. x)',
    ops: ['max_pool_grad'],
    inputs: [distinct([1, 4, 3, 2], 17), rand([1, 2, 3, 2], 19)],
    build: (x, dy) => ops.maxPoolGrad(x, dy, { poolSize: 2, strides: [2, 1], padding: 'same' }),
    check: () => {},
    grad: true,
  },
  {
    name: 'max_pool_grad_grad gradient',
    ops: ['max_pool_grad_grad'],
    inputs: [distinct([1, 4, 3, 2], 23), rand([1, 4, 3, 2], 29)],
    build: (x, g) => ops.maxPoolGradGrad(x, g, { poolSize: 2, strides: 1 }),
    check: () => {},
    grad: true,
  },
  {
    name: 'avg_pool_grad gradient',
    ops: ['avg_pool_grad'],
    inputs: [rand([2, 2, 2, 2], 31)],
    build: (dy) => ops.avgPoolGrad(dy, [2, 3, 4, 2], { poolSize: [2, 3], strides: [2, 2], padding: 'same' }),
    check: () => {},
    grad: true,
  },
  // ---- bad inputs ----
  {
    name: 'max_pool rejects a non-positive pool size',
    ops: ['max_pool'],
    inputs: [t(new Array(16).fill(0), [1, 4, 4, 1])],
    build: (x) => ops.maxPool(x, { poolSize: [0, 2] }),
    throws: /op 'max_pool' \(inputs: float32\[1,4,4,1\]\): attribute 'poolSize' = \[0,2\] must hold 2 positive/,
  },
  {
    name: 'avg_pool rejects a pool size of the wrong rank',
    ops: ['avg_pool'],
    inputs: [t(new Array(4).fill(0), [1, 4, 1])],
    build: (x) => ops.avgPool(x, { poolSize: [2, 2] }),
    throws: /op 'avg_pool' \(inputs: float32\[1,4,1\]\): attribute 'rank' = 2 needs an input of rank 4/,
  },
  {
    name: 'max_pool rejects strides of the wrong length',
    ops: ['max_pool'],
    inputs: [t(new Array(16).fill(0), [1, 4, 4, 1])],
    build: (x) => ops.maxPool(x, { poolSize: [2, 2], strides: [1] }),
    throws: /op 'max_pool' \(inputs: float32\[1,4,4,1\]\): attribute 'strides' = \[1\]/,
  },
  {
    name: 'max_pool rejects a rank-2 input (no spatial axis)',
    ops: ['max_pool'],
    inputs: [t([1, 2, 3, 4], [2, 2])],
    build: (x) => ops.maxPool(x, { poolSize: 2 }),
    throws: /op 'max_pool' \(inputs: float32\[2,2\]\): attribute 'rank' = 0 must be 1, 2 or 3/,
  },
  {
    name: 'avg_pool rejects a window larger than the input with valid padding',
    ops: ['avg_pool'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1])],
    build: (x) => ops.avgPool(x, { poolSize: 3 }),
    throws: /op 'avg_pool' \(inputs: float32\[1,2,2,1\]\): attribute 'poolSize' = \[3,3\] is larger than spatial size 2/,
  },
  {
    name: 'avg_pool rejects int32',
    ops: ['avg_pool'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1], 'int32')],
    build: (x) => ops.avgPool(x, { poolSize: 2 }),
    throws: /op 'avg_pool' \(inputs: int32\[1,4,1\]\): takes float32, not int32/,
  },
  {
    name: 'max_pool rejects an unknown padding',
    ops: ['max_pool'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1])],
    build: (x) => ops.maxPool(x, { poolSize: 2, padding: 'causal' as 'same' }),
    throws: /op 'max_pool' \(inputs: float32\[1,4,1\]\): attribute 'padding'/,
  },
  {
    name: 'max_pool_grad rejects dy of the wrong shape',
    ops: ['max_pool_grad'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1]), t([1, 2, 3], [1, 3, 1])],
    build: (x, dy) => ops.maxPoolGrad(x, dy, { poolSize: 2 }),
    throws: /op 'max_pool_grad' \(inputs: float32\[1,4,1\], float32\[1,3,1\]\): the gradient has shape \[1,3,1\], but pooling \[1,4,1\] gives \[1,2,1\]/,
  },
  {
    name: 'avg_pool_grad rejects an inputShape that does not pool to dy',
    ops: ['avg_pool_grad'],
    inputs: [t([1, 2, 3], [1, 3, 1])],
    build: (dy) => ops.avgPoolGrad(dy, [1, 4, 1], { poolSize: 2 }),
    throws: /op 'avg_pool_grad' \(inputs: float32\[1,3,1\]\): the gradient has shape \[1,3,1\], but pooling attribute 'inputShape' = \[1,4,1\] gives \[1,2,1\]/,
  },
];
