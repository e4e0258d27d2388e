/**
 * Lowerings with more than one form agree: conv_backprop_filter as a tap GEMM (the default for
 * small tap matrices) and as one Conv, on forward values and gradients. Configurations are drawn
 * at random (fixed seed) over ranks, strides, dilations, paddings and groups (spec/testing's
 * differential checks). The default forms are checked against backend-ts in
 * integration/backend-onnx/lowering-variants.test.ts.
 */
import type { HostTensor, Sym } from '@keras-ts/spec';
import { convConfigFn, convConfigInputs, expectSameResults, randomConvConfigs, valuesAndGradients } from '@keras-ts/spec/testing';
import { afterEach, describe, it } from 'vitest';
import { createOnnxBackend } from '../src/index.js';
import { setTapMatrixLimit } from '../src/lowerings/conv.js';

/** The results of the tap-GEMM form (the default) and of the one-Conv form agree. */
async function expectSameForms(f: (...xs: Sym[]) => Sym, inputs: HostTensor[], label: string): Promise<void> {
  const want = await valuesAndGradients(createOnnxBackend(), f, inputs);
  setTapMatrixLimit(0);
  const got = await valuesAndGradients(createOnnxBackend(), f, inputs);
  setTapMatrixLimit();
  expectSameResults(want, got, label);
}

afterEach(() => setTapMatrixLimit());

describe('lowering variants agree', () => {
  const cases = randomConvConfigs(24, 42);

  it('conv and its gradients: conv_backprop_filter as one Conv equals its tap-GEMM form', async () => {
    for (const [i, c] of cases.entries()) await expectSameForms(convConfigFn(c, i % 2 === 1), convConfigInputs(c, i + 100), JSON.stringify(c));
  });
});
