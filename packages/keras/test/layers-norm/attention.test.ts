import { ops, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { AdditiveAttention, Attention, Input, MultiHeadAttention, Tensor, deserializeLayer, onlyOutput, type KerasTensor } from '../../src/index.js';
import { bool, expectClose, expectRoundTrip, f32, randomTensor, runTraced, floatMask } from './helpers.js';

type Arr3 = number[][][];

const to3 = (t: Tensor): Arr3 => {
  const [B, T, D] = t.shape;
  return Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, i) => Array.from({ length: D }, (_, d) => t.data[(b * T + i) * D + d])));
};

const softmax = (r: number[]) => {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b);
  return e.map((v) => v / s);
};

/**
 * Reference dense attention: scores [B][Tq][Tv] from `score`, value mask, causal mask, softmax,
 * weights @ value, query mask.
 */
function denseAttention(
  q: Arr3,
  v: Arr3,
  k: Arr3,
  score: (qi: number[], kj: number[]) => number,
  opts: { qMask?: number[][]; vMask?: number[][]; causal?: boolean } = {},
): { out: number[]; weights: number[] } {
  const out: number[] = [];
  const weights: number[] = [];
  q.forEach((qb, b) =>
    qb.forEach((qi, i) => {
      const s = k[b].map((kj, j) => {
        let x = score(qi, kj);
        const allowed = (opts.vMask ? opts.vMask[b][j] : 1) && (!opts.causal || j <= i);
        if (!allowed) x = Math.fround(x - 1e9);
        return x;
      });
      const w = softmax(s);
      weights.push(...w);
      const o = v[b][0].map((_, d) => w.reduce((acc, wj, j) => acc + wj * v[b][j][d], 0));
      const keep = opts.qMask ? opts.qMask[b][i] : 1;
      out.push(...o.map((x) => x * keep));
    }),
  );
  return { out, weights };
}

