import type { DataArray, HostTensor, OpName } from '@keras-ts/spec';
import type { Kernel, KernelTable, NodeFor } from '../kernel.js';
import { broadcastStrides, forEachRow } from './strides.js';

// The elementwise ops of backend-ts, each written once, in one of the three tables below. An entry
// gives the op's standalone kernel and its form in the loops fusion.ts generates for chains of
// elementwise ops (and for the epilogues of fused matmuls and convolutions): the scalar function
// `f` and, where it inlines better than a call of `f`, the same function as an expression
// `expr`. Adding an elementwise op to the spec means adding its entry here, nothing else in this
// package; the shared op suite's kernel coverage fails, naming this file, until it is added.

/** erf to about 1e-7 absolute (Abramowitz & Stegun 7.1.26 is too coarse; this is W. J. Cody's rational form via erfc for |x| > 0.5). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    // Taylor series, converges fast near 0.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 30; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc (Lentz), accurate for |x| >= 0.5.
  if (ax > 6) return Math.sign(x);
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

/** Round half to even, as numpy and TensorFlow. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** log(1 + e^x), without overflow for large x. */
export function softplus(x: number): number {
  // log(1 + e^x) without overflow.
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + e^-x), without overflow for large |x|. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * max(x, 0) as TensorFlow computes it (-0 and -inf give 0, NaN stays NaN, so a NaN reaches the
 * loss), without a branch on the sign: a mispredicted branch per element (half the activations
 * are negative) costs more than the arithmetic. (x + |x|) / 2 is exact for float32 values and gives
 * +0 for -0; it is NaN only for NaN and -inf, told apart by a branch that is (almost) never taken.
 */
export function relu(x: number): number {
  const r = (x + Math.abs(x)) * 0.5;
  return r === r ? r : x === x ? 0 : x;
}

/** The sign of x: -1, 0 or 1, and NaN for NaN (as numpy and TensorFlow). */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
}

/** A unary elementwise op: y = f(x). */
export interface UnaryOp {
  /** The function of one element (float32 and bool; int32 too unless `int` is given). */
  readonly f: (x: number) => number;
  /** The int32 function, where it differs from `f`. */
  readonly int?: (x: number) => number;
  /** `f` as a JavaScript expression of the expression `x`, for generated loops; default a call of `f`. */
  readonly expr?: (x: string) => string;
}

/** A broadcasting binary elementwise op: y = f(a, b). */
export interface BinaryOp {
  /** The function of one pair of elements (float32 and bool; int32 too unless `int` is given). */
  readonly f: (a: number, b: number) => number;
  /** The int32 function, where it differs from `f`. */
  readonly int?: (a: number, b: number) => number;
  /** `f` as a JavaScript expression of the expressions `a` and `b`, for generated loops; default a call of `f`. */
  readonly expr?: (a: string, b: string) => string;
}

/**
 * An elementwise op with attributes or a third input: its kernel and its expression, side by
 * side. `ShapedOp<'clip'>` receives clip's nodes, their attributes typed.
 */
export interface ShapedOp<N extends string = string> {
  readonly kernel: Kernel<N>;
  /** The expression of the node's output from its inputs' expressions (float32 and bool only). */
  expr(ins: readonly string[], node: NodeFor<N>): string;
}

/** int32 square as TF: the product modulo 2^32 (x * x in doubles loses the low bits past 2^53). */
const squareInt = (x: number): number => Math.imul(x, x);

/** Floor division for integers (as Python and TensorFlow's floordiv); 0 when dividing by 0. */
function intDiv(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor(a / b);
}

