import {
  constantData,
  ops,
  resolveAxes,
  resolveAxis,
  broadcastShapes,
  shapesEqual,
  sizeOf,
  stridesOf,
  type DType,
  type Graph,
  type HostTensor,
  type Node,
  type Shape,
} from '@keras-ts/spec';
import { elemType, GraphBuilder, TensorType } from './builder.js';
import type { Dim } from './proto.js';
import { randomNormal, randomUniform } from './random.js';

/**
 * Lowering of a spec graph (composites already lowered, except those in {@link NATIVE_COMPOSITES})
 * to an ONNX graph. Tensors stay channels-last as in the spec; the window ops (conv, pooling)
 * run on ONNX's channels-first operators between Transposes, which onnxruntime's transpose
 * optimizer cancels between consecutive window ops.
 */

/** Composite ops lowered to one ONNX operator instead of their decomposition. */
export const NATIVE_COMPOSITES: readonly string[] = ['softmax', 'log_softmax', 'mean', 'logsumexp'];

/**
 * Lowers one node: its ONNX inputs' names and the spec nodes they come from, and (for conv,
 * conv_transpose and 2-D matmul) a bias to fold into the operator (see {@link findBiasFusions}).
 */
type Lowering = (b: GraphBuilder, node: Node, ins: string[], inNodes: readonly Node[], bias?: string) => string;

const NEG_INF_I64 = -(2 ** 62);

/** What a negative gather index becomes: past the end of any axis, so onnxruntime refuses it. */
export const GATHER_REFUSED_INDEX = 2 ** 31 - 1;
const POS_INF_I64 = 2 ** 62;

/** Axes permutations between channels-last [N, ...spatial, C] and channels-first [N, C, ...spatial]. */
function toCF(rank: number): number[] {
  return [0, rank + 1, ...Array.from({ length: rank }, (_, i) => i + 1)];
}
function fromCF(rank: number): number[] {
  return [0, ...Array.from({ length: rank }, (_, i) => i + 2), 1];
}
/** Kernel [...k, Cin/g, Cout] to ONNX's [Cout, Cin/g, ...k]. */
function kernelPerm(rank: number): number[] {
  return [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)];
}

// ---------------------------------------------------------------------------------------------
// Elementwise
// ---------------------------------------------------------------------------------------------

const SIMPLE_UNARY: Record<string, string> = {
  neg: 'Neg',
  abs: 'Abs',
  sign: 'Sign',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  reciprocal: 'Reciprocal',
  sin: 'Sin',
  cos: 'Cos',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  erf: 'Erf',
  floor: 'Floor',
  ceil: 'Ceil',
  round: 'Round',
  softplus: 'Softplus',
  logical_not: 'Not',
  identity: 'Identity',
  stop_gradient: 'Identity',
};

/** Ops that broadcast their inputs elementwise (a fill input may become a scalar). */
const ELEMENTWISE = new Set([...Object.keys(ops.BINARY), 'where']);

const SIMPLE_BINARY: Record<string, string> = {
  add: 'Add',
  sub: 'Sub',
  pow: 'Pow',
  maximum: 'Max',
  minimum: 'Min',
  equal: 'Equal',
  less: 'Less',
  less_equal: 'LessOrEqual',
  greater: 'Greater',
  greater_equal: 'GreaterOrEqual',
  logical_and: 'And',
  logical_or: 'Or',
};

/** log1p in float64 with Kahan's correction: u = 1 + x; x when u == 1, else log(u) * x / (u - 1). */
const log1p: Lowering = (b, _n, [x]) => {
  const xd = b.cast(x, TensorType.DOUBLE);
  const u = b.node('Add', [xd, b.f64(1)]);
  const um1 = b.node('Sub', [u, b.f64(1)]);
  const r = b.node('Div', [b.node('Mul', [b.node('Log', [u]), xd]), um1]);
  return b.cast(b.node('Where', [b.node('Equal', [um1, b.f64(0)]), xd, r]), TensorType.FLOAT);
};

/** expm1 in float64 with Kahan's correction: u = exp(x); x when u == 1, -1 when u - 1 == -1, else (u - 1) * x / log(u). */
const expm1: Lowering = (b, _n, [x]) => {
  const xd = b.cast(x, TensorType.DOUBLE);
  const u = b.node('Exp', [xd]);
  const um1 = b.node('Sub', [u, b.f64(1)]);
  const r = b.node('Div', [b.node('Mul', [um1, xd]), b.node('Log', [u])]);
  const mid = b.node('Where', [b.node('Equal', [um1, b.f64(-1)]), b.f64(-1), r]);
  // exp overflows to inf for large x: (inf * x) / inf is NaN, but expm1 is inf.
  const big = b.node('Where', [b.node('Equal', [u, b.f64(Infinity)]), u, mid]);
  return b.cast(b.node('Where', [b.node('Equal', [um1, b.f64(0)]), xd, big]), TensorType.FLOAT);
};

/** Floor division of int32s as backend-ts: floor(a / b) in float64, 0 where b == 0. */
function intDiv(b: GraphBuilder, x: string, y: string): string {
  const q = b.node('Floor', [b.node('Div', [b.cast(x, TensorType.DOUBLE), b.cast(y, TensorType.DOUBLE)])]);
  const safe = b.node('Where', [b.node('Equal', [y, b.scalar(0, 'int32')]), b.f64(0), q]);
  // Wrap to int32 as a typed-array store does (only 2^31 from -2^31 / -1 is out of range).
  const wrapped = b.node('Where', [b.node('GreaterOrEqual', [safe, b.f64(2 ** 31)]), b.node('Sub', [safe, b.f64(2 ** 32)]), safe]);
  return b.cast(wrapped, TensorType.INT32);
}

// ---------------------------------------------------------------------------------------------
// Reductions
// ---------------------------------------------------------------------------------------------

