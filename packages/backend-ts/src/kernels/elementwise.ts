import type { DataArray, HostTensor } from '@keras-ts/spec';
import type { Kernel, KernelTable } from '../kernel.js';
import { broadcastStrides, forEachRow } from './strides.js';

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

export function softplus(x: number): number {
  // log(1 + e^x) without overflow.
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + e^-x), without overflow for large |x|. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const UNARY_F: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  // max(x, 0) as TensorFlow: -0 and -inf give 0, NaN stays NaN (so a NaN reaches the loss).
  relu: (x) => (x > 0 || x !== x ? x : 0),
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  softplus,
  logical_not: (x) => (x ? 0 : 1),
};

/** int32 square as TF: the product modulo 2^32 (x * x in doubles loses the low bits past 2^53). */
const squareInt = (x: number): number => Math.imul(x, x);

function unaryKernel(name: string, f: (x: number) => number): Kernel {
  return ([x], _node, out) => {
    const fn = name === 'square' && x.dtype === 'int32' ? squareInt : f;
    const a = x.data;
    for (let i = 0; i < out.length; i++) out[i] = fn(a[i]);
  };
}

/** Floor division for integers (as Python and TensorFlow's floordiv); 0 when dividing by 0. */
function intDiv(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor(a / b);
}

const BINARY_F: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  not_equal: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  less_equal: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greater_equal: (a, b) => (a >= b ? 1 : 0),
  logical_and: (a, b) => (a && b ? 1 : 0),
  logical_or: (a, b) => (a || b ? 1 : 0),
};

function binaryKernel(name: string, f: (a: number, b: number) => number): Kernel {
  return ([x, y], node, out) => {
    const fn = name === 'div' && x.dtype === 'int32' ? intDiv : name === 'mul' && x.dtype === 'int32' ? Math.imul : f;
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

const where: Kernel = ([c, x, y], node, out) => {
  const cd = c.data;
  const a = x.data;
  const b = y.data;
  broadcastLoop(node.shape, [c, x, y], (o, [oc, oa, ob], len, [sc, sa, sb]) => {
    for (let j = 0; j < len; j++) out[o + j] = cd[oc + j * sc] ? a[oa + j * sa] : b[ob + j * sb];
  });
};

const cast: Kernel = ([x], node, out) => {
  const a = x.data;
  const to = node.dtype;
  if (to === 'bool') for (let i = 0; i < out.length; i++) out[i] = a[i] !== 0 ? 1 : 0;
  else if (to === 'int32' && x.dtype === 'float32') for (let i = 0; i < out.length; i++) out[i] = Math.trunc(a[i]);
  else (out as DataArray).set(a);
};

const clip: Kernel = ([x], node, out) => {
  const lo = node.attrs.min as number;
  const hi = node.attrs.max as number;
  const a = x.data;
  for (let i = 0; i < out.length; i++) {
    const v = a[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
};

export const elementwiseKernels: KernelTable = {
  ...Object.fromEntries(Object.entries(UNARY_F).map(([k, f]) => [k, unaryKernel(k, f)])),
  ...Object.fromEntries(Object.entries(BINARY_F).map(([k, f]) => [k, binaryKernel(k, f)])),
  where,
  cast,
  clip,
};