/** The unary elementwise ops. */
export const UNARY_OPS: Readonly<Record<string, UnaryOp>> = {
  neg: { f: (x) => -x, expr: (x) => `(-${x})` },
  abs: { f: Math.abs, expr: (x) => `Math.abs(${x})` },
  sign: { f: sign, expr: (x) => `(${x} > 0 ? 1 : ${x} < 0 ? -1 : ${x} === 0 ? 0 : NaN)` },
  exp: { f: Math.exp, expr: (x) => `Math.exp(${x})` },
  log: { f: Math.log, expr: (x) => `Math.log(${x})` },
  log1p: { f: Math.log1p, expr: (x) => `Math.log1p(${x})` },
  expm1: { f: Math.expm1, expr: (x) => `Math.expm1(${x})` },
  sqrt: { f: Math.sqrt, expr: (x) => `Math.sqrt(${x})` },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), expr: (x) => `(1 / Math.sqrt(${x}))` },
  square: { f: (x) => x * x, int: squareInt, expr: (x) => `(${x} * ${x})` },
  reciprocal: { f: (x) => 1 / x, expr: (x) => `(1 / ${x})` },
  sin: { f: Math.sin, expr: (x) => `Math.sin(${x})` },
  cos: { f: Math.cos, expr: (x) => `Math.cos(${x})` },
  tanh: { f: Math.tanh, expr: (x) => `Math.tanh(${x})` },
  sigmoid: { f: sigmoid },
  relu: { f: relu },
  erf: { f: erf },
  floor: { f: Math.floor, expr: (x) => `Math.floor(${x})` },
  ceil: { f: Math.ceil, expr: (x) => `Math.ceil(${x})` },
  round: { f: roundHalfEven },
  softplus: { f: softplus },
  logical_not: { f: (x) => (x ? 0 : 1), expr: (x) => `(${x} ? 0 : 1)` },
};

/** The broadcasting binary elementwise ops. */
export const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  add: { f: (a, b) => a + b, expr: (a, b) => `(${a} + ${b})` },
  sub: { f: (a, b) => a - b, expr: (a, b) => `(${a} - ${b})` },
  mul: { f: (a, b) => a * b, int: Math.imul, expr: (a, b) => `(${a} * ${b})` },
  div: { f: (a, b) => a / b, int: intDiv, expr: (a, b) => `(${a} / ${b})` },
  pow: { f: Math.pow, expr: (a, b) => `Math.pow(${a}, ${b})` },
  // NaN in either input gives NaN, as TF.
  maximum: { f: (a, b) => (a >= b || a !== a ? a : b), expr: (a, b) => `(${a} >= ${b} || ${a} !== ${a} ? ${a} : ${b})` },
  minimum: { f: (a, b) => (a <= b || a !== a ? a : b), expr: (a, b) => `(${a} <= ${b} || ${a} !== ${a} ? ${a} : ${b})` },
  equal: { f: (a, b) => (a === b ? 1 : 0), expr: (a, b) => `(${a} === ${b} ? 1 : 0)` },
  not_equal: { f: (a, b) => (a !== b ? 1 : 0), expr: (a, b) => `(${a} !== ${b} ? 1 : 0)` },
  less: { f: (a, b) => (a < b ? 1 : 0), expr: (a, b) => `(${a} < ${b} ? 1 : 0)` },
  less_equal: { f: (a, b) => (a <= b ? 1 : 0), expr: (a, b) => `(${a} <= ${b} ? 1 : 0)` },
  greater: { f: (a, b) => (a > b ? 1 : 0), expr: (a, b) => `(${a} > ${b} ? 1 : 0)` },
  greater_equal: { f: (a, b) => (a >= b ? 1 : 0), expr: (a, b) => `(${a} >= ${b} ? 1 : 0)` },
  logical_and: { f: (a, b) => (a && b ? 1 : 0), expr: (a, b) => `(${a} && ${b} ? 1 : 0)` },
  logical_or: { f: (a, b) => (a || b ? 1 : 0), expr: (a, b) => `(${a} || ${b} ? 1 : 0)` },
};

/** Runs `row` over the innermost rows of `outShape`, with each input's offset and inner stride. */
export function broadcastLoop(
  outShape: readonly number[],
  inputs: readonly HostTensor[],
  row: (outOffset: number, offsets: number[], len: number, innerStrides: number[]) => void,
): void {
  const strides = inputs.map((t) => broadcastStrides(t.shape, outShape));
  const rank = outShape.length;
  const len = rank ? outShape[rank - 1] : 1;
  const inner = strides.map((s) => (rank ? s[rank - 1] : 0));
  forEachRow(outShape, strides, (o, offs) => row(o, offs, len, inner));
}