function reduce(op: string): Lowering {
  return (b, node, [x], [xn]) => {
    const axes = resolveAxes(node.attrs.axes as number[] | null, xn.shape.length);
    if (axes.length === 0) return x;
    const keepdims = node.attrs.keepdims ? 1 : 0;
    if (sizeOf(xn.shape) === 0) {
      // Reducing an empty tensor to a non-empty one: the identity of the reduction.
      const v = op === 'ReduceSum' ? 0 : op === 'ReduceProd' ? 1 : op === 'ReduceMean' ? NaN : -Infinity;
      return b.full(node.shape, v, node.dtype);
    }
    const r = xn.shape.length;
    const m = sizeOf(xn.shape.slice(0, axes.length));
    if ((op === 'ReduceSum' || op === 'ReduceMean') && node.dtype === 'float32' && axes.length < r && axes.every((a, i) => a === i) && m <= 1 << 20) {
      // Summing leading axes (bias gradients, batch statistics): onnxruntime's ReduceSum is slow
      // with a small kept inner block; ones[1, M] · x[M, K] is a fast GEMM.
      const k = sizeOf(xn.shape.slice(axes.length));
      const ones = b.init(new Float32Array(m).fill(1), [1, m], TensorType.FLOAT);
      let y = b.node('Gemm', [ones, b.reshape(x, [m, k])]);
      if (op === 'ReduceMean') y = b.node('Div', [y, b.scalar(m, 'float32')]);
      return b.reshape(y, node.shape);
    }
    return b.node(op, [x, b.i64(axes)], { keepdims });
  };
}

function argReduce(op: string): Lowering {
  return (b, node, [x], [xn]) => {
    const axis = resolveAxis(node.attrs.axis as number, xn.shape.length);
    const idx = b.node(op, [x], { axis, keepdims: 0, select_last_index: 0 });
    return b.cast(idx, TensorType.INT32);
  };
}

// ---------------------------------------------------------------------------------------------
// Slicing and indexing
// ---------------------------------------------------------------------------------------------

/** ONNX Slice of the axes that are not taken whole; `x` unchanged when none. */
function sliceAxes(b: GraphBuilder, x: string, shape: Shape, begin: readonly number[], end: readonly number[], steps?: readonly number[]): string {
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const st: number[] = [];
  shape.forEach((d, i) => {
    const s = steps?.[i] ?? 1;
    if (s === 1 && begin[i] === 0 && end[i] === d) return;
    axes.push(i);
    starts.push(begin[i]);
    // For a negative step, the normalized end -1 means "through index 0".
    ends.push(s < 0 && end[i] === -1 ? NEG_INF_I64 : s > 0 && end[i] === d ? POS_INF_I64 : end[i]);
    st.push(s);
  });
  if (axes.length === 0) return x;
  const inputs = [x, b.i64(starts), b.i64(ends), b.i64(axes)];
  if (st.some((s) => s !== 1)) inputs.push(b.i64(st));
  return b.node('Slice', inputs);
}

/**
 * The adjoint of strided_slice: dy placed into zeros, axis by axis. A negative stride is a
 * reversal followed by a positive one; a stride s > 1 interleaves s - 1 zeros after every
 * element (pad a new axis, merge it); then the block is padded into place.
 */
const stridedSliceGrad: Lowering = (b, node, [dy], [dyn]) => {
  const { begin, strides, inputShape } = node.attrs as { begin: number[]; strides: number[]; inputShape: number[] };
  let cur = dy;
  let shape = [...dyn.shape];
  const padsBefore: number[] = [];
  const padsAfter: number[] = [];
  for (let ax = 0; ax < shape.length; ax++) {
    const n = shape[ax];
    const s = strides[ax];
    let start = begin[ax];
    if (s < 0) {
      // Reverse: the elements land at start + (n-1) s, ..., start in increasing order.
      if (n > 1) cur = b.node('Slice', [cur, b.i64([-1]), b.i64([NEG_INF_I64]), b.i64([ax]), b.i64([-1])]);
      start = start + (n - 1) * s;
    }
    const step = Math.abs(s);
    let span = n;
    if (step > 1 && n > 1) {
      // [.., n, ..] -> [.., n, step, ..] with zeros after each element -> [.., n * step, ..] -> first (n-1) step + 1.
      const expanded = [...shape.slice(0, ax + 1), 1, ...shape.slice(ax + 1)];
      let t = b.reshape(cur, expanded);
      const pads = expanded.map(() => 0);
      const padsEnd = expanded.map((_, i) => (i === ax + 1 ? step - 1 : 0));
      t = b.node('Pad', [t, b.i64([...pads, ...padsEnd]), b.scalar(0, node.dtype)], { mode: 'constant' });
      const merged = shape.map((d, i) => (i === ax ? n * step : d));
      t = b.reshape(t, merged);
      span = (n - 1) * step + 1;
      cur = b.node('Slice', [t, b.i64([0]), b.i64([span]), b.i64([ax])]);
      shape = shape.map((d, i) => (i === ax ? span : d));
    }
    padsBefore.push(start);
    padsAfter.push(inputShape[ax] - start - span);
  }
  if (padsBefore.every((p) => p === 0) && padsAfter.every((p) => p === 0)) return cur;
  return b.node('Pad', [cur, b.i64([...padsBefore, ...padsAfter]), b.scalar(0, node.dtype)], { mode: 'constant' });
};

/** gather_grad: dy scatter-added (ScatterND, reduction add) into zeros, with the gather axis moved first. */
const gatherGrad: Lowering = (b, node, [dy, idx], [, idxn]) => {
  const paramsShape = node.attrs.paramsShape as number[];
  const ax = resolveAxis(node.attrs.axis as number, paramsShape.length);
  const ir = idxn.shape.length;
  const outer = paramsShape.slice(0, ax);
  const inner = paramsShape.slice(ax + 1);
  // dy [outer, idx..., inner] -> [idx..., outer, inner]
  const dyPerm = [...Array.from({ length: ir }, (_, i) => ax + i), ...Array.from({ length: ax }, (_, i) => i), ...inner.map((_, i) => ax + ir + i)];
  const updates = b.transpose(dy, dyPerm);
  const indices = b.reshape(b.cast(idx, TensorType.INT64), [...idxn.shape, 1]);
  const zerosShape = [paramsShape[ax], ...outer, ...inner];
  const scattered = b.node('ScatterND', [b.full(zerosShape, 0, node.dtype), indices, updates], { reduction: 'add' });
  // [n, outer, inner] -> [outer, n, inner]
  const back = [...outer.map((_, i) => i + 1), 0, ...inner.map((_, i) => ax + 1 + i)];
  return b.transpose(scattered, back);
};

/** The shape take_along_axis broadcasts `x` to: the output's shape with x's size along the axis. */
function takeAlongXShape(xShape: Shape, outShape: Shape, ax: number): number[] {
  return outShape.map((d, i) => (i === ax ? xShape[ax] : d));
}