const dotScore = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('Attention', () => {
  const q = randomTensor([2, 3, 4], 11);
  const v = randomTensor([2, 4, 4], 12);
  const k = randomTensor([2, 4, 4], 13);

  it('dot scores with a learned scale, a separate key, and returned attention scores', () => {
    const layer = new Attention({ useScale: true });
    layer.maybeBuild([
      [null, 3, 4],
      [null, 4, 4],
      [null, 4, 4],
    ]);
    layer.setWeights([f32([], [0.7])]);
    const [out, w] = layer.apply([q, v, k], { return_attention_scores: true });
    const ref = denseAttention(to3(q), to3(v), to3(k), (a, b) => 0.7 * dotScore(a, b));
    expectClose(out, ref.out);
    expect(w.shape).toEqual([2, 3, 4]);
    expectClose(w, ref.weights);
  });

  it('concat scores', () => {
    const layer = new Attention({ scoreMode: 'concat', useScale: true });
    layer.maybeBuild([
      [null, 3, 4],
      [null, 4, 4],
    ]);
    layer.setWeights([f32([], [0.5]), f32([], [2])]);
    expect(layer.weights.map((x) => x.name)).toEqual(['scale', 'concat_score_weight']);
    const out = layer.apply([q, v]);
    const ref = denseAttention(to3(q), to3(v), to3(v), (a, b) => 2 * a.reduce((s, x, i) => s + Math.tanh(0.5 * (x + b[i])), 0));
    expectClose(out, ref.out);
  });

  it('applies the value and query masks and the causal mask', () => {
    const qMask = [
      [1, 1, 0],
      [1, 0, 1],
    ];
    const vMask = [
      [1, 0, 1, 1],
      [0, 1, 1, 1],
    ];
    const layer = new Attention();
    const [out, outMask] = runTraced([q, v, bool([2, 3], qMask.flat()), bool([2, 4], vMask.flat())], ([qs, vs, qm, vm]) => {
      const y = layer.apply([qs, vs], { mask: [qm, vm] });
      return [y, floatMask(layer.computeMask([qs, vs], [qm, vm]))];
    });
    expectClose(out, denseAttention(to3(q), to3(v), to3(v), dotScore, { qMask, vMask }).out);
    expectClose(outMask, qMask.flat());
    const self = randomTensor([1, 3, 2], 14);
    const causal = new Attention().apply([self, self], { use_causal_mask: true });
    expectClose(causal, denseAttention(to3(self), to3(self), to3(self), dotScore, { causal: true }).out);
    // Keras 2's deprecated constructor argument does the same.
    const old = deserializeLayer({ class_name: 'Attention', config: { name: 'att_causal', causal: true } });
    expectClose(onlyOutput(old.apply([self, self])), causal.data);
    expect(expectRoundTrip(old).causal).toBe(true);
  });

  it('drops attention weights in training only', () => {
    const layer = new Attention({ dropout: 0.5 });
    const [, wi] = layer.apply([q, v], { return_attention_scores: true });
    const [, wt] = layer.apply([q, v], { return_attention_scores: true, training: true });
    let zeros = 0;
    wt.data.forEach((x, i) => {
      if (x === 0) zeros++;
      else expect(Math.abs(x - 2 * wi.data[i])).toBeLessThan(1e-5);
    });
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(wt.size);
  });

  it('config and errors', () => {
    const c = expectRoundTrip(new Attention({ useScale: true, scoreMode: 'concat', dropout: 0.1 }));
    expect(Object.keys(c)).toEqual(['name', 'trainable', 'dtype', 'dropout', 'use_scale', 'score_mode']);
    const k3 = deserializeLayer({ class_name: 'Attention', config: { name: 'att_k3', use_scale: false, score_mode: 'dot', dropout: 0.0, seed: null } });
    expect(k3).toBeInstanceOf(Attention);
    // @ts-expect-error -- scoreMode 'add' is not supported, on purpose
    expect(() => new Attention({ name: 'att_s', scoreMode: 'add' })).toThrow(/Attention 'att_s'.*'scoreMode' got "add"/);
    expect(() => new Attention({ name: 'att_1' }).apply(Input({ shape: [3, 4] }))).toThrow(/Attention 'att_1' must be called on a list of inputs, namely \[query, value\]/);
    expect(() => new Attention({ name: 'att_4' }).apply([1, 2, 3, 4].map(() => Input({ shape: [3, 4] })))).toThrow(/att_4' accepts a list of 2 or 3 inputs.*got 4/);
    const y = new Attention().apply([Input({ shape: [3, 4] }), Input({ shape: [5, 4] })]);
    expect(y.shape).toEqual([null, 3, 4]);
  });
});

describe('AdditiveAttention', () => {
  it('scores sum(scale * tanh(q + k)), with and without scale', () => {
    const q = randomTensor([2, 2, 3], 21);
    const v = randomTensor([2, 3, 3], 22);
    const layer = new AdditiveAttention();
    layer.maybeBuild([
      [null, 2, 3],
      [null, 3, 3],
    ]);
    layer.setWeights([f32([3], [0.5, -1, 2])]);
    const scale = [0.5, -1, 2];
    expectClose(layer.apply([q, v]), denseAttention(to3(q), to3(v), to3(v), (a, b) => a.reduce((s, x, i) => s + scale[i] * Math.tanh(x + b[i]), 0)).out);
    const plain = new AdditiveAttention({ useScale: false });
    expectClose(plain.apply([q, v]), denseAttention(to3(q), to3(v), to3(v), (a, b) => a.reduce((s, x, i) => s + Math.tanh(x + b[i]), 0)).out);
    expect(plain.weights).toHaveLength(0);
    expect(Object.keys(expectRoundTrip(layer))).toEqual(['name', 'trainable', 'dtype', 'dropout', 'use_scale']);
  });
});

/** Reference multi-head attention on [B, T, D] inputs with explicit weights. */
function mhaReference(
  q: Arr3,
  v: Arr3,
  k: Arr3,
  w: { wq: Tensor; bq: Tensor; wk: Tensor; bk: Tensor; wv: Tensor; bv: Tensor; wo: Tensor; bo: Tensor },
  heads: number,
  keyDim: number,
  valueDim: number,
  allowed: (b: number, t: number, s: number) => boolean = () => true,
): { out: number[]; scores: number[] } {
  const proj = (x: number[], W: Tensor, bias: Tensor, n: number, h: number) => {
    const D = x.length;
    let acc = 0;
    for (let d = 0; d < D; d++) acc += x[d] * W.data[(d * heads + n) * W.shape[2] + h];
    return acc + bias.data[n * bias.shape[1] + h];
  };
  const out: number[] = [];
  const scores: number[] = [];
  const B = q.length;
  const T = q[0].length;
  const S = v[0].length;
  const O = w.bo.shape[0];
  for (let b = 0; b < B; b++) {
    const ctx: number[][][] = Array.from({ length: T }, () => Array.from({ length: heads }, () => new Array<number>(valueDim).fill(0)));
    const sc: number[][][] = [];
    for (let n = 0; n < heads; n++) {
      sc.push([]);
      for (let t = 0; t < T; t++) {
        const qp = Array.from({ length: keyDim }, (_, h) => proj(q[b][t], w.wq, w.bq, n, h));
        const raw = Array.from({ length: S }, (_, s) => {
          const kp = Array.from({ length: keyDim }, (_, h) => proj(k[b][s], w.wk, w.bk, n, h));
          const dot = qp.reduce((acc, x, h) => acc + x * kp[h], 0) / Math.sqrt(keyDim);
          // A masked score is -1e9 in float32, where the dot product is lost in rounding.
          return allowed(b, t, s) ? dot : Math.fround(dot - 1e9);
        });
        const p = softmax(raw);
        sc[n].push(p);
        for (let s = 0; s < S; s++) for (let h = 0; h < valueDim; h++) ctx[t][n][h] += p[s] * proj(v[b][s], w.wv, w.bv, n, h);
      }
    }
    for (let n = 0; n < heads; n++) for (let t = 0; t < T; t++) scores.push(...sc[n][t]);
    for (let t = 0; t < T; t++)
      for (let o = 0; o < O; o++) {
        let acc = w.bo.data[o];
        for (let n = 0; n < heads; n++) for (let h = 0; h < valueDim; h++) acc += ctx[t][n][h] * w.wo.data[(n * valueDim + h) * O + o];
        out.push(acc);
      }
  }
  return { out, scores };
}

describe('MultiHeadAttention', () => {
  const heads = 2;
  const keyDim = 3;
  const valueDim = 2;
  const q = randomTensor([2, 3, 4], 31);
  const v = randomTensor([2, 5, 6], 32);
  const k = randomTensor([2, 5, 3], 33);
  const weights = {
    wq: randomTensor([4, heads, keyDim], 41),
    bq: randomTensor([heads, keyDim], 42),
    wk: randomTensor([3, heads, keyDim], 43),
    bk: randomTensor([heads, keyDim], 44),
    wv: randomTensor([6, heads, valueDim], 45),
    bv: randomTensor([heads, valueDim], 46),
    wo: randomTensor([heads, valueDim, 7], 47),
    bo: randomTensor([7], 48),
  };
  const list = [weights.wq, weights.bq, weights.wk, weights.bk, weights.wv, weights.bv, weights.wo, weights.bo];
  const make = () => {
    const layer = new MultiHeadAttention({ numHeads: heads, keyDim, valueDim, outputShape: 7 });
    layer.maybeBuild([
      [null, 3, 4],
      [null, 5, 6],
      [null, 5, 3],
    ]);
    layer.setWeights(list);
    return layer;
  };

  it('matches a reference (separate key, value_dim, output_shape), returns [B, heads, T, S] scores', () => {
    const layer = make();
    expect(layer.weights.map((w) => w.path)).toEqual(
      ['query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'attention_output/kernel', 'attention_output/bias'].map((p) => `${layer.name}/${p}`),
    );
    const [out, scores] = layer.apply([q, v, k], { return_attention_scores: true });
    const ref = mhaReference(to3(q), to3(v), to3(k), weights, heads, keyDim, valueDim);
    expect(out.shape).toEqual([2, 3, 7]);
    expectClose(out, ref.out, 1e-4);
    expect(scores.shape).toEqual([2, heads, 3, 5]);
    expectClose(scores, ref.scores, 1e-4);
  });

  it('combines attention_mask (symbolic or concrete), the Keras masks and the causal mask', () => {
    const am = [0, 1, 2, 3, 4, 5].map((i) => Array.from({ length: 3 * 5 }, (_, j) => ((i * 7 + j) % 4 === 0 ? 0 : 1))).slice(0, 2);
    const amT = bool([2, 3, 5], am.flat());
    const allowedAm = (b: number, t: number, s: number) => am[b][t * 5 + s] === 1;
    const layer = make();
    expectClose(layer.apply([q, v, k], { attention_mask: amT }), mhaReference(to3(q), to3(v), to3(k), weights, heads, keyDim, valueDim, allowedAm).out, 1e-4);
    const qMask = [
      [1, 1, 1],
      [1, 0, 1],
    ];
    const vMask = [
      [1, 1, 0, 1, 1],
      [0, 1, 1, 1, 1],
    ];
    const [out] = runTraced([q, v, k, amT, bool([2, 3], qMask.flat()), bool([2, 5], vMask.flat())], ([qs, vs, ks, a, qm, vm]) => [
      layer.apply([qs, vs, ks], { attention_mask: a, mask: [qm, vm, null], use_causal_mask: true }),
    ]);
    const allowed = (b: number, t: number, s: number) => allowedAm(b, t, s) && qMask[b][t] === 1 && vMask[b][s] === 1 && s <= t;
    expectClose(out, mhaReference(to3(q), to3(v), to3(k), weights, heads, keyDim, valueDim, allowed).out, 1e-4);
  });

  it('attends over several axes, or over an inner axis with the others as batch axes', () => {
    const x = randomTensor([2, 2, 3, 4], 51);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [1, 2] });
    const [y, s] = layer.apply([x, x], { return_attention_scores: true });
    expect(s.shape).toEqual([2, 2, 2, 3, 2, 3]);
    // Same as attention over the flattened [2, 6, 4] sequence.
    const flat = new Tensor([2, 6, 4], 'float32', x.data);
    const [wq, bq, wk, bk, wv, bv, wo, bo] = layer.getWeights();
    const ref = mhaReference(to3(flat), to3(flat), to3(flat), { wq, bq, wk, bk, wv, bv, wo, bo }, 2, 2, 2);
    expectClose(y, ref.out, 1e-4);
    expectClose(s, ref.scores, 1e-4);

    const inner = new MultiHeadAttention({ numHeads: 1, keyDim: 2, attentionAxes: 2 });
    const [yi, si] = inner.apply([x, x], { return_attention_scores: true });
    expect(si.shape).toEqual([2, 2, 1, 3, 3]);
    expect(inner.getConfig().attention_axes).toEqual([2]);
    const [iq, ibq, ik, ibk, iv, ibv, io, ibo] = inner.getWeights();
    // Axis 1 is a batch axis: each x[:, r] attends over its own 3 steps.
    for (let r = 0; r < 2; r++) {
      const slice = new Tensor(
        [2, 3, 4],
        'float32',
        Float32Array.from({ length: 24 }, (_, i) => {
          const b = Math.floor(i / 12);
          return x.data[b * 24 + r * 12 + (i % 12)];
        }),
      );
      const ref2 = mhaReference(to3(slice), to3(slice), to3(slice), { wq: iq, bq: ibq, wk: ik, bk: ibk, wv: iv, bv: ibv, wo: io, bo: ibo }, 1, 2, 2);
      const got = Array.from({ length: 24 }, (_, i) => yi.data[Math.floor(i / 12) * 24 + r * 12 + (i % 12)]);
      expectClose(got, ref2.out, 1e-4);
    }
  });

  it('takes the value as a call argument (Keras 2 functional configs), drops in training only', () => {
    const layer = make();
    const want = layer.apply([q, v, k]);
    const [got] = runTraced([q, v, k], ([qs, vs, ks]) => [layer.apply(qs, { value: vs, key: ks })]);
    expectClose(got, want.data);
    const drop = new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.5 });
    const a = drop.apply([q, q]);
    expectClose(drop.apply([q, q]), a.data);
    const t = drop.apply([q, q], { training: true });
    expect(Array.from(t.data).some((x, i) => Math.abs(x - a.data[i]) > 1e-4)).toBe(true);
  });

  it('writes the Keras 2 config (with the build shapes) and is rebuilt from it', () => {
    const layer = make();
    const c = expectRoundTrip(layer);
    expect(Object.keys(c)).toEqual([
      'name',
      'trainable',
      'dtype',
      'num_heads',
      'key_dim',
      'value_dim',
      'dropout',
      'use_bias',
      'output_shape',
      'attention_axes',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'bias_constraint',
      'query_shape',
      'key_shape',
      'value_shape',
    ]);
    expect(c.query_shape).toEqual([null, 3, 4]);
    expect(c.key_shape).toEqual([null, 5, 3]);
    expect(c.attention_axes).toEqual([1]);
    const again = deserializeLayer({ class_name: 'MultiHeadAttention', config: c });
    expect(again.weights.map((w) => w.shape)).toEqual(layer.weights.map((w) => w.shape));
    const fresh = expectRoundTrip(new MultiHeadAttention({ numHeads: 1, keyDim: 2, useBias: false }));
    expect(fresh.value_dim).toBe(2);
    expect(fresh.query_shape).toBeNull();
    const noBias = new MultiHeadAttention({ numHeads: 1, keyDim: 2, useBias: false });
    noBias.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 4] })]);
    expect(noBias.weights.map((w) => w.shape)).toEqual([
      [4, 1, 2],
      [4, 1, 2],
      [4, 1, 2],
      [1, 2, 4],
    ]);
  });

  it('reads Keras 3 configs at neutral values and refuses the rest', () => {
    const base = { name: 'mha_k3', num_heads: 2, key_dim: 3, value_dim: 3, dropout: 0, use_bias: true, output_shape: null, attention_axes: [1], seed: null };
    expect(deserializeLayer({ class_name: 'MultiHeadAttention', config: { ...base, use_gate: false, sliding_window: null } })).toBeInstanceOf(MultiHeadAttention);
    expect(() => deserializeLayer({ class_name: 'MultiHeadAttention', config: { ...base, name: 'mha_g', use_gate: true } })).toThrow(/MultiHeadAttention 'mha_g'.*'useGate' got true.*use_gate/);
    expect(() => deserializeLayer({ class_name: 'MultiHeadAttention', config: { ...base, name: 'mha_w', sliding_window: 4 } })).toThrow(/mha_w.*sliding_window/);
    expect(() => new MultiHeadAttention({ name: 'mha_h', numHeads: 0, keyDim: 2 })).toThrow(/MultiHeadAttention 'mha_h'.*'numHeads' got 0/);
    expect(() => new MultiHeadAttention({ name: 'mha_1', numHeads: 1, keyDim: 2 }).apply([Input({ shape: [3, 4] })])).toThrow(/mha_1' must be called on \[query, value\]/);
    expect(() => new MultiHeadAttention({ name: 'mha_r', numHeads: 1, keyDim: 2 }).apply([Input({ shape: [3, 4] }), Input({ shape: [2, 5, 4] })])).toThrow(/mha_r'.*same rank/);
    expect(() => new MultiHeadAttention({ name: 'mha_ax', numHeads: 1, keyDim: 2, attentionAxes: [2] }).apply([Input({ shape: [3, 4] }), Input({ shape: [5, 4] })])).toThrow(
      /mha_ax'.*attention_axes \[2\]/,
    );
  });
});
