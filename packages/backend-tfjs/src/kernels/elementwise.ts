import * as tf from '@tensorflow/tfjs';
import { shapesEqual } from '@keras-ts/spec';
import type { Kernel, KernelTable, RunFn, TfjsBackendName } from '../kernel.js';

type Unary = (x: tf.Tensor) => tf.Tensor;
type Binary = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** A kernel that ignores its node: one tf op per call. */
const unary = (f: Unary): Kernel => () => ([x]) => f(x);
const binary = (f: Binary): Kernel => () => ([a, b]) => f(a, b);

/**
 * where(c, a, b). tf.where broadcasts its three operands first, and broadcasting to the same
 * shape is a copy on wasm (three Identity kernels per call): operands of one shape go straight to
 * the Select kernel.
 */
export function select(c: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (shapesEqual(c.shape, a.shape) && shapesEqual(a.shape, b.shape) && a.dtype === b.dtype) return tf.engine().runKernel('Select', { condition: c, t: a, e: b } as unknown as tf.NamedTensorMap) as tf.Tensor;
  return tf.where(c, a, b);
}

/** tfjs backends whose values live on a GPU: a synchronous readback there waits for every queued program. */
const onGpu = (backend: TfjsBackendName): boolean => backend === 'webgl' || backend === 'webgpu';

/**
 * y, with x's NaNs put back where a tfjs kernel dropped them. On cpu and wasm inputs rarely hold a
 * NaN, so the sum of x, read back (synchronous there), decides whether the IsNan + Select pass is
 * needed: a NaN makes the sum NaN (so does +inf with -inf: then the pass runs for nothing, still
 * right). On wasm that one reduction costs a fraction of the two passes it saves (MobileNetV2's 35
 * ReLU6 clips: 67 ms -> ~15 ms). On webgl and webgpu the readback would stall the GPU pipeline at
 * every call (MobileNetV2's predict on webgl: 2.9x tfjs-layers' time with it in `pnpm
 * bench:browser`, 1.13x without), so the pass always runs there.
 */
function keepNaN(x: tf.Tensor, y: tf.Tensor, backend: TfjsBackendName): tf.Tensor {
  if (x.size === 0) return y;
  if (!onGpu(backend) && !Number.isNaN(tf.sum(x).dataSync()[0])) return y;
  return select(tf.isNaN(x), x, y);
}

/**
 * sign. tf.sign maps NaN to 0 (the spec, as numpy and TF, keeps NaN); on wasm it also gives 0 for
 * small negatives such as -1e-30, so float sign is (x > 0) - (x < 0) there.
 */
const sign: Kernel = (_node, [x], ctx) => {
  if (x.dtype !== 'float32') return ([t]) => tf.sign(t);
  if (ctx.backend === 'cpu') return ([t]) => keepNaN(t, tf.sign(t), ctx.backend);
  return ([t]) => keepNaN(t, tf.sub(tf.cast(tf.greater(t, tf.scalar(0)), 'float32'), tf.cast(tf.less(t, tf.scalar(0)), 'float32')), ctx.backend);
};

/** abs. tfjs' int32 abs goes through float32 (abs(2147483647) gives -2147483648), so int32 is where(x < 0, -x, x). */
const abs: Kernel = (_node, [x]) => {
  if (x.dtype !== 'int32') return ([t]) => tf.abs(t);
  return ([t]) => tf.where(tf.less(t, tf.scalar(0, 'int32')), tf.neg(t), t);
};

/**
 * maximum / minimum propagate NaN from either side, as TF and backend-ts; wasm's kernels drop it
 * (maximum(7, NaN) = 7). cpu's and webgl's keep it (webgl's check each lane of a packed texel).
 */
function extremum(f: Binary): Kernel {
  return (_node, [a], ctx) => {
    if (ctx.backend === 'cpu' || ctx.backend === 'webgl' || a.dtype !== 'float32') return ([x, y]) => f(x, y);
    return ([x, y]) => keepNaN(x, keepNaN(y, f(x, y), ctx.backend), ctx.backend);
  };
}

/**
 * relu. webgl's packed Relu is x * (x >= 0), which gives NaN for -inf (TF's Relu is max(x, 0):
 * 0); there it is tf.maximum(x, 0), one program as well, which keeps NaN lane by lane.
 */
