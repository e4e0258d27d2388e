import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import type { Sym } from '@keras-ts/spec';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU, deserializeLayer, setBackend, tensor } from '../../src/index.js';
import { expectClose, expectRoundTrip, run, runTraced } from './helpers.js';

setBackend(createTsBackend());

const xs = [-3, -1, -0.5, 0, 0.5, 1, 2, 7];

/** Keras 2's backend.relu, written out per element. */
function kerasRelu(x: number, slope: number, max: number | null, thr: number): number {
  let y = thr !== 0 ? (x > thr ? x : 0) : Math.max(x, 0);
  if (max !== null) y = Math.min(Math.max(y, 0), max);
  return y - slope * Math.max(thr - x, 0);
}

describe('ReLU', () => {
  it('max_value alone (relu6) keeps NaN and clips infinities', () => {
    const y = run(new ReLU({ maxValue: 6 }), tensor([[Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -1, 3, 7]]));
    expect(Number.isNaN(y.data[0])).toBe(true);
    expect(Array.from(y.data).slice(1)).toEqual([0, 6, 0, 3, 6]);
  });

  const cases: [number, number | null, number][] = [
    [0, null, 0],
    [0.5, null, 0],
    [0, 6, 0],
    [0, null, 1],
    [0.5, null, 1],
    [0.25, 1.5, 0.5],
    [0.5, 6, 0],
  ];
  for (const [slope, max, thr] of cases) {
    it(`negative_slope=${slope} max_value=${max} threshold=${thr} follows Keras 2`, () => {
      const y = run(new ReLU({ negativeSlope: slope, maxValue: max, threshold: thr }), tensor([xs]));
      expectClose(y, xs.map((x) => kerasRelu(x, slope, max, thr)));
    });
  }
  it('below the threshold gives negative_slope * (x - threshold)', () => {
    expectClose(run(new ReLU({ negativeSlope: 0.5, threshold: 1 }), tensor([[0]])), [-0.5]);
  });
  it('config and errors', () => {
    expect(expectRoundTrip(new ReLU({ name: 'r' }))).toEqual({ name: 'r', trainable: true, dtype: 'float32', max_value: null, negative_slope: 0, threshold: 0 });
    expect(() => new ReLU({ maxValue: -1, name: 'rb' })).toThrow(/ReLU 'rb': argument 'maxValue' got -1: max_value cannot be negative/);
    expect(() => new ReLU({ threshold: -1 })).toThrow(/threshold cannot be negative/);
  });
});

describe('LeakyReLU', () => {
  it('Keras 2 default alpha is 0.3', () => {
    const layer = new LeakyReLU({ name: 'l' });
    expectClose(run(layer, tensor([[-1, 0, 2]])), [-0.3, 0, 2]);
    // Keras 2 writes float(float32(0.3)).
    expect(expectRoundTrip(layer)).toEqual({ name: 'l', trainable: true, dtype: 'float32', alpha: 0.30000001192092896 });
  });
  it('reads the Keras 3 spelling negative_slope and writes alpha', () => {
    const l = deserializeLayer({ class_name: 'LeakyReLU', config: { name: 'k3', negative_slope: 0.1, trainable: true } }) as LeakyReLU;
    expect(l.alpha).toBe(Math.fround(0.1));
    expect(l.getConfig().alpha).toBe(0.10000000149011612);
    expect(l.getConfig().negative_slope).toBeUndefined();
    expect(() => new LeakyReLU({ alpha: 0.1, negativeSlope: 0.2, name: 'both' })).toThrow(/LeakyReLU 'both': got both alpha \(0.1\) and negative_slope \(0.2\)/);
  });
});

