/**
 * backend-onnx's lowerings checked against backend-ts on forward values and on gradients: conv
 * (+ bias folded into the operator) with conv_backprop_filter in its default form, a zero pad
 * folded into the conv after it (pipeline/fold-pads.ts), conv_transpose,
 * max_pool_grad with and without overlapping windows. Configurations are drawn at random (fixed
 * seed) over ranks, strides, dilations, paddings and groups (spec/testing's differential checks).
 * That conv_backprop_filter's other form (one Conv) equals this one is backend-onnx's own test
 * (test/lowering-variants.test.ts).
 */
import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, type HostTensor, type Sym } from '@keras-ts/spec';
import { convConfigFn, convConfigInputs, convWindow, expectSameResults, rand, randomConvConfigs, valuesAndGradients } from '@keras-ts/spec/testing';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { describe, it } from 'vitest';

async function expectSame(f: (...xs: Sym[]) => Sym, inputs: HostTensor[], label: string): Promise<void> {
  expectSameResults(await valuesAndGradients(createTsBackend(), f, inputs), await valuesAndGradients(createOnnxBackend(), f, inputs), label);
}

describe('lowering variants match backend-ts', () => {
  const cases = randomConvConfigs(24, 42);

  it('conv (+ bias) and its gradients, conv_backprop_filter as a tap GEMM', async () => {
    for (const [i, c] of cases.entries()) await expectSame(convConfigFn(c, i % 2 === 0), convConfigInputs(c, i), JSON.stringify(c));
  });

  it('a zero pad before a conv (the fold-pads pass: in the conv\'s own pads) and its gradients', async () => {
    for (const [i, c] of cases.slice(0, 12).entries()) {
      const conv = convConfigFn(c, i % 2 === 1);
      const pads: [number, number][] = [[0, 0], ...c.spatial.map((_, d): [number, number] => [(i + d) % 3, (i + 2 * d) % 2]), [0, 0]];
      await expectSame((x: Sym, w: Sym, b: Sym) => conv(ops.pad(x, pads), w, b), convConfigInputs(c, 50 + i), `pad ${JSON.stringify(pads)} conv ${JSON.stringify(c)}`);
    }
  });

  it('conv_transpose + bias and its gradients', async () => {
    for (const [i, c] of cases.slice(0, 10).entries()) {
      const fwd = ops.resolveConvPadding(c.spatial, c.k, c.strides, c.dilations, c.padding);
      const outSpatial = c.spatial.map((s, d) => ops.convOutputSize(s, c.k[d], c.strides[d], c.dilations[d], fwd[d]));
      const inputs = [rand([c.n, ...outSpatial, c.cout], 3 * i + 7), rand([...c.k, c.cin / c.groups, c.cout], 3 * i + 8), rand([c.cin], 3 * i + 9)];
      const f = (dy: Sym, w: Sym, b: Sym) => ops.add(ops.convTranspose(dy, w, [c.n, ...c.spatial, c.cin], convWindow(c)), b);
      await expectSame(f, inputs, `conv_transpose ${JSON.stringify(c)}`);
    }
  });

  it('max_pool and its gradients, with and without overlapping windows', async () => {
    const configs: [number[], number[], 'valid' | 'same'][] = [
      [[2, 2], [2, 2], 'valid'],
      [[2, 2], [2, 2], 'same'],
      [[3, 3], [2, 2], 'same'],
      [[2, 3], [3, 3], 'valid'],
      [[3, 2], [1, 2], 'valid'],
      [[2, 2], [3, 2], 'same'],
    ];
    for (const [k, [poolSize, strides, padding]] of configs.entries()) {
      // Values with ties (rounded) and negatives, so the first-maximum rule matters.
      const x = rand([2, 7, 6, 3], 5 + k);
      for (let i = 0; i < x.data.length; i++) x.data[i] = Math.round(x.data[i] * 3) / 3;
      await expectSame((t: Sym) => ops.maxPool(ops.mul(t, t), { poolSize, strides, padding }), [x], `max_pool ${poolSize} ${strides} ${padding}`);
      await expectSame((t: Sym) => ops.maxPool(ops.relu(t), { poolSize, strides, padding }), [x], `relu max_pool ${poolSize} ${strides} ${padding}`);
    }
  });
});
