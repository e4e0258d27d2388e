import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Bidirectional, Conv2D, GRU, LSTM, Sequential, Tensor, setBackend } from '../../src/index.js';
import { convertKeras1Weights } from '../../src/legacy/index.js';

setBackend(createTsBackend());

/** A tensor whose values are their own flat index plus `base` (easy to track through transposes). */
function iota(shape: number[], base = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, (_, i) => base + i));
}

function seeded(shape: number[], seed: number, scale = 0.5): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    shape,
    'float32',
    Float32Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 4294967296 - 0.5) * 2 * scale;
    }),
  );
}

/** The element of `t` at a multi-index. */
function at(t: Tensor, idx: number[]): number {
  let off = 0;
  for (let d = 0; d < idx.length; d++) off = off * t.shape[d] + idx[d];
  return t.data[off];
}

/** Every multi-index of a shape. */
function* indices(shape: number[]): Generator<number[]> {
  const idx = shape.map(() => 0);
  const n = shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < n; k++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

/** Checks `got` has `shape` and got[idx] == want(idx) everywhere. */
function expectLayout(got: Tensor, shape: number[], want: (idx: number[]) => number): void {
  expect(got.shape).toEqual(shape);
  for (const idx of indices(shape)) if (at(got, idx) !== want(idx)) throw new Error(`at [${idx}]: got ${at(got, idx)}, want ${want(idx)}`);
}

/** Concatenation on the last axis, written element by element. */
function concatByHand(ts: Tensor[]): (idx: number[]) => number {
  return (idx) => {
    let j = idx.at(-1)!;
    for (const t of ts) {
      const w = t.shape.at(-1)!;
      if (j < w) return at(t, [...idx.slice(0, -1), j]);
      j -= w;
    }
    throw new Error('out of range');
  };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** x (1 x n) times W (n x m) plus b, as plain arrays. */
function affine(x: number[], w: Tensor, b: Tensor | null, h?: number[], u?: Tensor): number[] {
  const m = w.shape[1];
  return Array.from({ length: m }, (_, j) => {
    let s = b ? b.data[j] : 0;
    x.forEach((v, i) => (s += v * at(w, [i, j])));
    if (h && u) h.forEach((v, i) => (s += v * at(u, [i, j])));
    return s;
  });
}

describe('convertKeras1Weights (Keras 2 preprocess_weights_for_loading)', () => {
  const units = 2;
  const inDim = 3;
  // Keras 1 LSTM order: W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o.
  const lstm12 = ['i', 'c', 'f', 'o'].flatMap((_, g) => [seeded([inDim, units], 10 + 3 * g), seeded([units, units], 11 + 3 * g), seeded([units], 12 + 3 * g)]);
  const gate = (g: 'i' | 'c' | 'f' | 'o') => {
    const k = { i: 0, c: 1, f: 2, o: 3 }[g];
    return { W: lstm12[3 * k], U: lstm12[3 * k + 1], b: lstm12[3 * k + 2] };
  };

  it('LSTM: 12 per-gate arrays become kernel, recurrent_kernel and bias in i, f, c, o order', () => {
    const [k, r, b] = convertKeras1Weights('LSTM', { output_dim: units }, lstm12);
    const order = (['i', 'f', 'c', 'o'] as const).map(gate);
    expectLayout(k, [inDim, 4 * units], concatByHand(order.map((g) => g.W)));
    expectLayout(r, [units, 4 * units], concatByHand(order.map((g) => g.U)));
    expectLayout(b, [4 * units], concatByHand(order.map((g) => g.b)));
    // Three arrays (Keras 1 consume_less='gpu', or Keras 2) are left as they are.
    expect(convertKeras1Weights('LSTM', {}, [k, r, b])).toEqual([k, r, b]);
  });

  it('LSTM: the converted weights compute what Keras 1 computed', async () => {
    const steps = 3;
    const x = seeded([1, steps, inDim], 99, 1);
    const lstm = new LSTM({ units, recurrentActivation: 'sigmoid' });
    const m = new Sequential({ layers: [lstm] });
    m.build([null, steps, inDim]);
    lstm.setWeights(convertKeras1Weights('LSTM', { output_dim: units }, lstm12));
    const got = await m.predict(x);
    // Keras 1's LSTM step, gate by gate (inner_activation sigmoid).
    let h = [0, 0];
    let c = [0, 0];
    for (let t = 0; t < steps; t++) {
      const xt = Array.from(x.data.slice(t * inDim, (t + 1) * inDim));
      const pre = (g: 'i' | 'c' | 'f' | 'o') => affine(xt, gate(g).W, gate(g).b, h, gate(g).U);
      const i = pre('i').map(sigmoid);
      const f = pre('f').map(sigmoid);
      const o = pre('o').map(sigmoid);
      c = c.map((cv, j) => f[j] * cv + i[j] * Math.tanh(pre('c')[j]));
      h = o.map((ov, j) => ov * Math.tanh(c[j]));
    }
    h.forEach((v, j) => expect(got.data[j]).toBeCloseTo(v, 5));
  });

  it('GRU: 9 per-gate arrays (z, r, h) become 3, computing as Keras 1 (reset_after=False)', async () => {
    const g9 = [0, 1, 2].flatMap((g) => [seeded([inDim, units], 20 + 3 * g), seeded([units, units], 21 + 3 * g), seeded([units], 22 + 3 * g)]);
    const [k, r, b] = convertKeras1Weights('GRU', { output_dim: units }, g9);
    expectLayout(k, [inDim, 3 * units], concatByHand([g9[0], g9[3], g9[6]]));
    expectLayout(r, [units, 3 * units], concatByHand([g9[1], g9[4], g9[7]]));
    expectLayout(b, [3 * units], concatByHand([g9[2], g9[5], g9[8]]));
    const steps = 2;
    const x = seeded([1, steps, inDim], 5, 1);
    const gru = new GRU({ units, recurrentActivation: 'sigmoid', resetAfter: false });
    const m = new Sequential({ layers: [gru] });
    m.build([null, steps, inDim]);
    gru.setWeights([k, r, b]);
    const got = await m.predict(x);
    let h = [0, 0];
    for (let t = 0; t < steps; t++) {
      const xt = Array.from(x.data.slice(t * inDim, (t + 1) * inDim));
      const z = affine(xt, g9[0], g9[2], h, g9[1]).map(sigmoid);
      const rr = affine(xt, g9[3], g9[5], h, g9[4]).map(sigmoid);
      const hh = affine(xt, g9[6], g9[8], h.map((v, j) => rr[j] * v), g9[7]).map(Math.tanh);
      h = h.map((v, j) => z[j] * v + (1 - z[j]) * hh[j]);
    }
    h.forEach((v, j) => expect(got.data[j]).toBeCloseTo(v, 5));
  });

  it("Conv2D with dim_ordering 'th': (filters, in, rows, cols) -> (rows, cols, in, filters); 'tf' kernels unchanged", () => {
    const w = iota([4, 3, 2, 5]);
    const [k, b] = convertKeras1Weights('Convolution2D', { nb_filter: 4, nb_row: 2, nb_col: 5, dim_ordering: 'th' }, [w, iota([4])]);
    expectLayout(k, [2, 5, 3, 4], ([r, c, i, f]) => at(w, [f, i, r, c]));
    expect(b.shape).toEqual([4]);
    expect(convertKeras1Weights('Conv2D', { data_format: 'channels_first' }, [w])[0].shape).toEqual([2, 5, 3, 4]);
    const tf = iota([2, 5, 3, 4]);
    expect(convertKeras1Weights('Convolution2D', { dim_ordering: 'tf' }, [tf])[0]).toBe(tf);
  });

  it('Conv1D: Keras 1.2 (length, 1, in, filters) and Keras 1.1 (filters, in, length, 1) kernels -> (length, in, filters)', () => {
    const k12 = iota([3, 1, 2, 4]);
    expectLayout(convertKeras1Weights('Convolution1D', { nb_filter: 4, filter_length: 3 }, [k12])[0], [3, 2, 4], ([l, i, f]) => at(k12, [l, 0, i, f]));
    const k11 = iota([4, 2, 3, 1]);
    expectLayout(convertKeras1Weights('Convolution1D', { nb_filter: 4, filter_length: 3 }, [k11])[0], [3, 2, 4], ([l, i, f]) => at(k11, [f, i, l, 0]));
    expect(() => convertKeras1Weights('Conv1D', { filters: 4, kernel_size: [3] }, [iota([5, 5, 5, 5])])).toThrow(/neither Keras 1.2's/);
  });

  it('Conv2DTranspose (Deconvolution2D): tf (rows, cols, a, b) -> (rows, cols, b, a); th (a, b, rows, cols) -> (rows, cols, a, b)', () => {
    const tf = iota([2, 3, 4, 5]);
    expectLayout(convertKeras1Weights('Deconvolution2D', { dim_ordering: 'tf' }, [tf])[0], [2, 3, 5, 4], ([r, c, a, b]) => at(tf, [r, c, b, a]));
    const th = iota([4, 5, 2, 3]);
    expectLayout(convertKeras1Weights('Deconvolution2D', { dim_ordering: 'th' }, [th])[0], [2, 3, 4, 5], ([r, c, a, b]) => at(th, [a, b, r, c]));
  });

  it("Conv3D with dim_ordering 'th': (filters, in, d1, d2, d3) -> (d1, d2, d3, in, filters)", () => {
    const w = iota([2, 3, 1, 2, 4]);
    expectLayout(convertKeras1Weights('Convolution3D', { dim_ordering: 'th' }, [w])[0], [1, 2, 4, 3, 2], ([a, b, c, i, f]) => at(w, [f, i, a, b, c]));
  });

  it("Theano kernels are flipped on their spatial axes (Keras' convert_kernel), after the layout change", () => {
    const w = iota([4, 3, 2, 5]);
    const [k] = convertKeras1Weights('Convolution2D', { dim_ordering: 'th' }, [w], { originalBackend: 'theano' });
    expectLayout(k, [2, 5, 3, 4], ([r, c, i, f]) => at(w, [f, i, 1 - r, 4 - c]));
    const k1d = iota([3, 2, 4]);
    expectLayout(convertKeras1Weights('Conv1D', {}, [k1d], { originalBackend: 'theano', originalKerasVersion: '2.2.4' })[0], [3, 2, 4], ([l, i, f]) => at(k1d, [2 - l, i, f]));
    expect(convertKeras1Weights('Conv2D', {}, [iota([2, 2, 1, 1])], { originalBackend: 'tensorflow' })[0].data).toEqual(Float32Array.from([0, 1, 2, 3]));
  });

  it('a flipped Theano kernel gives the same output as Theano did (true convolution)', async () => {
    // Theano's conv2d flips the kernel: out[y][x] = sum w[r][c] * in[y - r + 1][x - c + 1] (valid, 2x2).
    const wTh = new Tensor([1, 1, 2, 2], 'float32', Float32Array.from([1, 2, 3, 4]));
    const img = new Tensor([1, 3, 3, 1], 'float32', Float32Array.from([1, 0, 2, 0, 1, 0, 3, 0, 1]));
    const conv = new Conv2D({ filters: 1, kernelSize: 2, useBias: false });
    const m = new Sequential({ layers: [conv] });
    m.build([null, 3, 3, 1]);
    conv.setWeights(convertKeras1Weights('Convolution2D', { dim_ordering: 'th', bias: false }, [wTh], { originalBackend: 'theano' }));
    const got = await m.predict(img);
    const W = [
      [1, 2],
      [3, 4],
    ];
    const I = (y: number, x: number) => img.data[y * 3 + x];
    const want = [0, 1].flatMap((y) => [0, 1].map((x) => W[1][1] * I(y, x) + W[1][0] * I(y, x + 1) + W[0][1] * I(y + 1, x) + W[0][0] * I(y + 1, x + 1)));
    want.forEach((v, i) => expect(got.data[i]).toBeCloseTo(v, 5));
  });

  it("ConvLSTM2D: 12 arrays -> 3 in i, f, c, o order on the filters axis; 'th' kernels (filters, in, rows, cols) per gate", () => {
    // Gate g's input kernel W_g: (filters=2, in=1, rows=3, cols=3); recurrent U_g: (2, 2, 3, 3).
    const arrays = [0, 1, 2, 3].flatMap((g) => [iota([2, 1, 3, 3], 1000 * g), iota([2, 2, 3, 3], 1000 * g + 500), iota([2], 1000 * g + 900)]);
    const [k, r, b] = convertKeras1Weights('ConvLSTM2D', { dim_ordering: 'th' }, arrays);
    const stored = [0, 6, 3, 9]; // i, f, c, o in Keras 1's storage order (i, c, f, o)
    expectLayout(k, [3, 3, 1, 8], ([y, x, i, j]) => at(arrays[stored[Math.floor(j / 2)]], [j % 2, i, y, x]));
    expectLayout(r, [3, 3, 2, 8], ([y, x, i, j]) => at(arrays[stored[Math.floor(j / 2)] + 1], [j % 2, i, y, x]));
    expectLayout(b, [8], concatByHand([arrays[2], arrays[8], arrays[5], arrays[11]]));
    // 'tf' kernels (rows, cols, in, filters) are only concatenated.
    const tf = [0, 1, 2, 3].flatMap((g) => [iota([3, 3, 1, 2], 1000 * g), iota([3, 3, 2, 2], 1000 * g + 500), iota([2], 1000 * g + 900)]);
    expectLayout(convertKeras1Weights('ConvLSTM2D', { dim_ordering: 'tf' }, tf)[0], [3, 3, 1, 8], concatByHand([tf[0], tf[6], tf[3], tf[9]]));
  });

  it('Bidirectional: forward weights then backward weights, each converted as its layer', () => {
    const fwd = lstm12;
    const bwd = lstm12.map((t) => new Tensor(t.shape, 'float32', t.data.map((v) => v + 10)));
    const out = convertKeras1Weights('Bidirectional', { layer: { class_name: 'LSTM', config: { output_dim: units } }, merge_mode: 'concat' }, [...fwd, ...bwd]);
    expect(out.map((t) => t.shape)).toEqual([
      [inDim, 8],
      [units, 8],
      [8],
      [inDim, 8],
      [units, 8],
      [8],
    ]);
    expect(out.slice(3).map((t) => Array.from(t.data))).toEqual(convertKeras1Weights('LSTM', {}, bwd).map((t) => Array.from(t.data)));
    // They load into a Keras 2 Bidirectional(LSTM).
    const bi = new Bidirectional({ layer: new LSTM({ units }) });
    new Sequential({ layers: [bi] }).build([null, 4, inDim]);
    expect(() => bi.setWeights(out)).not.toThrow();
    expect(() => convertKeras1Weights('Bidirectional', { layer: { class_name: 'LSTM', config: {} } }, lstm12.slice(0, 3))).toThrow(/odd number of weights/);
  });

  it('TimeDistributed: the wrapped layer is converted (once)', () => {
    const w = iota([4, 3, 2, 5]);
    const [k] = convertKeras1Weights('TimeDistributed', { layer: { class_name: 'Convolution2D', config: { dim_ordering: 'th' } } }, [w]);
    expectLayout(k, [2, 5, 3, 4], ([r, c, i, f]) => at(w, [f, i, r, c]));
  });

  it("Keras 2's last step: a kernel still not of the target shape is transposed (3, 2, 0, 1), or reshaped", () => {
    const w = iota([2, 3, 4, 5]);
    expectLayout(convertKeras1Weights('Conv2D', {}, [w], { targetShapes: [[5, 4, 2, 3]] })[0], [5, 4, 2, 3], ([a, b, c, d]) => at(w, [c, d, b, a]));
    expect(convertKeras1Weights('Conv2D', {}, [w], { targetShapes: [[6, 20]], reshape: true })[0].shape).toEqual([6, 20]);
  });

  it('other layers come back as they are; nested models are refused', () => {
    const ws = [iota([3, 2]), iota([2])];
    expect(convertKeras1Weights('Dense', { output_dim: 2 }, ws)).toEqual(ws);
    expect(convertKeras1Weights('BatchNormalization', {}, [iota([2]), iota([2]), iota([2]), iota([2])])).toHaveLength(4);
    expect(() => convertKeras1Weights('Sequential', { name: 'inner' }, ws)).toThrow(/'inner' is a nested Sequential; convert the weights of each of its layers/);
  });
});