function expandTo(b: GraphBuilder, x: string, from: Shape, to: Shape): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return x;
  // Expand broadcasts both ways: a 1 keeps x's own leading dimension (a symbolic batch).
  const B = b.batch?.size;
  if (B !== undefined && from.length === to.length && from[0] === B && to[0] === B) return b.node('Expand', [x, b.i64([1, ...to.slice(1)])]);
  return b.node('Expand', [x, b.shapeOf(to)]);
}

const takeAlongAxis: Lowering = (b, node, [x, idx], [xn, idxn]) => {
  const ax = resolveAxis(node.attrs.axis as number, xn.shape.length);
  const xs = takeAlongXShape(xn.shape, node.shape, ax);
  return b.node('GatherElements', [expandTo(b, x, xn.shape, xs), expandTo(b, idx, idxn.shape, node.shape)], { axis: ax });
};

const takeAlongAxisGrad: Lowering = (b, node, [dy, idx], [dyn, idxn]) => {
  const inputShape = node.attrs.inputShape as number[];
  const ax = resolveAxis(node.attrs.axis as number, inputShape.length);
  const xs = takeAlongXShape(inputShape, dyn.shape, ax);
  const scattered = b.node('ScatterElements', [b.full(xs, 0, node.dtype), expandTo(b, idx, idxn.shape, dyn.shape), dy], {
    axis: ax,
    reduction: 'add',
  });
  const axes = inputShape.flatMap((d, i) => (d !== xs[i] ? [i] : []));
  return axes.length ? b.node('ReduceSum', [scattered, b.i64(axes)], { keepdims: 1 }) : scattered;
};

const oneHot: Lowering = (b, node, [idx], [idxn]) => {
  const { depth, onValue, offValue } = node.attrs as { depth: number; onValue: number; offValue: number };
  const range = b.init(Int32Array.from({ length: depth }, (_, i) => i), [depth], TensorType.INT32);
  const eq = b.node('Equal', [b.reshape(idx, [...idxn.shape, 1], idxn.shape), range]);
  return b.node('Where', [eq, b.scalar(onValue, 'float32'), b.scalar(offValue, 'float32')]);
};

// ---------------------------------------------------------------------------------------------
// Convolutions
// ---------------------------------------------------------------------------------------------

interface ConvAttrs {
  rank: number;
  strides: number[];
  dilations: number[];
  padding: ops.ConvPadding;
  groups: number;
}

function flatPads(pads: readonly [number, number][]): number[] {
  return [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
}

const conv: Lowering = (b, node, [x, w], [xn, wn], bias) => {
  const a = node.attrs as unknown as ConvAttrs;
  const r = a.rank;
  const pads = ops.resolveConvPadding(xn.shape.slice(1, r + 1), wn.shape.slice(0, r), a.strides, a.dilations, a.padding);
  const y = b.node('Conv', [b.transpose(x, toCF(r)), b.transpose(w, kernelPerm(r)), ...(bias ? [bias] : [])], {
    strides: a.strides,
    dilations: a.dilations,
    pads: flatPads(pads),
    group: a.groups,
    kernel_shape: wn.shape.slice(0, r),
  });
  return b.transpose(y, fromCF(r));
};

const convTranspose: Lowering = (b, node, [dy, w], [dyn, wn], bias) => {
  const a = node.attrs as unknown as ConvAttrs & { outputShape: number[] };
  const r = a.rank;
  const spatial = a.outputShape.slice(1, r + 1);
  const k = wn.shape.slice(0, r);
  const pads = ops.resolveConvPadding(spatial, k, a.strides, a.dilations, a.padding);
  const reach = k.map((kk, i) => (kk - 1) * a.dilations[i]);
  if (a.strides.every((s) => s === 1) && pads.every(([p, q], i) => p <= reach[i] && q <= reach[i])) {
    // With unit strides the adjoint is a plain convolution of dy with the spatially flipped
    // kernel, channels swapped, padded by (k - 1) d - pad: onnxruntime's Conv is faster than
    // its ConvTranspose (GEMM + col2im).
    const G = a.groups;
    const cg = wn.shape[r];
    const cout = wn.shape[r + 1];
    const coutg = cout / G;
    const axes = Array.from({ length: r }, (_, i) => i);
    const flipped = b.node('Slice', [w, b.i64(axes.map(() => -1)), b.i64(axes.map(() => NEG_INF_I64)), b.i64(axes), b.i64(axes.map(() => -1))]);
    // [...k, cg, G * coutg] -> ONNX [G * cg, coutg, ...k]
    const split = b.reshape(flipped, [...k, cg, G, coutg]);
    const kernel = b.reshape(b.transpose(split, [r + 1, r, r + 2, ...axes]), [G * cg, coutg, ...k]);
    const y = b.node('Conv', [b.transpose(dy, toCF(r)), kernel, ...(bias ? [bias] : [])], {
      dilations: a.dilations,
      pads: [...pads.map(([p], i) => reach[i] - p), ...pads.map(([, q], i) => reach[i] - q)],
      group: G,
      kernel_shape: k,
    });
    return b.transpose(y, fromCF(r));
  }
  const outSpatial = dyn.shape.slice(1, r + 1);
  const outputPadding = spatial.map((s, i) => s - ((outSpatial[i] - 1) * a.strides[i] + (k[i] - 1) * a.dilations[i] + 1 - pads[i][0] - pads[i][1]));
  const y = b.node('ConvTranspose', [b.transpose(dy, toCF(r)), b.transpose(w, kernelPerm(r)), ...(bias ? [bias] : [])], {
    strides: a.strides,
    dilations: a.dilations,
    pads: flatPads(pads),
    group: a.groups,
    kernel_shape: k,
    output_padding: outputPadding,
  });
  return b.transpose(y, fromCF(r));
};

/** Above this many elements, conv_backprop_filter's tap matrix is not built (the one-Conv form is used). */
let TAP_MATRIX_LIMIT = 1 << 24;

/** For tests: forces conv_backprop_filter's one-Conv form (0) or restores the default. */
export function setTapMatrixLimit(n = 1 << 24): void {
  TAP_MATRIX_LIMIT = n;
}

/** Every multi-index of `dims`, row-major. */
function multiIndices(dims: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of dims) out = out.flatMap((p) => Array.from({ length: d }, (_, i) => [...p, i]));
  return out;
}