/** A JavaScript literal of a number (for bounds inlined into generated loops). */
export function literal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${String(v)})` : String(v);
}

/** where, cast and clip, each typed for its op. */
const SHAPED_TABLE = {
  where: {
    kernel: ([c, x, y], node, out) => {
      const cd = c.data;
      const a = x.data;
      const b = y.data;
      broadcastLoop(node.shape, [c, x, y], (o, [oc, oa, ob], len, [sc, sa, sb]) => {
        for (let j = 0; j < len; j++) out[o + j] = cd[oc + j * sc] ? a[oa + j * sa] : b[ob + j * sb];
      });
    },
    expr: ([c, a, b]) => `(${c} ? ${a} : ${b})`,
  },
  cast: {
    kernel: ([x], node, out) => {
      const a = x.data;
      const to = node.dtype;
      if (to === 'bool') for (let i = 0; i < out.length; i++) out[i] = a[i] !== 0 ? 1 : 0;
      else if (to === 'int32' && x.dtype === 'float32') for (let i = 0; i < out.length; i++) out[i] = Math.trunc(a[i]);
      else (out as DataArray).set(a);
    },
    // Fused loops hold float32 and bool only: a cast between them keeps the value, or tests != 0.
    expr: ([x], node) => (node.dtype === 'bool' ? `(${x} !== 0 ? 1 : 0)` : x),
  },
  clip: {
    kernel: ([x], node, out) => {
      const { min: lo, max: hi } = node.attrs;
      const a = x.data;
      for (let i = 0; i < out.length; i++) {
        const v = a[i];
        out[i] = v < lo ? lo : v > hi ? hi : v;
      }
    },
    expr: ([x], node) => {
      const lo = literal(node.attrs.min);
      const hi = literal(node.attrs.max);
      return `(${x} < ${lo} ? ${lo} : ${x} > ${hi} ? ${hi} : ${x})`;
    },
  },
} satisfies { readonly [N in OpName]?: ShapedOp<N> };

/** where, cast and clip. */
export const SHAPED_OPS: Readonly<Record<string, ShapedOp>> = SHAPED_TABLE;

function unaryKernel({ f, int }: UnaryOp): Kernel {
  return ([x], _node, out) => {
    const fn = int && x.dtype === 'int32' ? int : f;
    const a = x.data;
    for (let i = 0; i < out.length; i++) out[i] = fn(a[i]);
  };
}

function binaryKernel({ f, int }: BinaryOp): Kernel {
  return ([x, y], node, out) => {
    const fn = int && x.dtype === 'int32' ? int : f;
    const a = x.data;
    const b = y.data;
    const n = out.length;
    if (a.length === n && b.length === n) {
      for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]);
    } else if (b.length === 1 && a.length === n) {
      const bv = b[0];
      for (let i = 0; i < n; i++) out[i] = fn(a[i], bv);
    } else if (a.length === 1 && b.length === n) {
      const av = a[0];
      for (let i = 0; i < n; i++) out[i] = fn(av, b[i]);
    } else {
      broadcastLoop(node.shape, [x, y], (o, [oa, ob], len, [sa, sb]) => {
        for (let j = 0; j < len; j++) out[o + j] = fn(a[oa + j * sa], b[ob + j * sb]);
      });
    }
  };
}

/** The kernels of every elementwise op, made from the three tables. */
export const elementwiseKernels: KernelTable = {
  ...Object.fromEntries(Object.entries(UNARY_OPS).map(([k, op]) => [k, unaryKernel(op)])),
  ...Object.fromEntries(Object.entries(BINARY_OPS).map(([k, op]) => [k, binaryKernel(op)])),
  ...Object.fromEntries(Object.entries(SHAPED_OPS).map(([k, op]) => [k, op.kernel])),
};
