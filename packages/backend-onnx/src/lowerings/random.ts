import { sizeOf } from '@keras-ts/spec';
import { TensorType, type GraphBuilder } from '../builder.js';
import type { AttrsOf, Lowering } from '../lowering.js';

/**
 * The random ops as ONNX subgraphs of the int32 seed input. ONNX's RandomUniform/RandomNormal
 * take a static seed attribute, so the generator is written in ops: backend-ts's mulberry32 is
 * counter-based (draw i is a fixed mix of seed + (i + 1) * 0x6d2b79f5 mod 2^32), so it is
 * evaluated for every draw at once in int64 arithmetic (32-bit products split into 16-bit
 * halves so nothing overflows), and the draws are turned into samples in float64 as backend-ts
 * does. The samples are the same as backend-ts's for the same seed.
 */

const MASK32 = 0xffffffff;

/** The low 32 bits of a * b for a, b in [0, 2^32), in int64 without overflow. */
function imul(b: GraphBuilder, x: string, y: string): string {
  const yl = b.node('BitwiseAnd', [y, b.i64s(0xffff)]);
  const yh = b.node('Div', [y, b.i64s(0x10000)]);
  const lo = b.node('Mul', [x, yl]); // < 2^48
  const hi = b.node('BitwiseAnd', [b.node('Mul', [x, yh]), b.i64s(0xffff)]);
  const sum = b.node('Add', [lo, b.node('Mul', [hi, b.i64s(0x10000)])]);
  return b.node('BitwiseAnd', [sum, b.i64s(MASK32)]);
}

/** x >>> k for x in [0, 2^32). */
const shr = (b: GraphBuilder, x: string, k: number) => b.node('Div', [x, b.i64s(2 ** k)]);

/**
 * `count` uniform draws in [0, 1) as float64 (mulberry32's outputs), from the int32 seed
 * tensor `seed`.
 */
function draws(b: GraphBuilder, seed: string, count: number): string {
  const s0 = b.node('BitwiseAnd', [b.cast(seed, TensorType.INT64), b.i64s(MASK32)]);
  const steps = new BigInt64Array(count);
  // (i + 1) * C mod 2^32, exactly ((i + 1) * C can exceed 2^53).
  for (let i = 0; i < count; i++) steps[i] = (BigInt(i + 1) * 0x6d2b79f5n) & 0xffffffffn;
  const counter = b.init(steps, [count], TensorType.INT64);
  let t = b.node('BitwiseAnd', [b.node('Add', [counter, s0]), b.i64s(MASK32)]);
  // t = imul(t ^ (t >>> 15), t | 1)
  t = imul(b, b.node('BitwiseXor', [t, shr(b, t, 15)]), b.node('BitwiseOr', [t, b.i64s(1)]));
  // t ^= t + imul(t ^ (t >>> 7), t | 61)
  const m = imul(b, b.node('BitwiseXor', [t, shr(b, t, 7)]), b.node('BitwiseOr', [t, b.i64s(61)]));
  t = b.node('BitwiseXor', [t, b.node('BitwiseAnd', [b.node('Add', [t, m]), b.i64s(MASK32)])]);
  // (t ^ (t >>> 14)) >>> 0, / 2^32
  const u = b.node('BitwiseXor', [t, shr(b, t, 14)]);
  return b.node('Mul', [b.cast(u, TensorType.DOUBLE), b.f64(2 ** -32)]);
}


/** random_uniform: minval + (maxval - minval) · draw, in float64, rounded to float32. */
export const randomUniform: Lowering<AttrsOf<'random_uniform'>> = (b, node, [seed]) => {
  const { minval: lo, maxval: hi } = node.attrs;
  const n = sizeOf(node.shape);
  const r = draws(b, seed, n);
  const v = b.cast(b.node('Add', [b.f64(lo), b.node('Mul', [b.f64(hi - lo), r])]), TensorType.FLOAT);
  // float32 rounding may reach maxval; keep [minval, maxval) as backend-ts does.
  const fixed = b.node('Where', [b.node('GreaterOrEqual', [v, b.scalar(hi, 'float32')]), b.scalar(lo, 'float32'), v]);
  return b.reshape(fixed, node.shape);
};

/** random_normal: Box-Muller over pairs of draws, in float64, rounded to float32. */
export const randomNormal: Lowering<AttrsOf<'random_normal'>> = (b, node, [seed]) => {
  const { mean, stddev } = node.attrs;
  const n = sizeOf(node.shape);
  const pairs = Math.ceil(n / 2);
  // Draw 2k feeds the radius, draw 2k + 1 the angle (Box-Muller), as backend-ts.
  const r = b.reshape(draws(b, seed, 2 * pairs), [pairs, 2]);
  const u1 = b.node('Slice', [r, b.i64([0]), b.i64([1]), b.i64([1])]);
  const u2 = b.node('Slice', [r, b.i64([1]), b.i64([2]), b.i64([1])]);
  const radius = b.node('Sqrt', [b.node('Mul', [b.f64(-2), b.node('Log', [b.node('Sub', [b.f64(1), u1])])])]);
  const theta = b.node('Mul', [b.f64(2 * Math.PI), u2]);
  // mean + sd * r * cos(t), evaluated left to right as backend-ts.
  const sr = b.node('Mul', [b.f64(stddev), radius]);
  const cs = b.node('Concat', [b.node('Mul', [sr, b.node('Cos', [theta])]), b.node('Mul', [sr, b.node('Sin', [theta])])], { axis: 1 });
  let z = b.node('Add', [b.f64(mean), b.reshape(cs, [2 * pairs])]);
  if (2 * pairs !== n) z = b.node('Slice', [z, b.i64([0]), b.i64([n]), b.i64([0])]);
  return b.reshape(b.cast(z, TensorType.FLOAT), node.shape);
};