/**
 * conv_backprop_filter: dw[k, ci, co] = sum over (n, o) of x[n, o s + k d - pad, ci] dy[n, o, co].
 *
 * When it fits, as one GEMM: the input taps x[·, o s + k d - pad, ·] of every kernel position k,
 * stacked as a [T · Cin, N · outSpatial] matrix (x channels-first, padded, one strided Slice per
 * tap), times dy viewed as [N · outSpatial, Cout] (no copy: dy is channels-last) — per channel
 * group, a batched MatMul. Otherwise as one Conv in which the batch becomes the channel axis.
 */
const convBackpropFilter: Lowering = (b, node, ins, inNodes) => {
  const a = node.attrs as unknown as ConvAttrs & { kernelShape: number[] };
  const [xn, dyn] = inNodes;
  if (sizeOf(xn.shape) === 0 || sizeOf(dyn.shape) === 0) return b.full(node.shape, 0, 'float32');
  const r = a.rank;
  const T = sizeOf(a.kernelShape.slice(0, r));
  const M = sizeOf(dyn.shape.slice(0, r + 1));
  if (T * xn.shape[r + 1] * M <= TAP_MATRIX_LIMIT) return convBackpropFilterTaps(b, node, ins, inNodes);
  return convBackpropFilterConv(b, node, ins, inNodes);
};

const convBackpropFilterTaps: Lowering = (b, node, [x, dy], [xn, dyn]) => {
  const a = node.attrs as unknown as ConvAttrs & { kernelShape: number[] };
  const r = a.rank;
  const G = a.groups;
  const spatial = xn.shape.slice(1, r + 1);
  const cin = xn.shape[r + 1];
  const cg = cin / G;
  const cout = dyn.shape[r + 1];
  const coutg = cout / G;
  const k = a.kernelShape.slice(0, r);
  const T = sizeOf(k);
  const pads = ops.resolveConvPadding(spatial, k, a.strides, a.dilations, a.padding);
  const outSpatial = dyn.shape.slice(1, r + 1);
  const M = sizeOf(dyn.shape.slice(0, r + 1));
  const sp = Array.from({ length: r }, (_, i) => i + 1);
  // x as [Cin, N, ...spatial], padded like the forward conv.
  let xc = b.transpose(x, [r + 1, 0, ...sp]);
  if (pads.some(([p, q]) => p > 0 || q > 0)) {
    xc = b.node('Pad', [xc, b.i64([0, 0, ...pads.map((p) => p[0]), 0, 0, ...pads.map((p) => p[1])]), b.scalar(0, 'float32')], { mode: 'constant' });
  }
  const axes = sp.map((i) => i + 1);
  const taps = multiIndices(k).map((kk) => {
    const starts = kk.map((v, i) => v * a.dilations[i]);
    const ends = starts.map((st, i) => st + (outSpatial[i] - 1) * a.strides[i] + 1);
    return b.node('Slice', [xc, b.i64(starts), b.i64(ends), b.i64(axes), b.i64(a.strides)]);
  });
  const stacked = taps.length === 1 ? taps[0] : b.node('Concat', taps, { axis: 0 }); // [T * Cin, N, ...out]
  if (G === 1) {
    const dw = b.node('Gemm', [b.reshape(stacked, [T * cin, M]), b.reshape(dy, [M, cout])]);
    return b.reshape(dw, a.kernelShape);
  }
  const lhs = b.reshape(b.transpose(b.reshape(stacked, [T, G, cg, M]), [1, 0, 2, 3]), [G, T * cg, M]);
  const rhs = b.transpose(b.reshape(dy, [M, G, coutg]), [1, 0, 2]);
  const dw = b.reshape(b.node('MatMul', [lhs, rhs]), [G, T, cg, coutg]); // [G, T, cg, coutg]
  return b.reshape(b.transpose(dw, [1, 2, 0, 3]), a.kernelShape);
};

/**
 * conv_backprop_filter as one Conv: the batch becomes the channels. With x as
 * [Cin/G, G * N, ...spatial] (batch Cin/G) and dy as the kernel [Cout, N, ...outSpatial], a
 * Conv with group G, strides = the forward dilations, dilations = the forward strides and the
 * forward padding gives [Cin/G, Cout, ...k'] with k' >= k; the first k positions are dw.
 */
const convBackpropFilterConv: Lowering = (b, node, [x, dy], [xn, dyn]) => {
  const a = node.attrs as unknown as ConvAttrs & { kernelShape: number[] };
  const r = a.rank;
  const G = a.groups;
  const [N] = xn.shape;
  const spatial = xn.shape.slice(1, r + 1);
  const cin = xn.shape[r + 1];
  const cg = cin / G;
  const k = a.kernelShape.slice(0, r);
  const pads = ops.resolveConvPadding(spatial, k, a.strides, a.dilations, a.padding);
  const outSpatial = dyn.shape.slice(1, r + 1);
  const sp = Array.from({ length: r }, (_, i) => i + 1);
  let xb: string;
  if (G === 1) xb = b.transpose(x, [r + 1, 0, ...sp]);
  else {
    const split = b.reshape(x, [N, ...spatial, G, cg]);
    xb = b.reshape(b.transpose(split, [r + 2, r + 1, 0, ...sp]), [cg, G * N, ...spatial]);
  }
  const wb = b.transpose(dy, [r + 1, 0, ...sp]);
  const kOut = spatial.map((s, i) => Math.floor((s + pads[i][0] + pads[i][1] - ((outSpatial[i] - 1) * a.strides[i] + 1)) / a.dilations[i]) + 1);
  let y = b.node('Conv', [xb, wb], {
    strides: a.dilations,
    dilations: a.strides,
    pads: flatPads(pads),
    group: G,
    kernel_shape: outSpatial,
  });
  if (kOut.some((d, i) => d !== k[i])) {
    y = b.node('Slice', [y, b.i64(k.map(() => 0)), b.i64(k), b.i64(k.map((_, i) => i + 2))]);
  }
  // [Cin/G, Cout, ...k] -> [...k, Cin/G, Cout]
  return b.transpose(y, [...Array.from({ length: r }, (_, i) => i + 2), 0, 1]);
};

// ---------------------------------------------------------------------------------------------
// Pooling
// ---------------------------------------------------------------------------------------------

interface PoolAttrs {
  rank: number;
  poolSize: number[];
  strides: number[];
  padding: 'valid' | 'same';
}