const relu: Kernel = (_node, [x], ctx) => {
  if (ctx.backend !== 'webgl') return ([t]) => tf.relu(t);
  const zero = ctx.keep(tf.scalar(0, x.dtype));
  return ([t]) => tf.maximum(t, zero);
};

const UNARY: Record<string, Unary> = {
  neg: tf.neg,
  exp: tf.exp,
  log: tf.log,
  log1p: tf.log1p,
  expm1: tf.expm1,
  sqrt: tf.sqrt,
  rsqrt: tf.rsqrt,
  square: tf.square,
  reciprocal: tf.reciprocal,
  sin: tf.sin,
  cos: tf.cos,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  erf: tf.erf,
  floor: tf.floor,
  ceil: tf.ceil,
  // tf.round rounds half to even (banker's rounding), as the spec.
  round: tf.round,
  softplus: tf.softplus,
  logical_not: tf.logicalNot,
};

/**
 * Integer division floors (as Python and TF's floordiv); dividing by 0 gives 0, as backend-ts
 * (tf.floorDiv would give 0 on cpu but traps on wasm, so the divisor is made safe first).
 */
function intDiv(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const zero = tf.equal(b, tf.scalar(0, 'int32'));
  const safe = tf.where(zero, tf.onesLike(b), b);
  return tf.where(zero, tf.scalar(0, 'int32'), tf.floorDiv(a, safe));
}

const BINARY: Record<string, Binary> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: (a, b) => (a.dtype === 'int32' ? intDiv(a, b) : tf.div(a, b)),
  pow: tf.pow,
  equal: tf.equal,
  not_equal: tf.notEqual,
  less: tf.less,
  less_equal: tf.lessEqual,
  greater: tf.greater,
  greater_equal: tf.greaterEqual,
  logical_and: tf.logicalAnd,
  logical_or: tf.logicalOr,
};

const where: Kernel = () => ([c, a, b]) => select(c, a, b);

/** Casts; to bool tests != 0 (tfjs' wasm cast writes 255 for true). */
const cast: Kernel = (node, [x]) => {
  const dtype = node.dtype;
  if (dtype === 'bool') return x.dtype === 'bool' ? ([t]) => t.clone() : ([t]) => tf.notEqual(t, tf.scalar(0, t.dtype));
  return ([t]) => tf.cast(t, dtype);
};

/**
 * clip. On int32, bounds are truncated toward zero (what storing them into an Int32Array does in
 * backend-ts) and applied with maximum/minimum: tfjs' wasm clipByValue reads int32 as float32.
 */
const clip: Kernel<'clip'> = (node, [x], ctx) => {
  const { min, max } = node.attrs;
  if (x.dtype === 'int32') {
    const lo = Math.trunc(min);
    const hi = Math.trunc(max);
    return ([t]) => tf.minimum(tf.maximum(t, tf.scalar(lo, 'int32')), tf.scalar(hi, 'int32'));
  }
  // NaN passes through, as backend-ts and TF; wasm's clipByValue turns it into min. webgl's packed
  // ClipByValue lets all four lanes of a texel through unclamped when one is NaN (NaN, -inf gave
  // NaN, -inf): there clip is maximum then minimum, which keep NaN lane by lane and read nothing back.
  if (ctx.backend === 'webgl') {
    const lo = ctx.keep(tf.scalar(min));
    const hi = ctx.keep(tf.scalar(max));
    return ([t]) => tf.minimum(tf.maximum(t, lo), hi);
  }
  const run: RunFn = ctx.backend === 'cpu' ? ([t]) => tf.clipByValue(t, min, max) : ([t]) => keepNaN(t, tf.clipByValue(t, min, max), ctx.backend);
  return run;
};

/** Elementwise unary and broadcasting binary ops, where, cast and clip. */
export const elementwiseKernels: KernelTable = {
  ...Object.fromEntries(Object.entries(UNARY).map(([k, f]) => [k, unary(f)])),
  ...Object.fromEntries(Object.entries(BINARY).map(([k, f]) => [k, binary(f)])),
  relu,
  sign,
  abs,
  maximum: extremum(tf.maximum),
  minimum: extremum(tf.minimum),
  where,
  cast,
  clip,
};
