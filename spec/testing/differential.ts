/**
 * Differential checks: one traced function run, with its gradients, on two backends (or in two
 * forms of one backend) and the results compared; and random conv configurations to run them
 * over (ranks, strides, dilations, paddings, groups), drawn from a seed.
 */
import { grad, ops, sizeOf, trace, type Backend, type HostTensor, type Sym } from '../src/index.js';
import { expectTensorClose } from './suite.js';

/** A seeded generator (LCG) of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function uniform(shape: number[], r: () => number): HostTensor {
  return { shape, dtype: 'float32', data: Float32Array.from({ length: sizeOf(shape) }, () => r() * 2 - 1) };
}

/**
 * The outputs of `f` on `backend`, then the gradient of sum(out * w) (w fixed, not all ones) with
 * respect to every input.
 *
 * @example const [y, dx, dw] = await valuesAndGradients(backend, (x, w) => ops.conv(x, w, window), [x, w]);
 */
export async function valuesAndGradients(backend: Backend, f: (...xs: Sym[]) => Sym, inputs: readonly HostTensor[]): Promise<HostTensor[]> {
  const g = trace((...xs: Sym[]) => {
    const y = f(...xs);
    const w = ops.constant(y.graph, Float32Array.from({ length: sizeOf(y.shape) }, (_, i) => 0.5 + ((i * 7) % 11) / 11), y.shape);
    return [y, ...grad([ops.sum(ops.mul(y, w))], xs)];
  }, [...inputs]);
  const exe = backend.compile(g);
  try {
    return await exe.run([...inputs]);
  } finally {
    exe.dispose();
  }
}

/**
 * Requires `got` to equal `want` output by output (dtype, shape, and each value within 1e-5 of
 * 1 + |wanted|); throws an `OpCheckFailure` naming the output, the element and `label`.
 *
 * @example expectSameResults(await valuesAndGradients(reference, f, xs), await valuesAndGradients(mine, f, xs), 'conv');
 */
export function expectSameResults(want: readonly HostTensor[], got: readonly HostTensor[], label: string): void {
  want.forEach((w, k) => expectTensorClose(got[k], w, 1e-5, 1e-5, `${label}: output ${k}`));
}

/** One conv configuration (channels-last): batch, spatial sizes, kernel, channels and window. */
export interface ConvConfig {
  readonly rank: number;
  readonly n: number;
  readonly spatial: number[];
  readonly k: number[];
  readonly cin: number;
  readonly cout: number;
  readonly groups: number;
  readonly strides: number[];
  readonly dilations: number[];
  readonly padding: ops.ConvPadding;
}

/**
 * `count` valid conv configurations drawn from `seed`: ranks 1 to 3, kernels 1 to 3, strides or
 * dilations, 'valid' / 'same' / 'causal' (rank 1) / explicit paddings, 1 to 3 groups.
 *
 * @example for (const c of randomConvConfigs(24, 42)) await check(convConfigFn(c, true), convConfigInputs(c, 1));
 */
export function randomConvConfigs(count: number, seed: number): ConvConfig[] {
  const r = seeded(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: ConvConfig[] = [];
  while (out.length < count) {
    const rank = pick([1, 2, 2, 3]);
    const groups = pick([1, 1, 2, 3]);
    const k = Array.from({ length: rank }, () => pick([1, 2, 3]));
    const dilated = r() < 0.3;
    const strides = Array.from({ length: rank }, () => (dilated ? 1 : pick([1, 2, 3])));
    const dilations = Array.from({ length: rank }, () => (dilated ? pick([1, 2]) : 1));
    const spatial = Array.from({ length: rank }, () => pick([3, 4, 5, 7]));
    const padding: ops.ConvPadding = rank === 1 && r() < 0.2 ? 'causal' : r() < 0.2 ? spatial.map(() => [pick([0, 1, 2]), pick([0, 1])] as [number, number]) : pick(['valid', 'same'] as const);
    const c: ConvConfig = { rank, n: pick([1, 2]), spatial, k, cin: groups * pick([1, 2]), cout: groups * pick([1, 2]), groups, strides, dilations, padding };
    const pads = ops.resolveConvPadding(spatial, k, strides, dilations, padding);
    if (spatial.every((s, i) => s + pads[i][0] + pads[i][1] >= (k[i] - 1) * dilations[i] + 1)) out.push(c);
  }
  return out;
}

/** The window attributes of a configuration, as `ops.conv` and `ops.convTranspose` take them. */
export function convWindow(c: ConvConfig): ops.ConvOptions {
  return { strides: c.strides, dilations: c.dilations, padding: c.padding, groups: c.groups };
}

/**
 * conv(x, kernel) of a configuration, then relu(y + bias) (`bias`: the fused form's pattern) or
 * y * sum(bias); inputs x, kernel, bias as {@link convConfigInputs} makes them.
 */
export function convConfigFn(c: ConvConfig, bias: boolean): (x: Sym, w: Sym, b: Sym) => Sym {
  return (x, w, b) => {
    const y = ops.conv(x, w, convWindow(c));
    return bias ? ops.relu(ops.add(y, b)) : ops.mul(y, ops.sum(b));
  };
}

/** Random x, kernel and bias (values in [-1, 1)) for a configuration, drawn from `seed`. */
export function convConfigInputs(c: ConvConfig, seed: number): HostTensor[] {
  const r = seeded(seed);
  return [uniform([c.n, ...c.spatial, c.cin], r), uniform([...c.k, c.cin / c.groups, c.cout], r), uniform([c.cout], r)];
}