function poolPads(shape: Shape, a: PoolAttrs): [number, number][] {
  const spatial = shape.slice(1, a.rank + 1);
  return ops.resolveConvPadding(
    spatial,
    a.poolSize,
    a.strides,
    spatial.map(() => 1),
    a.padding,
  );
}

function poolAttrsOf(shape: Shape, a: PoolAttrs) {
  return { kernel_shape: a.poolSize, strides: a.strides, pads: flatPads(poolPads(shape, a)) };
}

function poolKey(xId: number, a: PoolAttrs): string {
  return `${xId}|${JSON.stringify([a.rank, a.poolSize, a.strides, a.padding])}`;
}

/**
 * MaxPool of float x (channels-first) with its argmax indices (first maximum in window scan
 * order, flattened over [N, C, ...spatial]), computed once per (x, attributes).
 */
function maxPoolWithIndices(b: GraphBuilder, x: string, xShape: Shape, a: PoolAttrs): [string, string] {
  const [y, idx] = b.memo(`maxpool|${x}|${JSON.stringify([a.rank, a.poolSize, a.strides, a.padding])}`, () =>
    b.nodeN('MaxPool', [b.transpose(x, toCF(a.rank))], { ...poolAttrsOf(xShape, a), storage_order: 0 }, 2),
  );
  return [y, idx];
}

const maxPool: Lowering = (b, node, [x], [xn]) => {
  const a = node.attrs as unknown as PoolAttrs;
  const r = a.rank;
  // When the graph also backpropagates through this pool, one MaxPool gives both the values and the argmax.
  if (xn.dtype === 'float32' && b.poolsWithGrad.has(poolKey(xn.id, a))) return b.transpose(maxPoolWithIndices(b, x, xn.shape, a)[0], fromCF(r));
  let xc = b.transpose(x, toCF(r));
  // onnxruntime's MaxPool takes float types only: int32 goes through float64 exactly.
  if (xn.dtype === 'int32') xc = b.cast(xc, TensorType.DOUBLE);
  let y = b.node('MaxPool', [xc], poolAttrsOf(xn.shape, a));
  if (xn.dtype === 'int32') y = b.cast(y, TensorType.INT32);
  return b.transpose(y, fromCF(r));
};

const avgPool: Lowering = (b, node, [x], [xn]) => {
  const a = node.attrs as unknown as PoolAttrs;
  const r = a.rank;
  const y = b.node('AveragePool', [b.transpose(x, toCF(r))], { ...poolAttrsOf(xn.shape, a), count_include_pad: 0 });
  return b.transpose(y, fromCF(r));
};

function cfShape(shape: Shape, r: number): number[] {
  return toCF(r).map((p) => shape[p]);
}

/**
 * max_pool_grad: each dy goes to its window's first maximum (MaxPool's argmax indices). With
 * windows that do not overlap (strides >= pool size, the usual case) no two windows share a
 * position, so MaxUnpool places the dys; otherwise they are scatter-added at the indices.
 */
const maxPoolGrad: Lowering = (b, node, [x, dy], [xn, dyn]) => {
  const a = node.attrs as unknown as PoolAttrs;
  const r = a.rank;
  const [, idx] = maxPoolWithIndices(b, x, xn.shape, a);
  const dyc = b.transpose(dy, toCF(r));
  const inCF = cfShape(xn.shape, r);
  if (a.strides.every((s, i) => s >= a.poolSize[i])) {
    const dx = b.node('MaxUnpool', [dyc, idx, b.i64(inCF)], { kernel_shape: a.poolSize, strides: a.strides, pads: flatPads(poolPads(xn.shape, a)) });
    return b.transpose(dx, fromCF(r));
  }
  const upd = b.reshape(dyc, [sizeOf(dyn.shape)]);
  const flatIdx = b.reshape(idx, [sizeOf(dyn.shape)]);
  const dx = b.node('ScatterElements', [b.full([sizeOf(xn.shape)], 0, 'float32'), flatIdx, upd], { axis: 0, reduction: 'add' });
  return b.transpose(b.reshape(dx, inCF), fromCF(r));
};

const maxPoolGradGrad: Lowering = (b, node, [x, g], [xn]) => {
  const a = node.attrs as unknown as PoolAttrs;
  const r = a.rank;
  const [, idx] = maxPoolWithIndices(b, x, xn.shape, a);
  const gFlat = b.reshape(b.transpose(g, toCF(r)), [sizeOf(xn.shape)]);
  const picked = b.node('GatherElements', [gFlat, b.reshape(idx, [sizeOf(node.shape)])], { axis: 0 });
  return b.transpose(b.reshape(picked, cfShape(node.shape, r)), fromCF(r));
};

/** Per output window, how many input positions it covers (padding excluded), shaped [1, ...out, 1]. */
function windowCounts(inShape: Shape, outShape: Shape, a: PoolAttrs): Float32Array {
  const r = a.rank;
  const pads = poolPads(inShape, a);
  const perAxis = Array.from({ length: r }, (_, d) => {
    const n = inShape[d + 1];
    return Array.from({ length: outShape[d + 1] }, (_, o) => {
      const lo = Math.max(o * a.strides[d] - pads[d][0], 0);
      const hi = Math.min(o * a.strides[d] - pads[d][0] + a.poolSize[d], n);
      return Math.max(hi - lo, 0);
    });
  });
  const out = outShape.slice(1, r + 1);
  const counts = new Float32Array(sizeOf(out));
  const st = stridesOf(out);
  for (let i = 0; i < counts.length; i++) {
    let c = 1;
    for (let d = 0; d < r; d++) c *= perAxis[d][Math.floor(i / st[d]) % out[d]];
    counts[i] = c;
  }
  return counts;
}

/** avg_pool_grad: dy divided by each window's count, then the adjoint of the window sum (a depthwise ConvTranspose with a ones kernel). */
const avgPoolGrad: Lowering = (b, node, [dy], [dyn]) => {
  const a = node.attrs as unknown as PoolAttrs & { inputShape: number[] };
  const r = a.rank;
  const inShape = a.inputShape;
  const C = inShape[r + 1];
  const counts = b.init(windowCounts(inShape, dyn.shape, a), [1, ...dyn.shape.slice(1, r + 1), 1], TensorType.FLOAT);
  const scaled = b.node('Div', [dy, counts]);
  const pads = poolPads(inShape, a);
  const outSpatial = dyn.shape.slice(1, r + 1);
  const spatial = inShape.slice(1, r + 1);
  const outputPadding = spatial.map((s, i) => s - ((outSpatial[i] - 1) * a.strides[i] + a.poolSize[i] - pads[i][0] - pads[i][1]));
  const ones = b.init(new Float32Array(C * sizeOf(a.poolSize)).fill(1), [C, 1, ...a.poolSize], TensorType.FLOAT);
  const y = b.node('ConvTranspose', [b.transpose(scaled, toCF(r)), ones], {
    strides: a.strides,
    pads: flatPads(pads),
    group: C,
    kernel_shape: a.poolSize,
    output_padding: outputPadding,
  });
  return b.transpose(y, fromCF(r));
};

