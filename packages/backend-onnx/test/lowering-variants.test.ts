/**
 * Lowerings with more than one form agree: conv_backprop_filter as a tap GEMM (the default for
 * small tap matrices) and as one Conv, on forward values and gradients. Configurations are drawn
 * at random (fixed seed) over ranks, strides, dilations, paddings and groups. The default forms
 * are checked against backend-ts in integration/backend-onnx/lowering-variants.test.ts.
 */
import { grad, ops, sizeOf, trace, type Backend, type HostTensor, type Sym } from '@keras-ts/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../src/index.js';
import { setTapMatrixLimit } from '../src/lowerings/conv.js';

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

/** The results of the tap-GEMM form (the default) and of the one-Conv form agree. */
async function expectSameForms(f: (...xs: Sym[]) => Sym, inputs: HostTensor[], label: string): Promise<void> {
  const want = await run(createOnnxBackend(), f, inputs);
  setTapMatrixLimit(0);
  const got = await run(createOnnxBackend(), f, inputs);
  setTapMatrixLimit();
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

afterEach(() => setTapMatrixLimit());

describe('lowering variants agree', () => {
  const cases = convCases(24, 42);

  it('conv and its gradients: conv_backprop_filter as one Conv equals its tap-GEMM form', async () => {
    for (const [i, c] of cases.entries()) await expectSameForms(convFn(c, i % 2 === 1), convInputs(c, i + 100), JSON.stringify(c));
  });
});
