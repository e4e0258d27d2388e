import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { AlphaDropout, GaussianDropout, GaussianNoise, Tensor, deserializeLayer, setBackend } from '../../src/index.js';
import { expectClose, expectRoundTrip, normalTensor, ones, run, stats } from './helpers.js';

setBackend(createTsBackend());

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

describe('GaussianNoise', () => {
  it('adds N(0, stddev) noise in training only', () => {
    const layer = new GaussianNoise({ stddev: 0.5 });
    const x = new Tensor([200, 100], 'float32', new Float32Array(20000));
    expectClose(run(layer, x), Array.from(x.data));
    const s = stats(run(layer, x, true).data);
    expect(Math.abs(s.mean)).toBeLessThan(0.02);
    expect(s.std).toBeGreaterThan(0.48);
    expect(s.std).toBeLessThan(0.52);
  });
  it('config', () => {
    expect(expectRoundTrip(new GaussianNoise({ stddev: 0.1, seed: 4, name: 'g' }))).toEqual({ name: 'g', trainable: true, dtype: 'float32', stddev: 0.1, seed: 4 });
    expect(() => new GaussianNoise({ stddev: -1, name: 'gb' })).toThrow(/GaussianNoise 'gb': argument 'stddev' got -1/);
  });
});

describe('GaussianDropout', () => {
  it('multiplies by N(1, sqrt(rate / (1 - rate))) in training only', () => {
    const layer = new GaussianDropout({ rate: 0.2 });
    const x = ones([200, 100]);
    expectClose(run(layer, x), Array.from(x.data));
    const s = stats(run(layer, x, true).data);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 0.5)).toBeLessThan(0.02);
  });
  it('is the identity for rate 0 and config round-trips', () => {
    expectClose(run(new GaussianDropout({ rate: 0 }), ones([2, 2]), true), [1, 1, 1, 1]);
    expect(expectRoundTrip(new GaussianDropout({ rate: 0.3, name: 'gd' }))).toEqual({ name: 'gd', trainable: true, dtype: 'float32', rate: 0.3, seed: null });
  });
});

describe('AlphaDropout', () => {
  it('keeps the mean and variance of standard-normal inputs; dropped units take one value', () => {
    const rate = 0.2;
    const layer = new AlphaDropout({ rate });
    const x = normalTensor([200, 200], 3);
    expectClose(run(layer, x), Array.from(x.data));
    const y = run(layer, x, true).data;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const dropped = a * alphaP + -a * alphaP * rate;
    let n = 0;
    for (const v of y) if (Math.abs(v - dropped) < 1e-5) n++;
    expect(n / y.length).toBeGreaterThan(0.18);
    expect(n / y.length).toBeLessThan(0.22);
    const s = stats(y);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.std - 1)).toBeLessThan(0.03);
  });
  it('writes rate and seed (Keras 2), noise_shape only when set; reads the Keras 3 config', () => {
    expect(expectRoundTrip(new AlphaDropout({ rate: 0.1, name: 'ad' }))).toEqual({ name: 'ad', trainable: true, dtype: 'float32', rate: 0.1, seed: null });
    expect(expectRoundTrip(new AlphaDropout({ rate: 0.1, noiseShape: [null, 1] })).noise_shape).toEqual([null, 1]);
    const l = deserializeLayer({ class_name: 'AlphaDropout', config: { name: 'a3', rate: 0.3, seed: null, noise_shape: null } }) as AlphaDropout;
    expect(l.rate).toBe(0.3);
  });
  it('noise_shape broadcasts the mask', () => {
    const y = run(new AlphaDropout({ rate: 0.5, noiseShape: [null, 1] }), ones([20, 6]), true);
    for (let r = 0; r < 20; r++) expect(new Set(Array.from(y.data.slice(r * 6, r * 6 + 6))).size).toBe(1);
  });
});