// ---------------------------------------------------------------------------------------------
// Resize (TF2 half-pixel rules: the spec's ops.resizeTaps, as every backend)
// ---------------------------------------------------------------------------------------------

/** Resize as gathers along H and W (and, for bilinear, the lerps in TF's order). */
const resize: Lowering = (b, node, [x], [xn]) => {
  const method = node.attrs.method as ops.ResizeMethod;
  const [, H, W] = xn.shape;
  const [, h, w] = node.shape;
  const ys = ops.resizeTaps(method, H, h);
  const xs = ops.resizeTaps(method, W, w);
  const g = (t: string, idx: Int32Array, axis: number) => b.node('Gather', [t, b.init(idx, [idx.length], TensorType.INT32)], { axis });
  if (method === 'nearest') return g(g(x, ys.lower, 1), xs.lower, 2);
  const top = g(x, ys.lower, 1);
  const bottom = g(x, ys.upper, 1);
  const lx = b.init(xs.lerp, [w, 1], TensorType.FLOAT);
  const ly = b.init(ys.lerp, [h, 1, 1], TensorType.FLOAT);
  const lerp = (p: string, q: string, t: string) => b.node('Add', [p, b.node('Mul', [b.node('Sub', [q, p]), t])]);
  const t = lerp(g(top, xs.lower, 2), g(top, xs.upper, 2), lx);
  const bt = lerp(g(bottom, xs.lower, 2), g(bottom, xs.upper, 2), lx);
  return lerp(t, bt, ly);
};

/** resize_grad: dx = Ayᵀ · dy · Ax over the spatial axes (resize is separable and linear). */
const resizeGrad: Lowering = (b, node, [dy], [dyn]) => {
  const method = node.attrs.method as ops.ResizeMethod;
  const [, H, W] = node.shape;
  const [, h, w] = dyn.shape;
  const ax = b.init(ops.resizeWeights(method, W, w), [w, W], TensorType.FLOAT);
  const ayT = b.transpose(b.init(ops.resizeWeights(method, H, h), [h, H], TensorType.FLOAT), [1, 0]);
  const cf = b.transpose(dy, [0, 3, 1, 2]); // [N, C, h, w]
  const byW = b.node('MatMul', [cf, ax]); // [N, C, h, W]
  const byH = b.node('MatMul', [ayT, byW]); // [N, C, H, W]
  return b.transpose(byH, [0, 2, 3, 1]);
};

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const LOWERINGS: Record<string, Lowering> = {
  ...Object.fromEntries(Object.entries(SIMPLE_UNARY).map(([k, op]) => [k, ((b, _n, ins) => b.node(op, ins)) as Lowering])),
  ...Object.fromEntries(Object.entries(SIMPLE_BINARY).map(([k, op]) => [k, ((b, _n, ins) => b.node(op, ins)) as Lowering])),
  log1p,
  expm1,
  rsqrt: (b, _n, [x]) => b.node('Reciprocal', [b.node('Sqrt', [x])]),
  square: (b, _n, [x]) => b.node('Mul', [x, x]),
  relu: (b, node, [x]) => (node.dtype === 'float32' ? b.node('Relu', [x]) : b.node('Max', [x, b.scalar(0, node.dtype)])),
  mul: (b, _n, ins) => b.node('Mul', ins),
  div: (b, node, [x, y]) => (node.dtype === 'int32' ? intDiv(b, x, y) : b.node('Div', [x, y])),
  not_equal: (b, _n, ins) => b.node('Not', [b.node('Equal', ins)]),
  where: (b, _n, ins) => b.node('Where', ins),
  cast: (b, node, [x]) => b.cast(x, elemType(node.dtype)),
  clip: (b, node, [x]) => b.node('Clip', [x, b.scalar(node.attrs.min as number, node.dtype), b.scalar(node.attrs.max as number, node.dtype)]),

  sum: reduce('ReduceSum'),
  prod: reduce('ReduceProd'),
  max: reduce('ReduceMax'),
  min: reduce('ReduceMin'),
  mean: reduce('ReduceMean'),
  logsumexp: reduce('ReduceLogSumExp'),
  argmax: argReduce('ArgMax'),
  argmin: argReduce('ArgMin'),

  reshape: (b, node, [x], [xn]) => b.reshape(x, node.shape, xn.shape),
  transpose: (b, node, [x]) => b.transpose(x, node.attrs.perm as number[]),
  broadcast_to: (b, node, [x], [xn]) => expandTo(b, x, xn.shape, node.shape),
  fill: (b, node) => b.full(node.shape, node.attrs.value as number, node.dtype),
  random_uniform: (b, node, [seed]) => randomUniform(b, node, seed),
  random_normal: (b, node, [seed]) => randomNormal(b, node, seed),

  matmul: (b, node, [x, y], [xn, yn], bias) => {
    const { transposeA: tA, transposeB: tB } = node.attrs as { transposeA: boolean; transposeB: boolean };
    if (xn.shape.length === 2 && yn.shape.length === 2) return b.node('Gemm', [x, y, ...(bias ? [bias] : [])], { transA: tA ? 1 : 0, transB: tB ? 1 : 0 });
    const swap = (r: number) => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
    return b.node('MatMul', [tA ? b.transpose(x, swap(xn.shape.length)) : x, tB ? b.transpose(y, swap(yn.shape.length)) : y]);
  },

  slice: (b, node, [x], [xn]) => {
    const begin = node.attrs.begin as number[];
    return sliceAxes(
      b,
      x,
      xn.shape,
      begin,
      node.shape.map((d, i) => begin[i] + d),
    );
  },
  strided_slice: (b, node, [x], [xn]) => {
    const { begin, end, strides } = node.attrs as { begin: number[]; end: number[]; strides: number[] };
    return sliceAxes(b, x, xn.shape, begin, end, strides);
  },
  strided_slice_grad: stridedSliceGrad,
  concat: (b, node, ins, inNodes) => {
    const axis = resolveAxis(node.attrs.axis as number, node.shape.length);
    const kept = ins.filter((_, i) => sizeOf(inNodes[i].shape) > 0);
    return kept.length === 1 ? kept[0] : b.node('Concat', kept, { axis });
  },
  pad: (b, node, [x], [xn]) => {
    const { paddings, value } = node.attrs as { paddings: [number, number][]; value: number };
    if (sizeOf(xn.shape) === 0) return b.full(node.shape, value, node.dtype);
    if (paddings.every(([p, q]) => p === 0 && q === 0)) return x;
    return b.node('Pad', [x, b.i64([...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])]), b.scalar(value, node.dtype)], { mode: 'constant' });
  },
  tile: (b, node, [x], [xn]) => (xn.shape.length === 0 ? x : b.node('Tile', [x, b.i64(node.attrs.reps as number[])])),

  // ONNX's Gather wraps negative indices (numpy); the spec refuses them, as TF and the other
  // backends: they are moved past the end, which onnxruntime refuses (see OnnxExecutable.run).
  gather: (b, node, [p, i], [pn]) => {
    const safe = b.node('Where', [b.node('Less', [i, b.scalar(0, 'int32')]), b.scalar(GATHER_REFUSED_INDEX, 'int32'), i]);
    return b.node('Gather', [p, safe], { axis: resolveAxis(node.attrs.axis as number, pn.shape.length) });
  },
  gather_grad: gatherGrad,
  take_along_axis: takeAlongAxis,
  take_along_axis_grad: takeAlongAxisGrad,
  one_hot: oneHot,
  cumsum: (b, node, [x], [xn]) => {
    const { axis, exclusive, reverse } = node.attrs as { axis: number; exclusive: boolean; reverse: boolean };
    return b.node('CumSum', [x, b.i64s(resolveAxis(axis, xn.shape.length))], { exclusive: exclusive ? 1 : 0, reverse: reverse ? 1 : 0 });
  },

  softmax: (b, node, [x]) => b.node('Softmax', [x], { axis: node.attrs.axis as number }),
  log_softmax: (b, node, [x]) => b.node('LogSoftmax', [x], { axis: node.attrs.axis as number }),

  conv,
  conv_transpose: convTranspose,
  conv_backprop_filter: convBackpropFilter,
  max_pool: maxPool,
  avg_pool: avgPool,
  max_pool_grad: maxPoolGrad,
  max_pool_grad_grad: maxPoolGradGrad,
  avg_pool_grad: avgPoolGrad,
  resize,
  resize_grad: resizeGrad,
};

