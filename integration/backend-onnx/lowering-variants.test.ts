/**
 * backend-onnx's lowerings checked against backend-ts on forward values and on gradients: conv
 * (+ bias folded into the operator) with conv_backprop_filter in its default form, conv_transpose,
 * max_pool_grad with and without overlapping windows. Configurations are drawn at random (fixed
 * seed) over ranks, strides, dilations, paddings and groups. That conv_backprop_filter's other form
 * (one Conv) equals this one is backend-onnx's own test (test/lowering-variants.test.ts).
 */
import { createTsBackend } from '@keras-ts/backend-ts';
import { grad, ops, sizeOf, trace, type Backend, type HostTensor, type Sym } from '@keras-ts/spec';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { describe, expect, it } from 'vitest';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function tensor(shape: number[], r: () => number): HostTensor {
  return { shape, dtype: 'float32', data: Float32Array.from({ length: sizeOf(shape) }, () => r() * 2 - 1) };
}

/** Outputs and gradients (of sum(out * weights)) with respect to every input. */
async function run(backend: Backend, f: (...xs: Sym[]) => Sym, inputs: HostTensor[]): Promise<HostTensor[]> {
  const g = trace((...xs: Sym[]) => {
    const y = f(...xs);
    const w = ops.constant(y.graph, Float32Array.from({ length: sizeOf(y.shape) }, (_, i) => 0.5 + ((i * 7) % 11) / 11), y.shape);
    return [y, ...grad([ops.sum(ops.mul(y, w))], xs)];
  }, inputs);
  const exe = backend.compile(g);
  try {
    return await exe.run(inputs);
  } finally {
    exe.dispose();
  }
}

async function expectSame(f: (...xs: Sym[]) => Sym, inputs: HostTensor[], label: string): Promise<void> {
  const want = await run(createTsBackend(), f, inputs);
  const got = await run(createOnnxBackend(), f, inputs);
  want.forEach((w, k) => {
    expect(got[k].shape, `${label}: output ${k} shape`).toEqual(w.shape);
    let worst = 0;
    for (let i = 0; i < w.data.length; i++) worst = Math.max(worst, Math.abs(w.data[i] - got[k].data[i]) / (1 + Math.abs(w.data[i])));
    expect(worst, `${label}: output ${k}`).toBeLessThan(1e-5);
  });
}

interface ConvCase {
  rank: number;
  n: number;
  spatial: number[];
  k: number[];
  cin: number;
  cout: number;
  groups: number;
  strides: number[];
  dilations: number[];
  padding: ops.ConvPadding;
}

function convCases(count: number, seed: number): ConvCase[] {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: ConvCase[] = [];
  while (out.length < count) {
    const rank = pick([1, 2, 2, 3]);
    const groups = pick([1, 1, 2, 3]);
    const k = Array.from({ length: rank }, () => pick([1, 2, 3]));
    const dilated = r() < 0.3;
    const strides = Array.from({ length: rank }, () => (dilated ? 1 : pick([1, 2, 3])));
    const dilations = Array.from({ length: rank }, () => (dilated ? pick([1, 2]) : 1));
    const spatial = Array.from({ length: rank }, () => pick([3, 4, 5, 7]));
    const padding: ops.ConvPadding = rank === 1 && r() < 0.2 ? 'causal' : r() < 0.2 ? spatial.map(() => [pick([0, 1, 2]), pick([0, 1])] as [number, number]) : pick(['valid', 'same'] as const);
    const c: ConvCase = { rank, n: pick([1, 2]), spatial, k, cin: groups * pick([1, 2]), cout: groups * pick([1, 2]), groups, strides, dilations, padding };
    const pads = ops.resolveConvPadding(spatial, k, strides, dilations, padding);
    if (spatial.every((s, i) => s + pads[i][0] + pads[i][1] >= (k[i] - 1) * dilations[i] + 1)) out.push(c);
  }
  return out;
}

function convFn(c: ConvCase, bias: boolean) {
  return (x: Sym, w: Sym, b: Sym) => {
    const y = ops.conv(x, w, { strides: c.strides, dilations: c.dilations, padding: c.padding, groups: c.groups });
    return bias ? ops.relu(ops.add(y, b)) : ops.mul(y, ops.sum(b));
  };
}

function convInputs(c: ConvCase, seed: number): HostTensor[] {
  const r = rng(seed);
  return [tensor([c.n, ...c.spatial, c.cin], r), tensor([...c.k, c.cin / c.groups, c.cout], r), tensor([c.cout], r)];
}

describe('lowering variants match backend-ts', () => {
  const cases = convCases(24, 42);

  it('conv (+ bias) and its gradients, conv_backprop_filter as a tap GEMM', async () => {
    for (const [i, c] of cases.entries()) await expectSame(convFn(c, i % 2 === 0), convInputs(c, i), JSON.stringify(c));
  });

  it('conv_transpose + bias and its gradients', async () => {
    for (const [i, c] of cases.slice(0, 10).entries()) {
      const fwd = ops.resolveConvPadding(c.spatial, c.k, c.strides, c.dilations, c.padding);
      const outSpatial = c.spatial.map((s, d) => ops.convOutputSize(s, c.k[d], c.strides[d], c.dilations[d], fwd[d]));
      const r = rng(i + 7);
      const inputs = [tensor([c.n, ...outSpatial, c.cout], r), tensor([...c.k, c.cin / c.groups, c.cout], r), tensor([c.cin], r)];
      const f = (dy: Sym, w: Sym, b: Sym) =>
        ops.add(ops.convTranspose(dy, w, [c.n, ...c.spatial, c.cin], { strides: c.strides, dilations: c.dilations, padding: c.padding, groups: c.groups }), b);
      await expectSame(f, inputs, `conv_transpose ${JSON.stringify(c)}`);
    }
  });

  it('max_pool and its gradients, with and without overlapping windows', async () => {
    const r = rng(5);
    const configs: [number[], number[], 'valid' | 'same'][] = [
      [[2, 2], [2, 2], 'valid'],
      [[2, 2], [2, 2], 'same'],
      [[3, 3], [2, 2], 'same'],
      [[2, 3], [3, 3], 'valid'],
      [[3, 2], [1, 2], 'valid'],
      [[2, 2], [3, 2], 'same'],
    ];
    for (const [poolSize, strides, padding] of configs) {
      // Values with ties (rounded) and negatives, so the first-maximum rule matters.
      const x = tensor([2, 7, 6, 3], r);
      for (let i = 0; i < x.data.length; i++) x.data[i] = Math.round(x.data[i] * 3) / 3;
      await expectSame((t: Sym) => ops.maxPool(ops.mul(t, t), { poolSize, strides, padding }), [x], `max_pool ${poolSize} ${strides} ${padding}`);
      await expectSame((t: Sym) => ops.maxPool(ops.relu(t), { poolSize, strides, padding }), [x], `relu max_pool ${poolSize} ${strides} ${padding}`);
    }
  });
});