describe('PReLU', () => {
  it('learns one slope per position, shared along shared_axes', () => {
    const layer = new PReLU({ sharedAxes: [1] });
    layer.maybeBuild([null, 2, 2]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[1, 2]]);
    layer.setWeights([tensor([[0.5, 0.1]])]);
    expectClose(run(layer, tensor([[[-2, -2], [4, -10]]])), [-1, -0.2, 4, -1]);
  });
  it('an int shared_axes is a list of one; bad axes and shapes fail clearly', () => {
    const layer = new PReLU({ sharedAxes: 2, name: 'p' });
    expect(layer.sharedAxes).toEqual([2]);
    expect(() => layer.maybeBuild([null, 3])).toThrow(/PReLU 'p': shared axis 2 is out of range for inputs of shape \[None, 3\]/);
    const l2 = new PReLU({ name: 'p2' });
    expect(() => l2.maybeBuild([null, null])).toThrow(/PReLU 'p2': axis 1 of the input shape \[None, None\] must be known/);
    const c = expectRoundTrip(new PReLU({ sharedAxes: [1, 2], name: 'p3' }));
    expect(c).toEqual({
      name: 'p3', trainable: true, dtype: 'float32',
      alpha_initializer: { class_name: 'Zeros', config: {} }, alpha_regularizer: null, alpha_constraint: null, shared_axes: [1, 2],
    });
  });
});

describe('ELU and ThresholdedReLU', () => {
  it('ELU: alpha * (exp(x) - 1) below 0', () => {
    expectClose(run(new ELU(), tensor([[-1, 0, 2]])), [Math.expm1(-1), 0, 2]);
    expectClose(run(new ELU({ alpha: 2 }), tensor([[-1, 3]])), [2 * Math.expm1(-1), 3]);
    expect(expectRoundTrip(new ELU({ name: 'e' }))).toEqual({ name: 'e', trainable: true, dtype: 'float32', alpha: 1 });
  });
  it('ThresholdedReLU: x above theta, else 0', () => {
    expectClose(run(new ThresholdedReLU(), tensor([[0.5, 1, 1.5, -2]])), [0, 0, 1.5, 0]);
    expectClose(run(new ThresholdedReLU({ theta: 0 }), tensor([[0.5, -1]])), [0.5, 0]);
    expect(expectRoundTrip(new ThresholdedReLU({ theta: 0.5, name: 't' }))).toEqual({ name: 't', trainable: true, dtype: 'float32', theta: 0.5 });
    expect(() => new ThresholdedReLU({ theta: -1, name: 'tb' })).toThrow(/ThresholdedReLU 'tb': argument 'theta' got -1: theta must be >= 0/);
  });
});

describe('Softmax', () => {
  it('masks entries (1 keeps, 0 drops) passed as the call mask', () => {
    const layer = new Softmax();
    const x = tensor([[1, 2, 3]]);
    const mask = tensor([[true, true, false]]);
    const [y] = runTraced([x, mask], ([s, m]) => [layer.apply(s, { mask: m })]);
    const e1 = Math.exp(1);
    const e2 = Math.exp(2);
    expectClose(y, [e1 / (e1 + e2), e2 / (e1 + e2), 0]);
  });
  it('robust_masking replaces masked logits; a float mask broadcasts', () => {
    const layer = new Softmax({ robustMasking: true, name: 'rs' });
    const [y] = runTraced([tensor([[1, 1], [5, 1]]), tensor([[1, 0]])], ([s, m]) => [layer.apply(s, { mask: m })]);
    expectClose(y, [1, 0, 1, 0]);
    expect(expectRoundTrip(layer).robust_masking).toBe(true);
    expect(expectRoundTrip(new Softmax({ name: 's' }))).toEqual({ name: 's', trainable: true, dtype: 'float32', axis: -1 });
  });
  it('normalizes over several axes at once', () => {
    const y = run(new Softmax({ axis: [1, 2] }), tensor([[[0, 1], [2, 3]]]));
    const z = [0, 1, 2, 3].map(Math.exp);
    const s = z.reduce((a, b) => a + b);
    expectClose(y, z.map((v) => v / s));
  });
  it('errors name the layer and the shapes', () => {
    expect(() => run(new Softmax({ axis: 3, name: 'sa' }), tensor([[1, 2]]))).toThrow(/Softmax 'sa': axis 3 is out of range for inputs of shape \[1,\s?2\]/);
    const layer = new Softmax({ name: 'sm' });
    expect(() => runTraced([tensor([[1, 2, 3]]), tensor([[1, 0]])], ([s, m]) => [layer.apply(s, { mask: m })])).toThrow(
      /Softmax 'sm': the mask of shape \[1,\s?2\] does not broadcast to the inputs of shape \[1,\s?3\]/,
    );
  });
});