/**
 * Finds `add(p, bias)` (either order) where p is a conv, a conv_transpose or a 2-D matmul read
 * by nothing else and bias a float vector over p's last axis ([C] or [1, ..., 1, C]) available
 * when p is lowered: the bias is then passed to ONNX's Conv / ConvTranspose / Gemm, which add it in
 * their output pass (onnxruntime's broadcasting Add over the channels-first layout is slow).
 * Returns add id -> [producer id, bias id].
 */
function findBiasFusions(graph: Graph): Map<number, [number, number]> {
  const uses = new Map<number, number>();
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of graph.outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const out = new Map<number, [number, number]>();
  for (const n of graph.nodes) {
    if (n.op !== 'add' || n.dtype !== 'float32') continue;
    for (const [pi, bi] of [
      [0, 1],
      [1, 0],
    ]) {
      const p = graph.nodes[n.inputs[pi]];
      const bias = graph.nodes[n.inputs[bi]];
      // The bias must have its ONNX name when p is lowered: computed before p, or a graph input
      // (weights are read, hence placeholders created, after the op that uses them is traced).
      const ready = bias.id < p.id || (bias.op === 'placeholder' && graph.inputs.includes(bias.id));
      if (p.id === bias.id || uses.get(p.id) !== 1 || !ready) continue;
      const fusable = p.op === 'conv' || p.op === 'conv_transpose' || (p.op === 'matmul' && graph.nodes[p.inputs[0]].shape.length === 2 && graph.nodes[p.inputs[1]].shape.length === 2);
      if (!fusable) continue;
      const c = p.shape[p.shape.length - 1];
      const bs = bias.shape;
      const vector = bs.length >= 1 && bs.length <= p.shape.length && bs[bs.length - 1] === c && bs.slice(0, -1).every((d) => d === 1);
      if (!vector || n.shape.length !== p.shape.length || !n.shape.every((d, i) => d === p.shape[i])) continue;
      out.set(n.id, [p.id, bias.id]);
      break;
    }
  }
  return out;
}

/** Whether the lowering handles `op`. */
export function hasLowering(op: string): boolean {
  return op === 'placeholder' || op === 'constant' || op in LOWERINGS;
}

/**
 * Every op the lowering handles: placeholder, constant, and the ops of its lowering table
 * (composites only those in {@link NATIVE_COMPOSITES} reach it).
 */
export function loweredOps(): string[] {
  return ['placeholder', 'constant', ...Object.keys(LOWERINGS)];
}

/** An input or output of a lowered model: its ONNX name, dtype and (traced) shape. */
export interface IOSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** Options of {@link lowerGraph}. */
export interface LowerOptions {
  /** Placeholders (by node id) baked into the model as initializers instead of inputs. */
  readonly bake?: ReadonlyMap<number, HostTensor>;
  /** Graph input names, in the graph's input order (default: sanitized placeholder names). */
  readonly inputNames?: readonly string[];
  /** Output names (default out_0, out_1...). */
  readonly outputNames?: readonly string[];
  /** Declared dims of each input and output (e.g. a symbolic batch); default the static shape. */
  readonly inputDims?: (k: number, shape: Shape) => readonly Dim[];
  /** Declared dims of each output, as `inputDims` for inputs; default the static shape. */
  readonly outputDims?: (k: number, shape: Shape) => readonly Dim[];
  /**
   * Lower for a symbolic batch of this traced size: shapes whose leading dimension equals it
   * read the batch from the first input that has it (for export; only shape-carrying ops
   * change, so the model stays correct at the traced size).
   */
  readonly dynamicBatch?: number;
}

/**
 * What {@link lowerGraph} returns: the ONNX graph under construction and the model's inputs and
 * outputs.
 */
