import { ops, type Sym } from '../../src/index.js';
import { rand, t, type OpCase, type TensorLit } from '../case.js';

// Expected values come from hand-worked examples and from a naive direct convolution written
// here (float64 loops over every output, tap and channel), independent of any kernel.

type Pad = 'valid' | 'same' | 'causal' | [number, number][];

interface RefOptions {
  strides?: number[];
  dilations?: number[];
  padding?: Pad;
  groups?: number;
}

function prod(v: readonly number[]): number {
  return v.reduce((a, b) => a * b, 1);
}

/** Visits every multi-index of `shape` in row-major order. */
function forIndex(shape: readonly number[], fn: (idx: number[]) => void): void {
  if (shape.some((d) => d === 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    fn(idx);
    let d = shape.length - 1;
    while (d >= 0 && ++idx[d] === shape[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

function flatIndex(shape: readonly number[], idx: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i] + idx[i];
  return f;
}

interface RefGeometry {
  rank: number;
  s: number[];
  d: number[];
  before: number[];
  outSpatial: number[];
  groups: number;
}

/** The window geometry of a conv on input `xs` with kernel `ws`, TF rules written out by hand. */
function refGeometry(xs: readonly number[], ws: readonly number[], o: RefOptions): RefGeometry {
  const rank = ws.length - 2;
  const s = o.strides ?? ws.slice(0, rank).map(() => 1);
  const d = o.dilations ?? ws.slice(0, rank).map(() => 1);
  const padding = o.padding ?? 'valid';
  const before: number[] = [];
  const outSpatial: number[] = [];
  for (let i = 0; i < rank; i++) {
    const n = xs[i + 1];
    const ek = (ws[i] - 1) * d[i] + 1;
    let b: number;
    let a: number;
    if (padding === 'valid') [b, a] = [0, 0];
    else if (padding === 'causal') [b, a] = [ek - 1, 0];
    else if (padding === 'same') {
      const out = Math.ceil(n / s[i]);
      const total = Math.max((out - 1) * s[i] + ek - n, 0);
      b = Math.floor(total / 2);
      a = total - b;
    } else [b, a] = padding[i];
    before.push(b);
    outSpatial.push(Math.floor((n + b + a - ek) / s[i]) + 1);
  }
  return { rank, s, d, before, outSpatial, groups: o.groups ?? 1 };
}

/** Calls fn(xFlat, wFlat, yFlat) for every product term of the convolution. */
function forEachTerm(xs: readonly number[], ws: readonly number[], ys: readonly number[], G: RefGeometry, fn: (xi: number, wi: number, yi: number) => void): void {
  const { rank, s, d, before, groups } = G;
  const cg = ws[rank];
  const cout = ws[rank + 1];
  const coutg = cout / groups;
  forIndex(ys, (yIdx) => {
    const n = yIdx[0];
    const co = yIdx[rank + 1];
    const g = Math.floor(co / coutg);
    forIndex(ws.slice(0, rank + 1), (kIdx) => {
      const pos = [n];
      for (let i = 0; i < rank; i++) {
        const p = yIdx[i + 1] * s[i] + kIdx[i] * d[i] - before[i];
        if (p < 0 || p >= xs[i + 1]) return;
        pos.push(p);
      }
      const ci = kIdx[rank];
      pos.push(g * cg + ci);
      fn(flatIndex(xs, pos), flatIndex(ws, [...kIdx, co]), flatIndex(ys, yIdx));
    });
  });
}

function refConv(x: TensorLit, w: TensorLit, o: RefOptions = {}): TensorLit {
  const G = refGeometry(x.shape, w.shape, o);
  const ys = [x.shape[0], ...G.outSpatial, w.shape[G.rank + 1]];
  const y = new Float64Array(prod(ys));
  forEachTerm(x.shape, w.shape, ys, G, (xi, wi, yi) => (y[yi] += x.data[xi] * w.data[wi]));
  return t(Array.from(y), ys);
}

function refConvTranspose(dy: TensorLit, w: TensorLit, outputShape: number[], o: RefOptions = {}): TensorLit {
  const G = refGeometry(outputShape, w.shape, o);
  const dx = new Float64Array(prod(outputShape));
  forEachTerm(outputShape, w.shape, dy.shape, G, (xi, wi, yi) => (dx[xi] += dy.data[yi] * w.data[wi]));
  return t(Array.from(dx), outputShape);
}

function refBackpropFilter(x: TensorLit, dy: TensorLit, kernelShape: number[], o: RefOptions = {}): TensorLit {
  const G = refGeometry(x.shape, kernelShape, o);
  const dw = new Float64Array(prod(kernelShape));
  forEachTerm(x.shape, kernelShape, dy.shape, G, (xi, wi, yi) => (dw[wi] += x.data[xi] * dy.data[yi]));
  return t(Array.from(dw), kernelShape);
}

/** Depthwise reference written directly: y[n, o, c*M+m] = sum_k x[n, pos(o, k), c] * w[k, c, m]. */
function refDepthwise(x: TensorLit, w: TensorLit, o: RefOptions = {}): TensorLit {
  const rank = w.shape.length - 2;
  const C = w.shape[rank];
  const M = w.shape[rank + 1];
  // Geometry of one channel: a conv with a [...k, 1, 1] kernel on a [N, ...spatial, 1] input.
  const G = refGeometry([...x.shape.slice(0, -1), 1], [...w.shape.slice(0, rank), 1, 1], o);
  const ys = [x.shape[0], ...G.outSpatial, C * M];
  const y = new Float64Array(prod(ys));
  forIndex(ys, (yIdx) => {
    const c = Math.floor(yIdx[rank + 1] / M);
    const m = yIdx[rank + 1] % M;
    let acc = 0;
    forIndex(w.shape.slice(0, rank), (k) => {
      const pos = [yIdx[0]];
      for (let i = 0; i < rank; i++) {
        const p = yIdx[i + 1] * G.s[i] + k[i] * G.d[i] - G.before[i];
        if (p < 0 || p >= x.shape[i + 1]) return;
        pos.push(p);
      }
      acc += x.data[flatIndex(x.shape, [...pos, c])] * w.data[flatIndex(w.shape, [...k, c, m])];
    });
    y[flatIndex(ys, yIdx)] = acc;
  });
  return t(Array.from(y), ys);
}

/** A case of the binary op `op` on `inputs`, checked against the reference `expected` (atol 1e-5), optionally grad-checked. */
function refCase(name: string, op: string, inputs: [TensorLit, TensorLit], build: (a: Sym, b: Sym) => Sym, expected: TensorLit, grad: boolean): OpCase {
  return { name, ops: [op], inputs, build, expected, atol: 1e-5, grad };
}

/** A forward case of `conv` checked against the reference, optionally grad-checked. */
function convCase(name: string, xs: number[], ws: number[], o: RefOptions, seed: number, grad = false): OpCase {
  const x = rand(xs, seed);
  const w = rand(ws, seed + 100);
  return refCase(name, 'conv', [x, w], (a, b) => ops.conv(a, b, o), refConv(x, w, o), grad);
}

function convTransposeCase(name: string, outputShape: number[], ws: number[], o: RefOptions, seed: number, grad = false): OpCase {
  const G = refGeometry(outputShape, ws, o);
  const dy = rand([outputShape[0], ...G.outSpatial, ws[ws.length - 1]], seed);
  const w = rand(ws, seed + 100);
  return refCase(name, 'conv_transpose', [dy, w], (a, b) => ops.convTranspose(a, b, outputShape, o), refConvTranspose(dy, w, outputShape, o), grad);
}

function backpropFilterCase(name: string, xs: number[], ws: number[], o: RefOptions, seed: number, grad = false): OpCase {
  const G = refGeometry(xs, ws, o);
  const x = rand(xs, seed);
  const dy = rand([xs[0], ...G.outSpatial, ws[ws.length - 1]], seed + 100);
  return refCase(name, 'conv_backprop_filter', [x, dy], (a, b) => ops.convBackpropFilter(a, b, ws, o), refBackpropFilter(x, dy, ws, o), grad);
}

function depthwiseCase(name: string, xs: number[], ws: number[], o: RefOptions, seed: number, grad = false): OpCase {
  const x = rand(xs, seed);
  const w = rand(ws, seed + 100);
  return refCase(name, 'depthwise_conv', [x, w], (a, b) => ops.depthwiseConv(a, b, o), refDepthwise(x, w, o), grad);
}

export const convCases: OpCase[] = [
  // ---- hand-worked examples ----
  {
    name: 'conv rank 1 valid, by hand',
    ops: ['conv'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1]), t([1, 2, 3], [3, 1, 1])],
    build: (x, w) => ops.conv(x, w),
    // [1*1 + 2*2 + 3*3, 2*1 + 3*2 + 4*3]
    expected: t([14, 20], [1, 2, 1]),
  },
  {
    name: 'conv rank 2 valid 2x2 ones on 3x3, by hand',
    ops: ['conv'],
    inputs: [t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), t([1, 1, 1, 1], [2, 2, 1, 1])],
    build: (x, w) => ops.conv(x, w),
    expected: t([12, 16, 24, 28], [1, 2, 2, 1]),
  },
  {
    name: "conv rank 1 'same' with an even kernel pads at the end, by hand",
    ops: ['conv'],
    inputs: [t([1, 2, 3], [1, 3, 1]), t([1, 10], [2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { padding: 'same' }),
    // total pad 1 -> [0, 1]: [1 + 20, 2 + 30, 3 + 0]
    expected: t([21, 32, 3], [1, 3, 1]),
  },
  {
    name: "conv rank 1 'causal', by hand",
    ops: ['conv'],
    inputs: [t([1, 2, 3], [1, 3, 1]), t([1, 10], [2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { padding: 'causal' }),
    // pad [1, 0]: [0 + 10, 1 + 20, 2 + 30]
    expected: t([10, 21, 32], [1, 3, 1]),
  },
  {
    name: "conv rank 1 'causal' with dilation 2, by hand",
    ops: ['conv'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1]), t([1, 10], [2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { padding: 'causal', dilations: [2] }),
    // pad [2, 0]: y[o] = x[o-2] + 10 x[o]
    expected: t([10, 20, 31, 42], [1, 4, 1]),
  },
  {
    name: 'conv rank 1 with 2 groups, by hand',
    ops: ['conv'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2]), t([10, 100], [1, 1, 2])],
    build: (x, w) => ops.conv(x, w, { groups: 2 }),
    expected: t([10, 200, 30, 400], [1, 2, 2]),
  },
  {
    name: 'conv rank 1 with 2 input channels and 2 output channels, by hand',
    ops: ['conv'],
    // x positions [(1, 2), (3, 4)], kernel size 1: y[o, co] = x[o, 0] w[0, co] + x[o, 1] w[1, co]
    inputs: [t([1, 2, 3, 4], [1, 2, 2]), t([1, 2, 3, 4], [1, 2, 2])],
    build: (x, w) => ops.conv(x, w),
    expected: t([1 + 6, 2 + 8, 3 + 12, 6 + 16], [1, 2, 2]),
  },
  {
    name: 'conv rank 1 stride 2, by hand',
    ops: ['conv'],
    inputs: [t([1, 2, 3, 4, 5], [1, 5, 1]), t([1, -1], [2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { strides: 2 }),
    expected: t([-1, -1], [1, 2, 1]),
  },
  {
    name: 'conv_transpose rank 1 valid, by hand',
    ops: ['conv_transpose'],
    inputs: [t([1, 1], [1, 2, 1]), t([1, 2, 3], [3, 1, 1])],
    build: (dy, w) => ops.convTranspose(dy, w, [1, 4, 1]),
    // dx[i] = sum_{o + k = i} dy[o] w[k]
    expected: t([1, 3, 5, 3], [1, 4, 1]),
  },
  {
    name: 'conv_transpose rank 1 stride 2, by hand',
    ops: ['conv_transpose'],
    inputs: [t([1, 10], [1, 2, 1]), t([1, 2], [2, 1, 1])],
    build: (dy, w) => ops.convTranspose(dy, w, [1, 5, 1], { strides: 2 }),
    // dy[0] lands on 0,1; dy[1] on 2,3; position 4 is never read by the forward conv
    expected: t([1, 2, 10, 20, 0], [1, 5, 1]),
  },
  {
    name: 'conv_backprop_filter rank 1 valid, by hand',
    ops: ['conv_backprop_filter'],
    inputs: [t([1, 2, 3, 4], [1, 4, 1]), t([1, 1], [1, 2, 1])],
    build: (x, dy) => ops.convBackpropFilter(x, dy, [3, 1, 1]),
    // dw[k] = sum_o x[o + k] dy[o]
    expected: t([3, 5, 7], [3, 1, 1]),
  },
  {
    name: 'depthwise_conv rank 1 multiplier 2, by hand',
    ops: ['depthwise_conv'],
    inputs: [t([1, 2, 3, 4, 5, 6], [1, 3, 2]), t([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])],
    build: (x, w) => ops.depthwiseConv(x, w),
    // y[o, c*2+m] = x[o, c] w[0, c, m] + x[o+1, c] w[1, c, m]
    expected: t([16, 20, 34, 40, 28, 36, 54, 64], [1, 2, 4]),
  },

  // ---- conv against the reference ----
  convCase('conv rank 1 valid, 2 in / 3 out channels, batch 2', [2, 6, 2], [3, 2, 3], {}, 1, true),
  convCase("conv rank 1 'same' stride 2, even kernel", [1, 7, 2], [4, 2, 2], { padding: 'same', strides: [2] }, 2, true),
  convCase("conv rank 1 'same' dilation 2", [1, 7, 1], [3, 1, 2], { padding: 'same', dilations: [2] }, 3, true),
  convCase("conv rank 1 'causal' dilation 3", [2, 6, 2], [2, 2, 1], { padding: 'causal', dilations: [3] }, 4, true),
  convCase('conv rank 1 explicit padding [[2, 1]] stride 3', [1, 8, 1], [3, 1, 2], { padding: [[2, 1]], strides: [3] }, 5),
  convCase('conv rank 2 valid, batch 2', [2, 4, 3, 2], [2, 2, 2, 3], {}, 6, true),
  convCase("conv rank 2 'same' stride 2 with an even 4x2 kernel on 5x6", [1, 5, 6, 2], [4, 2, 2, 3], { padding: 'same', strides: [2, 2] }, 7, true),
  convCase("conv rank 2 'same' strides [3, 1]", [1, 7, 4, 1], [3, 3, 1, 2], { padding: 'same', strides: [3, 1] }, 8),
  convCase('conv rank 2 dilations [2, 1] valid', [1, 6, 5, 2], [3, 2, 2, 2], { dilations: [2, 1] }, 9, true),
  convCase("conv rank 2 'same' dilation 2 with an even kernel", [1, 5, 5, 1], [2, 2, 1, 2], { padding: 'same', dilations: [2, 2] }, 10),
  convCase('conv rank 2 explicit padding [[1, 0], [2, 1]] stride 2', [1, 4, 5, 2], [3, 2, 2, 2], { padding: [[1, 0], [2, 1]], strides: [2, 2] }, 11, true),
  convCase('conv rank 2 groups 2, 4 -> 6 channels', [1, 3, 4, 4], [2, 2, 2, 6], { groups: 2 }, 12, true),
  convCase("conv rank 2 groups 3 'same' stride 2, batch 2", [2, 5, 4, 3], [3, 3, 1, 3], { groups: 3, padding: 'same', strides: [2, 2] }, 13),
  convCase('conv rank 2 on a 1x1 input with a 1x1 kernel', [2, 1, 1, 3], [1, 1, 3, 2], {}, 14, true),
  convCase("conv rank 2 'same' 3x3 kernel on a 1x1 input", [1, 1, 1, 2], [3, 3, 2, 2], { padding: 'same' }, 15),
  convCase("conv rank 2 'same' on a 1x4 input", [1, 1, 4, 1], [3, 2, 1, 1], { padding: 'same', strides: [1, 2] }, 16),
  convCase('conv rank 3 valid, batch 2', [2, 3, 3, 2, 2], [2, 2, 2, 2, 2], {}, 17),
  convCase("conv rank 3 'same' stride 2, even kernel", [1, 4, 3, 5, 1], [2, 2, 2, 1, 2], { padding: 'same', strides: [2, 2, 2] }, 18),
  convCase('conv rank 3 dilation 2 explicit padding, groups 2', [1, 4, 4, 3, 2], [2, 2, 2, 1, 4], { dilations: [2, 1, 2], padding: [[1, 1], [0, 1], [2, 0]], groups: 2 }, 19),
  convCase('conv rank 3 small, grad-checked', [1, 3, 2, 3, 1], [2, 2, 2, 1, 2], { padding: 'same', strides: [1, 2, 1] }, 20, true),
  convCase('conv rank 2 dilation with groups, grad-checked', [1, 4, 4, 2], [2, 2, 1, 2], { dilations: [2, 2], groups: 2, padding: 'same' }, 21, true),
  {
    name: 'conv with batch 0',
    ops: ['conv'],
    inputs: [t([], [0, 4, 2]), t([1, 2, 3, 4, 5, 6], [3, 2, 1])],
    build: (x, w) => ops.conv(x, w),
    expected: t([], [0, 2, 1]),
  },
  {
    name: 'conv with 0 input channels gives zeros',
    ops: ['conv'],
    inputs: [t([], [1, 3, 0]), t([], [2, 0, 2])],
    build: (x, w) => ops.conv(x, w),
    expected: t([0, 0, 0, 0], [1, 2, 2]),
  },
  {
    name: 'conv with 0 output channels',
    ops: ['conv'],
    inputs: [t([1, 2, 3], [1, 3, 1]), t([], [2, 1, 0])],
    build: (x, w) => ops.conv(x, w),
    expected: t([], [1, 2, 0]),
  },
  {
    name: "conv 'same' on a size-0 spatial dimension",
    ops: ['conv'],
    inputs: [t([], [1, 0, 1]), t([1, 2, 3], [3, 1, 1])],
    build: (x, w) => ops.conv(x, w, { padding: 'same' }),
    expected: t([], [1, 0, 1]),
  },

  // ---- conv_transpose against the reference ----
  convTransposeCase('conv_transpose rank 1 valid, batch 2', [2, 6, 2], [3, 2, 3], {}, 31, true),
  convTransposeCase("conv_transpose rank 1 'same' stride 2 (Keras output length 2n)", [1, 8, 2], [3, 2, 2], { padding: 'same', strides: [2] }, 32, true),
  convTransposeCase("conv_transpose rank 1 'same' stride 2, odd output (output_padding 0)", [1, 7, 1], [4, 1, 2], { padding: 'same', strides: [2] }, 33),
  convTransposeCase("conv_transpose rank 1 'causal' dilation 2", [1, 6, 1], [3, 1, 2], { padding: 'causal', dilations: [2] }, 34, true),
  convTransposeCase('conv_transpose rank 2 valid stride 2 with an unread border', [1, 6, 5, 2], [2, 2, 2, 3], { strides: [2, 2] }, 35, true),
  convTransposeCase("conv_transpose rank 2 'same' stride 2, batch 2", [2, 4, 4, 1], [3, 3, 1, 2], { padding: 'same', strides: [2, 2] }, 36),
  convTransposeCase('conv_transpose rank 2 dilation 2 explicit padding', [1, 5, 5, 1], [2, 2, 1, 2], { dilations: [2, 2], padding: [[1, 2], [0, 1]] }, 37, true),
  convTransposeCase('conv_transpose rank 2 groups 2', [1, 4, 3, 4], [2, 2, 2, 4], { groups: 2 }, 38, true),
  convTransposeCase("conv_transpose rank 3 'same' stride 2", [1, 4, 3, 4, 2], [2, 3, 2, 2, 2], { padding: 'same', strides: [2, 2, 2] }, 39),
  convTransposeCase('conv_transpose rank 3 groups 2 dilation, small', [1, 3, 3, 2, 2], [2, 2, 1, 1, 2], { groups: 2, dilations: [1, 2, 1], padding: 'same' }, 40, true),
  {
    name: 'conv_transpose with batch 0',
    ops: ['conv_transpose'],
    inputs: [t([], [0, 2, 1]), t([1, 2, 3], [3, 1, 1])],
    build: (dy, w) => ops.convTranspose(dy, w, [0, 4, 1]),
    expected: t([], [0, 4, 1]),
  },

  // ---- conv_backprop_filter against the reference ----
  backpropFilterCase('conv_backprop_filter rank 1 valid, batch 2', [2, 6, 2], [3, 2, 3], {}, 51, true),
  backpropFilterCase("conv_backprop_filter rank 1 'same' stride 2, even kernel", [1, 7, 2], [4, 2, 1], { padding: 'same', strides: [2] }, 52, true),
  backpropFilterCase("conv_backprop_filter rank 1 'causal' dilation 2", [1, 6, 1], [3, 1, 2], { padding: 'causal', dilations: [2] }, 53),
  backpropFilterCase("conv_backprop_filter rank 2 'same' stride 2, batch 2", [2, 4, 3, 2], [3, 2, 2, 2], { padding: 'same', strides: [2, 2] }, 54, true),
  backpropFilterCase('conv_backprop_filter rank 2 groups 2 dilation 2 explicit padding', [1, 4, 3, 4], [2, 2, 2, 4], { groups: 2, dilations: [2, 2], padding: [[0, 1], [1, 0]] }, 55, true),
  backpropFilterCase('conv_backprop_filter rank 3 valid', [1, 3, 4, 3, 2], [2, 2, 2, 2, 2], {}, 56),
  backpropFilterCase("conv_backprop_filter rank 3 'same' stride 2 groups 2, small", [1, 3, 2, 3, 2], [2, 1, 2, 1, 2], { padding: 'same', strides: [2, 1, 2], groups: 2 }, 57, true),
  {
    name: 'conv_backprop_filter with batch 0 gives zeros',
    ops: ['conv_backprop_filter'],
    inputs: [t([], [0, 4, 1]), t([], [0, 2, 1])],
    build: (x, dy) => ops.convBackpropFilter(x, dy, [3, 1, 1]),
    expected: t([0, 0, 0], [3, 1, 1]),
  },

  // ---- depthwise_conv against the reference ----
  depthwiseCase('depthwise_conv rank 1 multiplier 2, batch 2', [2, 5, 3], [2, 3, 2], {}, 61, true),
  depthwiseCase("depthwise_conv rank 1 'causal' dilation 2", [1, 6, 2], [3, 2, 1], { padding: 'causal', dilations: [2] }, 62),
  depthwiseCase("depthwise_conv rank 2 'same' stride 2 multiplier 2", [1, 5, 4, 3], [3, 2, 3, 2], { padding: 'same', strides: [2, 2] }, 63, true),
  depthwiseCase('depthwise_conv rank 2 dilation 2 explicit padding, batch 2', [2, 4, 4, 2], [2, 2, 2, 3], { dilations: [2, 2], padding: [[1, 0], [0, 1]] }, 64),
  depthwiseCase('depthwise_conv rank 2 multiplier 1', [1, 3, 3, 2], [2, 2, 2, 1], {}, 65, true),

  // ---- rejected inputs ----
  {
    name: 'conv rejects a channel mismatch',
    ops: ['conv'],
    inputs: [rand([1, 5, 3]), rand([3, 2, 4])],
    build: (x, w) => ops.conv(x, w),
    throws: /op 'conv' \(inputs: float32\[1,5,3\], float32\[3,2,4\]\): channel mismatch: the kernel \[3,2,4\] takes 2 input channel\(s\) per group × 1 group\(s\) \(attribute 'groups' = 1\), but the input \[1,5,3\] has 3 channels/,
  },
  {
    name: 'conv rejects groups that do not divide the input channels',
    ops: ['conv'],
    inputs: [rand([1, 5, 4]), rand([3, 2, 6])],
    build: (x, w) => ops.conv(x, w, { groups: 3 }),
    throws: /op 'conv' \(inputs: float32\[1,5,4\], float32\[3,2,6\]\): attribute 'groups' = 3 does not divide the 4 channels of the input \[1,5,4\]/,
  },
  {
    name: 'conv rejects explicit padding with the wrong number of pairs',
    ops: ['conv'],
    inputs: [rand([1, 4, 4, 1]), rand([2, 2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { padding: [[1, 1]] }),
    throws: /op 'conv' \(inputs: float32\[1,4,4,1\], float32\[2,2,1,1\]\): attribute 'padding' = \[\[1,1\]\] needs 2 \[before, after\] pair\(s\) for rank 2/,
  },
  {
    name: "conv rejects 'causal' padding on rank 2",
    ops: ['conv'],
    inputs: [rand([1, 4, 4, 1]), rand([2, 2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { padding: 'causal' }),
    throws: /op 'conv' \(inputs: float32\[1,4,4,1\], float32\[2,2,1,1\]\): attribute 'padding' = 'causal' needs rank 1, got rank 2/,
  },
  {
    name: 'conv rejects a kernel larger than the padded input',
    ops: ['conv'],
    inputs: [rand([1, 4, 1]), rand([3, 1, 1])],
    build: (x, w) => ops.conv(x, w, { dilations: 2 }),
    throws: /op 'conv' \(inputs: float32\[1,4,1\], float32\[3,1,1\]\): the kernel \[3,1,1\] spans 5 along spatial dimension 0 \(attribute 'dilations' = \[2\]\), more than the input's padded size 4 .*attribute 'padding' = 'valid'/,
  },
  {
    name: 'conv rejects strides > 1 with dilations > 1',
    ops: ['conv'],
    inputs: [rand([1, 9, 9, 1]), rand([3, 3, 1, 1])],
    build: (x, w) => ops.conv(x, w, { strides: [2, 1], dilations: [1, 2] }),
    throws: /op 'conv' \(inputs: float32\[1,9,9,1\], float32\[3,3,1,1\]\): attribute 'strides' = \[2,1\] with 'dilations' = \[1,2\]: strides > 1 cannot be combined with dilations > 1/,
  },
  {
    name: 'conv rejects strides of the wrong length',
    ops: ['conv'],
    inputs: [rand([1, 4, 4, 1]), rand([2, 2, 1, 1])],
    build: (x, w) => ops.conv(x, w, { strides: [1, 1, 1] }),
    throws: /op 'conv' \(inputs: float32\[1,4,4,1\], float32\[2,2,1,1\]\): attribute 'strides' = \[1,1,1\] needs 2 entries for rank 2/,
  },
  {
    name: 'conv rejects an input of the wrong rank',
    ops: ['conv'],
    inputs: [rand([4, 4, 1]), rand([2, 2, 1, 1])],
    build: (x, w) => ops.conv(x, w),
    throws: /op 'conv' \(inputs: float32\[4,4,1\], float32\[2,2,1,1\]\): the input \[4,4,1\] needs rank 4 .*attribute 'rank' = 2/,
  },
  {
    name: 'conv rejects a rank-4 convolution',
    ops: ['conv'],
    inputs: [rand([1, 2, 2, 2, 2, 1]), rand([1, 1, 1, 1, 1, 1])],
    build: (x, w) => ops.conv(x, w),
    throws: /op 'conv' \(inputs: float32\[1,2,2,2,2,1\], float32\[1,1,1,1,1,1\]\): attribute 'rank' = 4 is not supported/,
  },
  {
    name: 'conv_transpose rejects an outputShape that does not give dy',
    ops: ['conv_transpose'],
    inputs: [rand([1, 3, 1]), rand([3, 1, 1])],
    build: (dy, w) => ops.convTranspose(dy, w, [1, 6, 1]),
    throws: /op 'conv_transpose' \(inputs: float32\[1,3,1\], float32\[3,1,1\]\): attribute 'outputShape' = \[1,6,1\] does not fit: .* gives \[1,4,1\], not the input's \[1,3,1\]/,
  },
  {
    name: 'conv_transpose rejects a channel mismatch',
    ops: ['conv_transpose'],
    inputs: [rand([1, 3, 2]), rand([3, 1, 1])],
    build: (dy, w) => ops.convTranspose(dy, w, [1, 5, 1]),
    throws: /op 'conv_transpose' \(inputs: float32\[1,3,2\], float32\[3,1,1\]\): attribute 'outputShape' = \[1,5,1\] does not fit/,
  },
  {
    name: 'conv_backprop_filter rejects a kernelShape that does not give dy',
    ops: ['conv_backprop_filter'],
    inputs: [rand([1, 5, 1]), rand([1, 3, 1])],
    build: (x, dy) => ops.convBackpropFilter(x, dy, [2, 1, 1]),
    throws: /op 'conv_backprop_filter' \(inputs: float32\[1,5,1\], float32\[1,3,1\]\): attribute 'kernelShape' = \[2,1,1\] does not fit: .* gives \[1,4,1\], not dy's \[1,3,1\]/,
  },
  {
    name: 'depthwise_conv rejects a channel mismatch',
    ops: ['depthwise_conv'],
    inputs: [rand([1, 5, 3]), rand([2, 2, 2])],
    build: (x, w) => ops.depthwiseConv(x, w),
    throws: /op 'depthwise_conv' \(inputs: float32\[1,5,3\], float32\[2,2,2\]\): channel mismatch: the kernel \[2,2,2\] is for 2 channels, but the input \[1,5,3\] has 3/,
  },
  {
    name: 'depthwise_conv rejects rank 3',
    ops: ['depthwise_conv'],
    inputs: [rand([1, 3, 3, 3, 1]), rand([2, 2, 2, 1, 1])],
    build: (x, w) => ops.depthwiseConv(x, w),
    throws: /op 'depthwise_conv' \(inputs: float32\[1,3,3,3,1\], float32\[2,2,2,1,1\]\): attribute 'rank' = 3 is not supported/,
  },
];
