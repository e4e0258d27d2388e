/**
 * Plain-JS reference implementations of Keras 2's recurrent math (float64), written from the
 * formulas, to check the layers in cases the goldens do not cover (masks, go_backwards,
 * hard_sigmoid, initial states, stateful runs).
 */
import { Tensor } from '../../src/index.js';

export type Mat = number[][];

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

export function randMat(rows: number, cols: number, r: () => number, scale = 1): Mat {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => r() * scale));
}

export function toTensor(m: readonly unknown[]): Tensor {
  const shape: number[] = [];
  let v: unknown = m;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return new Tensor(shape, 'float32', Float32Array.from((m as unknown[]).flat(Infinity) as number[]));
}

export function toNested(t: Tensor): unknown {
  return t.toArray();
}

const dot = (v: number[], m: Mat): number[] => m[0].map((_, j) => v.reduce((s, x, i) => s + x * m[i][j], 0));
const add = (a: number[], b: number[]) => a.map((x, i) => x + b[i]);
const mul = (a: number[], b: number[]) => a.map((x, i) => x * b[i]);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const hardSigmoid = (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5));
const cols = (m: Mat, from: number, to: number): Mat => m.map((r) => r.slice(from, to));

export type Act = (x: number) => number;
export const acts: Record<string, Act> = { tanh: Math.tanh, sigmoid, hard_sigmoid: hardSigmoid, relu: (x) => Math.max(0, x), linear: (x) => x };

/** One step: (x, states) -> [output, newStates]. */
export type Step = (x: number[], states: number[][]) => [number[], number[][]];

export function simpleRnnStep(k: Mat, rk: Mat, b: number[] | null, act: Act = Math.tanh): Step {
  return (x, [h]) => {
    let z = dot(x, k);
    if (b) z = add(z, b);
    const out = add(z, dot(h, rk)).map(act);
    return [out, [out]];
  };
}

export function lstmStep(k: Mat, rk: Mat, b: number[] | null, act: Act = Math.tanh, ract: Act = sigmoid): Step {
  const u = rk.length;
  return (x, [h, c]) => {
    let z = add(dot(x, k), dot(h, rk));
    if (b) z = add(z, b);
    const i = z.slice(0, u).map(ract);
    const f = z.slice(u, 2 * u).map(ract);
    const cc = add(mul(f, c), mul(i, z.slice(2 * u, 3 * u).map(act)));
    const o = z.slice(3 * u).map(ract);
    const hh = mul(o, cc.map(act));
    return [hh, [hh, cc]];
  };
}

/** GRU; bias is [2][3u] with resetAfter, [3u] without. */
export function gruStep(k: Mat, rk: Mat, b: number[] | Mat | null, resetAfter: boolean, act: Act = Math.tanh, ract: Act = sigmoid): Step {
  const u = rk.length;
  return (x, [h]) => {
    const zeros = new Array<number>(3 * u).fill(0);
    const inB = b ? (resetAfter ? (b as Mat)[0] : (b as number[])) : zeros;
    const recB = b && resetAfter ? (b as Mat)[1] : zeros;
    const mx = add(dot(x, k), inB);
    const z = add(mx.slice(0, u), add(dot(h, cols(rk, 0, u)), recB.slice(0, u))).map(ract);
    const r = add(mx.slice(u, 2 * u), add(dot(h, cols(rk, u, 2 * u)), recB.slice(u, 2 * u))).map(ract);
    const rh = resetAfter ? mul(r, add(dot(h, cols(rk, 2 * u, 3 * u)), recB.slice(2 * u))) : dot(mul(r, h), cols(rk, 2 * u, 3 * u));
    const hh = add(mx.slice(2 * u), rh).map(act);
    const out = z.map((zi, j) => zi * h[j] + (1 - zi) * hh[j]);
    return [out, [out]];
  };
}

/**
 * Keras 2's backend.rnn for one sample: mask[t] false keeps the states and repeats the previous
 * output (zeros before any), or outputs zeros with zeroOutputForMask.
 */
export function runSequence(
  step: Step,
  xs: Mat,
  init: number[][],
  o: { mask?: boolean[]; goBackwards?: boolean; zeroOutputForMask?: boolean } = {},
): { outputs: Mat; last: number[]; states: number[][] } {
  const order = xs.map((_, i) => (o.goBackwards ? xs.length - 1 - i : i));
  let states = init.map((s) => [...s]);
  let prev: number[] | null = null;
  const outputs: Mat = [];
  for (const t of order) {
    const [out, next] = step(xs[t], states);
    const keep = o.mask ? o.mask[t] : true;
    const zero = out.map(() => 0);
    const y: number[] = keep ? out : o.zeroOutputForMask || !prev ? zero : prev;
    if (keep) states = next;
    prev = y;
    outputs.push(y);
  }
  return { outputs, last: outputs[outputs.length - 1], states };
}

/** Flattens a tensor's data to a plain array. */
export function flat(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number>);
}