export interface Lowered {
  readonly builder: GraphBuilder;
  /** The model's inputs (placeholders not baked), in graph input order, with their position in the graph's inputs. */
  readonly inputs: readonly (IOSpec & { readonly index: number })[];
  readonly outputs: readonly IOSpec[];
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.:/-]/g, '_') || 'input';
}

/**
 * Lowers `graph` (composites other than {@link NATIVE_COMPOSITES} already lowered, dead nodes
 * dropped) into a GraphBuilder. Placeholders become inputs (or initializers when baked),
 * constants initializers; every output goes through an Identity named after it.
 */
export function lowerGraph(graph: Graph, opts: LowerOptions = {}): Lowered {
  const b = new GraphBuilder();
  const names = new Map<number, string>();
  const inputs: (IOSpec & { index: number })[] = [];
  const used = new Set<string>();
  graph.inputs.forEach((id, k) => {
    const node = graph.nodes[id];
    const baked = opts.bake?.get(id);
    if (baked) {
      const w = b.init(baked.data, node.shape, elemType(node.dtype), b.fresh('w'));
      names.set(id, w);
      b.shapes.set(w, node.shape);
      return;
    }
    let name = opts.inputNames?.[k] ?? sanitize(String(node.attrs.name ?? `input_${k}`));
    while (used.has(name)) name = `${name}_${k}`;
    used.add(name);
    names.set(id, name);
    b.shapes.set(name, node.shape);
    b.addInput(name, node.dtype, opts.inputDims ? opts.inputDims(k, node.shape) : node.shape);
    inputs.push({ name, dtype: node.dtype, shape: node.shape, index: k });
    if (opts.dynamicBatch !== undefined && !b.batch && node.shape.length > 0 && node.shape[0] === opts.dynamicBatch) {
      b.batch = { size: opts.dynamicBatch, source: name };
    }
  });
  for (const n of graph.nodes) {
    if (n.op === 'max_pool_grad' || n.op === 'max_pool_grad_grad') b.poolsWithGrad.add(poolKey(n.inputs[0], n.attrs as unknown as PoolAttrs));
  }
  const fusions = findBiasFusions(graph);
  const biasOf = new Map<number, number>();
  for (const [, [p, bias]] of fusions) biasOf.set(p, bias);
  // Fills are emitted where first needed as tensors: an elementwise op whose other inputs
  // already give the output's shape takes a fill as a broadcast scalar instead (zerosLike in
  // gradients would otherwise be materialized and read in full).
  const nameOf = (id: number): string => {
    let n = names.get(id);
    if (n === undefined) {
      const f = graph.nodes[id];
      n = sizeOf(f.shape) === 0 ? b.full(f.shape, 0, f.dtype) : b.full(f.shape, f.attrs.value as number, f.dtype);
      names.set(id, n);
      b.shapes.set(n, f.shape);
    }
    return n;
  };
  const reluOf = new Map<number, number>();
  for (const n of graph.nodes) if (n.op === 'relu' && n.dtype === 'float32' && !reluOf.has(n.inputs[0])) reluOf.set(n.inputs[0], n.id);
  const isZero = (id: number): boolean => {
    const n = graph.nodes[id];
    if (n.op === 'fill') return n.attrs.value === 0;
    return n.op === 'constant' && sizeOf(n.shape) === 1 && constantData(n)[0] === 0;
  };
  const inputNames = (node: Node): string[] => {
    if (!ELEMENTWISE.has(node.op)) return node.inputs.map(nameOf);
    // relu's gradient mask greater(x, 0) equals greater(relu(x), 0): reading relu's output
    // leaves x (a conv's output) with one reader, so onnxruntime can fuse conv and relu.
    if (node.op === 'greater' && isZero(node.inputs[1])) {
      const r = reluOf.get(node.inputs[0]);
      if (r !== undefined && names.has(r)) return [names.get(r)!, ...node.inputs.slice(1).map(nameOf)];
    }
    const shapes: Shape[] = node.inputs.map((i) => graph.nodes[i].shape);
    return node.inputs.map((id, j) => {
      const src = graph.nodes[id];
      if (src.op === 'fill' && !names.has(id)) {
        const others = shapes.filter((_, i) => i !== j).reduce<Shape | null>((acc, sh) => acc && broadcastShapes(acc, sh), []);
        if (others && shapesEqual(others, node.shape)) {
          shapes[j] = [];
          return b.scalar(src.attrs.value as number, src.dtype);
        }
      }
      return nameOf(id);
    });
  };
  for (const node of graph.nodes) {
    if (names.has(node.id)) continue;
    if (node.op === 'placeholder') continue; // not an input of the graph: unused
    if (node.op === 'fill') continue; // emitted by nameOf when needed
    const fused = fusions.get(node.id);
    if (fused) {
      names.set(node.id, nameOf(fused[0]));
      continue;
    }
    let out: string;
    if (node.op === 'constant') {
      out = b.init(constantData(node), node.shape, elemType(node.dtype));
    } else if (sizeOf(node.shape) === 0) {
      out = b.full(node.shape, 0, node.dtype);
    } else {
      const lower = LOWERINGS[node.op];
      if (!lower) throw new Error(`backend-onnx: no lowering for op '${node.op}' (%${node.id})`);
      const inNodes = node.inputs.map((i) => graph.nodes[i]);
      const biasId = biasOf.get(node.id);
      let bias: string | undefined;
      if (biasId !== undefined) {
        const bn = graph.nodes[biasId];
        const c = node.shape[node.shape.length - 1];
        bias = bn.shape.length === 1 ? nameOf(biasId) : b.reshape(nameOf(biasId), [c]);
      }
      out = lower(b, node, inputNames(node), inNodes, bias);
    }
    names.set(node.id, out);
    // A lowering may return one of its inputs (an identity); that name keeps its own shape.
    if (!b.shapes.has(out)) b.shapes.set(out, node.shape);
  }
  const outputs: IOSpec[] = graph.outputs.map((id, k) => {
    const node = graph.nodes[id];
    const name = opts.outputNames?.[k] ?? `out_${k}`;
    b.nodes.push({ op: 'Identity', inputs: [nameOf(id)], outputs: [name] });
    b.addOutput(name, node.dtype, opts.outputDims ? opts.outputDims(k, node.shape) : node.shape);
    return { name, dtype: node.dtype, shape: node.shape };
  });
  return { builder: b, inputs, outputs };
}
