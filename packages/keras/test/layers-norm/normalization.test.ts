import { Sym, ops } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { BatchNormalization, GroupNormalization, Input, LayerNormalization, UnitNormalization, deserializeLayer, type KerasTensor, type Tensor } from '../../src/index.js';
import { bool, expectClose, expectRoundTrip, f32, randomTensor, runTraced } from './helpers.js';

/** Per-channel mean and population variance of a [N..., C] tensor's data. */
function channelMoments(data: ArrayLike<number>, channels: number): { mean: number[]; variance: number[]; n: number } {
  const n = data.length / channels;
  const mean = Array.from({ length: channels }, (_, c) => {
    let s = 0;
    for (let i = c; i < data.length; i += channels) s += data[i];
    return s / n;
  });
  const variance = mean.map((m, c) => {
    let s = 0;
    for (let i = c; i < data.length; i += channels) s += (data[i] - m) ** 2;
    return s / n;
  });
  return { mean, variance, n };
}

describe('BatchNormalization', () => {
  it('normalizes with the moving statistics in inference', () => {
    const bn = new BatchNormalization();
    const x = f32([2, 2], [1, 2, 3, 4]);
    bn.maybeBuild([null, 2]);
    bn.setWeights([f32([2], [2, 1]), f32([2], [0.5, 0]), f32([2], [1, 2]), f32([2], [4, 1])]);
    const y = bn.apply(x);
    const want = [1, 2, 3, 4].map((v, i) => {
      const c = i % 2;
      return ([2, 1][c] * (v - [1, 2][c])) / Math.sqrt([4, 1][c] + 1e-3) + [0.5, 0][c];
    });
    expectClose(y, want);
  });

  it('uses batch statistics in training and moves the moving statistics (2D: population variance)', () => {
    const bn = new BatchNormalization({ momentum: 0.8, epsilon: 0.01 });
    const x = randomTensor([5, 3], 3);
    const y = bn.apply(x, { training: true });
    const { mean, variance } = channelMoments(x.data, 3);
    expectClose(
      y,
      Array.from(x.data, (v, i) => (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 0.01)),
    );
    const [, , mm, mv] = bn.getWeights();
    expectClose(mm, mean.map((m) => 0.2 * m));
    expectClose(mv, variance.map((v) => 0.8 + 0.2 * v));
  });

  it('updates the moving variance with the unbiased variance on the fused (4D, channel axis) path, as Keras 2', () => {
    const x = randomTensor([2, 2, 1, 3], 5);
    const { mean, variance, n } = channelMoments(x.data, 3);
    for (const [args, unbiased] of [
      [{}, true],
      [{ fused: true }, true],
      [{ fused: false }, false],
    ] as const) {
      const bn = new BatchNormalization({ momentum: 0.5, ...args });
      const y = bn.apply(x, { training: true });
      expectClose(
        y,
        Array.from(x.data, (v, i) => (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-3)),
      );
      const mv = bn.getWeights()[3];
      expectClose(mv, variance.map((v) => 0.5 + 0.5 * (unbiased ? (v * n) / (n - 1) : v)));
      expect(bn.fused).toBe(unbiased);
    }
    // A 4D input normalized over axis 2 is not fused: population variance.
    const bn = new BatchNormalization({ axis: 2, momentum: 0.5 });
    const xt = randomTensor([2, 1, 3, 2], 6);
    bn.apply(xt, { training: true });
    expect(bn.fused).toBe(false);
  });

  it('runs in inference mode when not trainable, even with training: true (Keras 2)', () => {
    const bn = new BatchNormalization();
    const x = f32([2, 1], [1, 3]);
    bn.trainable = false;
    const y = bn.apply(x, { training: true });
    expectClose(y, [1 / Math.sqrt(1.001), 3 / Math.sqrt(1.001)]);
    expectClose(bn.getWeights()[2], [0]);
    expectClose(bn.getWeights()[3], [1]);
  });

  it('weights the batch statistics by the mask', () => {
    const bn = new BatchNormalization({ momentum: 0 });
    // [batch 2, time 2, features 1]; the masked step (value 100) is left out of the statistics.
    const x = f32([2, 2, 1], [1, 100, 3, 5]);
    const m = bool([2, 2], [1, 0, 1, 1]);
    const [y] = runTraced([x, m], ([xs, ms]) => [bn.apply(xs, { mask: ms })], true);
    const mean = 3;
    const variance = (4 + 0 + 4) / 3;
    expectClose(
      y,
      [1, 100, 3, 5].map((v) => (v - mean) / Math.sqrt(variance + 1e-3)),
    );
    expectClose(bn.getWeights()[2], [mean]);
    expectClose(bn.getWeights()[3], [variance]);
  });

  it('supports several axes (parameters shaped [1, d1, d2] as Keras 2) and a non-last axis', () => {
    const bn = new BatchNormalization({ axis: [1, 2] });
    const x = randomTensor([3, 2, 2], 9);
    bn.apply(x, { training: true });
    expect(bn.weights.map((w) => w.shape)).toEqual([
      [1, 2, 2],
      [1, 2, 2],
      [1, 2, 2],
      [1, 2, 2],
    ]);
    const b1 = new BatchNormalization({ axis: 1 });
    const x1 = f32([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    b1.maybeBuild([null, 2, 2]);
    b1.setWeights([f32([2], [1, 2]), f32([2], [0, 1]), f32([2], [1, 2]), f32([2], [1, 4])]);
    const y = b1.apply(x1);
    const want = [1, 2, 3, 4, 5, 6, 7, 8].map((v, i) => {
      const c = Math.floor(i / 2) % 2;
      return ([1, 2][c] * (v - [1, 2][c])) / Math.sqrt([1, 4][c] + 1e-3) + [0, 1][c];
    });
    expectClose(y, want);
  });

  it('writes the Keras 2 config (axis as a list after build) and reads Keras 3 configs', () => {
    const bn = new BatchNormalization({ momentum: 0.9, center: false });
    const c0 = expectRoundTrip(bn);
    expect(Object.keys(c0)).toEqual([
      'name',
      'trainable',
      'dtype',
      'axis',
      'momentum',
      'epsilon',
      'center',
      'scale',
      'beta_initializer',
      'gamma_initializer',
      'moving_mean_initializer',
      'moving_variance_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
    ]);
    expect(c0.axis).toBe(-1);
    bn.apply(Input({ shape: [3, 4] }));
    expect(expectRoundTrip(bn).axis).toEqual([2]);
    const k3 = deserializeLayer({
      class_name: 'BatchNormalization',
      config: {
        name: 'bn_k3',
        trainable: true,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
        axis: -1,
        momentum: 0.99,
        epsilon: 0.001,
        center: true,
        scale: true,
        synchronized: false,
        renorm: false,
        renorm_clipping: null,
        renorm_momentum: 0.99,
      },
    });
    expect(k3).toBeInstanceOf(BatchNormalization);
  });

  it('refuses Keras 1 mode, renorm, virtual batches and an impossible fused', () => {
    expect(() => new BatchNormalization({ name: 'bn_m', mode: 1 })).toThrow(/BatchNormalization 'bn_m'.*'mode'.*Keras 1/);
    expect(() => new BatchNormalization({ name: 'bn_r', renorm: true })).toThrow(/BatchNormalization 'bn_r'.*'renorm'.*not supported/);
    expect(() => new BatchNormalization({ name: 'bn_v', virtualBatchSize: 2 })).toThrow(/'virtual_batch_size' got 2/);
    expect(() => new BatchNormalization({ name: 'bn_f', axis: 2, fused: true })).toThrow(/BatchNormalization 'bn_f'.*'fused'.*axis 2/);
    // @ts-expect-error -- axis must be a number or list; 'x' is wrong on purpose
    expect(() => new BatchNormalization({ name: 'bn_a', axis: 'x' })).toThrow(/BatchNormalization 'bn_a'.*'axis' got "x"/);
    expect(() => new BatchNormalization({ name: 'bn_f2', fused: true }).apply(Input({ shape: [3] }))).toThrow(/bn_f2.*fused=true needs a 4D or 5D input.*\[None, 3\]/);
    expect(() => new BatchNormalization({ name: 'bn_ax', axis: 3 }).apply(Input({ shape: [3] }))).toThrow(/bn_ax.*axis 3 is out of range.*rank 2/);
    expect(() => new BatchNormalization({ name: 'bn_u', axis: 1 }).apply(Input({ shape: [null, 3] }))).toThrow(/bn_u.*axis 1.*known size/);
  });
});

describe('LayerNormalization', () => {
  it('normalizes each sample over the axes, with and without gamma/beta', () => {
    const x = f32([2, 3], [1, 2, 3, 2, 4, 9]);
    const ln = new LayerNormalization({ center: false, scale: false, epsilon: 0 });
    const y = ln.apply(x);
    const row = (r: number[]) => {
      const m = r.reduce((a, b) => a + b) / r.length;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
      return r.map((a) => (a - m) / Math.sqrt(v));
    };
    expectClose(y, [...row([1, 2, 3]), ...row([2, 4, 9])]);
    expect(ln.weights).toHaveLength(0);
    const ln2 = new LayerNormalization({ axis: 1 });
    ln2.maybeBuild([null, 3]);
    ln2.setWeights([f32([3], [1, 2, 3]), f32([3], [0, 0, 1])]);
    const y2 = ln2.apply(x);
    const r = row([1, 2, 3]);
    const scale = Math.sqrt(2 / 3) / Math.sqrt(2 / 3 + 1e-3);
    expectClose(Array.from(y2.data).slice(0, 3), [r[0] * scale, 2 * r[1] * scale, 3 * r[2] * scale + 1]);
  });

  it('config round trip (axis becomes a list when built), errors', () => {
    const ln = new LayerNormalization({ axis: -1 });
    expect(expectRoundTrip(ln).axis).toBe(-1);
    ln.apply(Input({ shape: [2, 5] }));
    expect(expectRoundTrip(ln).axis).toEqual([2]);
    expect(() => new LayerNormalization({ name: 'ln_a', axis: [1, 4] }).apply(Input({ shape: [2, 5] }))).toThrow(/LayerNormalization 'ln_a'.*axis 4 is out of range/);
    expect(() => new LayerNormalization({ name: 'ln_d', axis: [1, -2] }).apply(Input({ shape: [2, 5] }))).toThrow(/ln_d.*repeats an axis/);
    // @ts-expect-error -- 'rmsScaling' is not supported, on purpose
    expect(() => new LayerNormalization({ name: 'ln_r', rmsScaling: true })).toThrow(/LayerNormalization 'ln_r'.*'rmsScaling' got true.*rms_scaling/);
    const k3 = deserializeLayer({ class_name: 'LayerNormalization', config: { name: 'ln_k3', axis: [2], rms_scaling: false } });
    expect(k3).toBeInstanceOf(LayerNormalization);
  });
});

describe('GroupNormalization', () => {
  it('normalizes within channel groups (channels first too), and groups: -1 is one group per channel', () => {
    // channels-first input [1, 4, 2] with 2 groups of 2 channels on axis 1.
    const x = f32([1, 4, 2], [1, 2, 3, 4, 10, 20, 30, 50]);
    const gn = new GroupNormalization({ groups: 2, axis: 1, epsilon: 0 });
    const y = gn.apply(x);
    const norm = (r: number[]) => {
      const m = r.reduce((a, b) => a + b) / r.length;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
      return r.map((a) => (a - m) / Math.sqrt(v));
    };
    expectClose(y, [...norm([1, 2, 3, 4]), ...norm([10, 20, 30, 50])], 1e-4);
    const inst = new GroupNormalization({ groups: -1, epsilon: 0 });
    const xi = f32([1, 2, 2], [1, 10, 3, 30]);
    expectClose(inst.apply(xi), [-1, -1, 1, 1], 1e-4);
    expect(inst.getConfig().groups).toBe(2);
  });

  it('config round trip and errors', () => {
    expectRoundTrip(new GroupNormalization({ groups: 4, center: false }));
    expect(() => new GroupNormalization({ name: 'gn_d', groups: 3 }).apply(Input({ shape: [4] }))).toThrow(/GroupNormalization 'gn_d'.*groups \(3\) must divide the number of channels \(4\)/);
    expect(() => new GroupNormalization({ name: 'gn_m' }).apply(Input({ shape: [4] }))).toThrow(/gn_m.*groups \(32\) cannot be more than the number of channels \(4\)/);
    expect(() => new GroupNormalization({ name: 'gn_z', groups: 0 })).toThrow(/GroupNormalization 'gn_z'.*'groups' got 0/);
  });
});

describe('UnitNormalization', () => {
  it('scales to unit L2 norm over the axes (zeros stay zeros)', () => {
    expectClose(new UnitNormalization().apply(f32([2, 2], [3, 4, 0, 0])), [0.6, 0.8, 0, 0]);
    const u = new UnitNormalization({ axis: [1, 2] });
    expectClose(u.apply(f32([1, 2, 2], [1, 1, 1, 1])), [0.5, 0.5, 0.5, 0.5]);
    expect(u.getConfig().axis).toEqual([1, 2]);
    expectRoundTrip(u);
    expect(() => new UnitNormalization({ name: 'un_a', axis: 2 }).apply(Input({ shape: [3] }))).toThrow(/UnitNormalization 'un_a'.*axis 2 is out of range/);
  });

  it('passes masks through', () => {
    const y = new UnitNormalization().apply(Input({ shape: [2, 3] }));
    expect(y.shape).toEqual([null, 2, 3]);
    for (const layer of [new UnitNormalization(), new LayerNormalization(), new GroupNormalization({ groups: 3 }), new BatchNormalization()]) {
      const [m] = runTraced([f32([1, 2, 3], [1, 2, 3, 4, 5, 6]), bool([1, 2], [1, 0])], ([x, mask]) => {
        layer.apply(x, { mask });
        const out = layer.computeMask(x, mask);
        if (!(out instanceof Sym)) throw new Error(`${layer.name}: expected one mask, got ${String(out)}`);
        return [ops.cast(out, 'float32')];
      });
      expectClose(m, [1, 0]);
    }
  });
});
