/**
 * The optimized paths of backend-ts against plain ones: elementwise fusion and the fused ops of
 * the spec's fuse-epilogues pass (epilogues) must give bit-identical results to running each node
 * alone; the direct depthwise kernel, the
 * packed-patch convolutions, pooling, blocked reductions and box copies must match naive loops.
 */
import { grad, ops, sizeOf, trace, type HostTensor, type Shape, type Sym, type TensorInfo } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTsBackend, type TsBackendOptions } from '../src/index.js';

function rand(shape: Shape, seed: number, lo = -1, hi = 1): HostTensor {
  let s = seed >>> 0;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = lo + (s / 4294967296) * (hi - lo);
  }
  return { shape, dtype: 'float32', data };
}

const f32 = (shape: Shape): TensorInfo => ({ shape, dtype: 'float32' });

function run(options: TsBackendOptions, fn: (...xs: Sym[]) => Sym | Sym[], inputs: HostTensor[]): HostTensor[] {
  const exe = createTsBackend(options).compile(trace(fn, inputs.map((t) => f32(t.shape))));
  return exe.runSync(inputs);
}

const PLAIN: TsBackendOptions = { fuseElementwise: false, epilogues: false, depthwiseKernel: false, convPacking: false };
const FAST: TsBackendOptions = { fuseElementwise: true, epilogues: true, depthwiseKernel: true, convPacking: true };

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst / scale).toBeLessThanOrEqual(tol);
}

describe('elementwise fusion', () => {
  const cases: [string, Shape[], (...xs: Sym[]) => Sym | Sym[]][] = [
    ['bias, relu6 over a trailing axis', [[5, 7, 6], [6], [6]], (x, s, t) => ops.clip(ops.relu(ops.add(ops.mul(x, s), t)), 0, 6)],
    ['leading broadcast [B, 1]', [[4, 9], [4, 1]], (x, d) => ops.div(ops.exp(ops.sub(x, d)), ops.add(d, 2))],
    ['middle broadcast (offset table)', [[3, 4, 5], [3, 1, 5], [1, 4, 1]], (a, b, c) => ops.tanh(ops.add(ops.mul(a, b), c))],
    ['scalar input and literals', [[2, 3, 4], []], (x, s) => ops.sigmoid(ops.add(ops.mul(x, s), 0.25))],
    ['bool intermediates (relu gradient)', [[6, 5], [6, 5]], (x, dy) => ops.where(ops.greater(x, 0), dy, ops.zerosLike(dy))],
    ['shared intermediate', [[8, 3]], (x) => {
      const y = ops.sigmoid(x);
      return ops.mul(y, ops.sub(1, y));
    }],
    ['several outputs, one group each', [[4, 4], [4]], (x, b) => {
      const y = ops.add(x, b);
      return [ops.relu(y), ops.square(y)];
    }],
    ['unary zoo', [[3, 5]], (x) => ops.add(ops.add(ops.erf(x), ops.softplus(x)), ops.add(ops.abs(ops.round(ops.mul(x, 3))), ops.sign(x)))],
    ['maximum / minimum / pow / rsqrt', [[3, 5], [5]], (x, y) => ops.add(ops.maximum(x, y), ops.mul(ops.minimum(x, y), ops.rsqrt(ops.add(ops.pow(ops.abs(x), 1.5), 1))))],
  ];
  for (const [name, shapes, fn] of cases) {
    it(`gives the unfused results bit for bit: ${name}`, () => {
      const inputs = shapes.map((s, k) => rand(s, 10 + k));
      const fast = run(FAST, fn, inputs);
      const plain = run(PLAIN, fn, inputs);
      fast.forEach((t, k) => expect(Array.from(t.data)).toEqual(Array.from(plain[k].data)));
    });
  }

  it('maps NaN, -0 and -inf through relu as TF does (NaN stays NaN, -0 and -inf give +0), fused or not', () => {
    const x: HostTensor = { shape: [6], dtype: 'float32', data: new Float32Array([NaN, -0, -Infinity, Infinity, -2, 3.5]) };
    for (const options of [FAST, PLAIN]) {
      const [y] = run(options, (a) => ops.relu(ops.mul(a, 1)), [x]);
      expect(Array.from(y.data)).toEqual([NaN, 0, 0, Infinity, 0, 3.5]);
      expect(Object.is(y.data[1], 0)).toBe(true);
    }
  });

  it('compiles a chain into one step and reuses one buffer', () => {
    const exe = createTsBackend(FAST).compile(trace((x) => ops.tanh(ops.mul(ops.add(x, 1), 2)), [f32([100])]));
    expect(exe.stepLabels).toEqual(['add+mul+tanh']);
    expect(exe.bufferCount).toBe(1);
  });

  it('binds reshapes to their input buffer', () => {
    const exe = createTsBackend(FAST).compile(trace((x) => ops.reshape(ops.relu(ops.reshape(x, [4, 3])), [12]), [f32([2, 6])]));
    expect(exe.stepLabels).toEqual(['relu']);
    const [y] = exe.runSync([rand([2, 6], 3)]);
    expect(y.shape).toEqual([12]);
  });
});

describe('epilogues', () => {
  it('a training step fuses matmul, bias and relu too (relu-mask), bit for bit', () => {
    const inputs = [rand([16, 20], 12), rand([20, 8], 13), rand([8], 14)];
    const fn = (x: Sym, w: Sym, b: Sym) => {
      const loss = ops.sum(ops.relu(ops.add(ops.matmul(x, w), b)));
      return [loss, ...grad([loss], [w, b])];
    };
    const exe = createTsBackend(FAST).compile(trace(fn, inputs.map((t) => f32(t.shape))));
    expect(exe.stepLabels).toContain('fused_matmul(add+relu)');
    const plain = run(PLAIN, fn, inputs);
    exe.runSync(inputs).forEach((t, k) => expect(Array.from(t.data)).toEqual(Array.from(plain[k].data)));
  });

  it('without epilogues (or without generated code) registers no fused kernel, and the pass makes none', () => {
    for (const options of [{ epilogues: false }, { fuseElementwise: false }]) {
      const backend = createTsBackend(options);
      expect(backend.kernels.names().filter((op) => op.startsWith('fused_'))).toEqual([]);
      const exe = backend.compile(trace((x, w) => ops.relu(ops.matmul(x, w)), [f32([2, 3]), f32([3, 4])]));
      expect(exe.stepLabels).toEqual(['matmul', 'relu']);
    }
  });

  it('matmul + bias + relu, as one step, bit for bit', () => {
    const inputs = [rand([70, 50], 1), rand([50, 33], 2), rand([33], 3)];
    const fn = (x: Sym, w: Sym, b: Sym) => ops.relu(ops.add(ops.matmul(x, w), b));
    const exe = createTsBackend(FAST).compile(trace(fn, inputs.map((t) => f32(t.shape))));
    expect(exe.stepLabels).toEqual(['fused_matmul(add+relu)']);
    expect(Array.from(exe.runSync(inputs)[0].data)).toEqual(Array.from(run(PLAIN, fn, inputs)[0].data));
  });

  it('matmul with K in several blocks (epilogue at the end)', () => {
    const inputs = [rand([20, 900], 4), rand([900, 12], 5), rand([12], 6)];
    const fn = (x: Sym, w: Sym, b: Sym) => ops.sigmoid(ops.add(ops.matmul(x, w), b));
    expect(Array.from(run(FAST, fn, inputs)[0].data)).toEqual(Array.from(run({ ...PLAIN, convPacking: true }, fn, inputs)[0].data));
  });

  it('conv + batch-norm + relu6 and depthwise + residual add', () => {
    const inputs = [rand([2, 9, 9, 5], 7), rand([3, 3, 5, 8], 8), rand([8], 9), rand([8], 10), rand([3, 3, 8, 1], 11)];
    const fn = (x: Sym, w: Sym, s: Sym, t: Sym, dw: Sym) => {
      const y = ops.clip(ops.relu(ops.add(ops.mul(ops.conv(x, w, { padding: 'same' }), ops.reshape(s, [1, 1, 1, 8])), t)), 0, 6);
      return ops.add(ops.depthwiseConv(y, dw, { padding: 'same' }), y);
    };
    const fast = run(FAST, fn, inputs)[0];
    const plain = run(PLAIN, fn, inputs)[0];
    expectClose(fast.data, plain.data, 1e-6);
    const exe = createTsBackend(FAST).compile(trace(fn, inputs.map((t) => f32(t.shape))));
    expect(exe.stepLabels.filter((l) => l.startsWith('fused_conv(') || l.startsWith('fused_depthwise_conv('))).toEqual([
      'fused_conv(mul+add+relu+clip)',
      'fused_depthwise_conv(add)',
    ]);
  });
});

// ---------------------------------------------------------------------------------
// Naive convolution: every (output position, tap, input channel, output channel) term.
// ---------------------------------------------------------------------------------

interface ConvOpts {
  strides?: number[];
  dilations?: number[];
  padding?: 'valid' | 'same';
}

/** Calls term(xIndex, wIndex, yIndex) for every product of an N-d conv (groups 1) or depthwise conv. */
function forEachTerm(xs: Shape, ws: Shape, o: ConvOpts, depthwise: boolean, term: (xi: number, wi: number, yi: number) => void): Shape {
  const rank = ws.length - 2;
  const spatial = xs.slice(1, rank + 1);
  const ks = ws.slice(0, rank);
  const strides = o.strides ?? ks.map(() => 1);
  const dil = o.dilations ?? ks.map(() => 1);
  const pads = ops.resolveConvPadding(spatial, ks, strides, dil, o.padding ?? 'valid');
  const outSp = spatial.map((n, i) => Math.floor((n + pads[i][0] + pads[i][1] - dil[i] * (ks[i] - 1) - 1) / strides[i]) + 1);
  const cin = xs[rank + 1];
  const cout = depthwise ? cin * ws[rank + 1] : ws[rank + 1];
  const taps = sizeOf(ks);
  const outPos = sizeOf(outSp);
  for (let n = 0; n < xs[0]; n++) {
    for (let p = 0; p < outPos; p++) {
      const op: number[] = [];
      let q = p;
      for (let i = rank - 1; i >= 0; i--) {
        op[i] = q % outSp[i];
        q = Math.floor(q / outSp[i]);
      }
      for (let t = 0; t < taps; t++) {
        const kp: number[] = [];
        let r = t;
        for (let i = rank - 1; i >= 0; i--) {
          kp[i] = r % ks[i];
          r = Math.floor(r / ks[i]);
        }
        const ip = op.map((v, i) => v * strides[i] - pads[i][0] + kp[i] * dil[i]);
        if (ip.some((v, i) => v < 0 || v >= spatial[i])) continue;
        let xPix = n;
        for (let i = 0; i < rank; i++) xPix = xPix * spatial[i] + ip[i];
        const yPix = n * outPos + p;
        if (depthwise) {
          const M = ws[rank + 1];
          for (let c = 0; c < cin; c++) for (let m = 0; m < M; m++) term(xPix * cin + c, (t * cin + c) * M + m, yPix * cout + c * M + m);
        } else {
          for (let c = 0; c < cin; c++) for (let co = 0; co < cout; co++) term(xPix * cin + c, (t * cin + c) * cout + co, yPix * cout + co);
        }
      }
    }
  }
  return [xs[0], ...outSp, cout];
}

function naiveConv(x: HostTensor, w: HostTensor, o: ConvOpts, depthwise = false): Float64Array {
  const yShape = forEachTerm(x.shape, w.shape, o, depthwise, () => {});
  const y = new Float64Array(sizeOf(yShape));
  forEachTerm(x.shape, w.shape, o, depthwise, (xi, wi, yi) => (y[yi] += x.data[xi] * w.data[wi]));
  return y;
}

describe('convolution kernels against naive loops', () => {
  const convCases: [string, Shape, Shape, ConvOpts][] = [
    ['5x5 valid, one input channel', [3, 12, 11, 1], [5, 5, 1, 6], {}],
    ['3x3 same, stride 2 (odd sizes)', [2, 13, 9, 4], [3, 3, 4, 7], { padding: 'same', strides: [2, 2] }],
    ['3x3 same, dilation 2', [1, 10, 10, 3], [3, 3, 3, 5], { padding: 'same', dilations: [2, 2] }],
    ['3x3x64: patch over two K blocks', [1, 7, 6, 64], [3, 3, 64, 9], { padding: 'same' }],
    ['1x1 pointwise', [2, 5, 5, 12], [1, 1, 12, 10], {}],
    ['rank 1 valid', [2, 17, 3], [4, 3, 5], {}],
    ['rank 3 same', [1, 4, 5, 6, 2], [2, 3, 3, 2, 3], { padding: 'same' }],
  ];
  for (const [name, xs, ws, o] of convCases) {
    it(`conv: ${name}`, () => {
      const x = rand(xs, 21);
      const w = rand(ws, 22);
      const [y] = run(FAST, (a, b) => ops.conv(a, b, o), [x, w]);
      expectClose(y.data, naiveConv(x, w, o));
    });

    it(`conv_transpose and conv_backprop_filter: ${name}`, () => {
      const x = rand(xs, 23);
      const w = rand(ws, 24);
      const yShape = forEachTerm(xs, ws, o, false, () => {});
      const dy = rand(yShape, 25);
      const dx = new Float64Array(sizeOf(xs));
      const dw = new Float64Array(sizeOf(ws));
      forEachTerm(xs, ws, o, false, (xi, wi, yi) => {
        dx[xi] += dy.data[yi] * w.data[wi];
        dw[wi] += dy.data[yi] * x.data[xi];
      });
      const [gx] = run(FAST, (a, b) => ops.convTranspose(a, b, xs, o), [dy, w]);
      const [gw] = run(FAST, (a, b) => ops.convBackpropFilter(a, b, ws, o), [x, dy]);
      expectClose(gx.data, dx);
      expectClose(gw.data, dw);
    });
  }

  it('conv_backprop_filter over many rows and a patch over several M blocks', () => {
    const xs = [4, 20, 20, 9];
    const ws = [3, 3, 9, 5];
    const o: ConvOpts = { padding: 'same' };
    const x = rand(xs, 31);
    const dy = rand([4, 20, 20, 5], 32);
    const dw = new Float64Array(sizeOf(ws));
    forEachTerm(xs, ws, o, false, (xi, wi, yi) => (dw[wi] += dy.data[yi] * x.data[xi]));
    const [gw] = run(FAST, (a, b) => ops.convBackpropFilter(a, b, ws, o), [x, dy]);
    expectClose(gw.data, dw);
  });

  const dwCases: [string, Shape, Shape, ConvOpts][] = [
    ['3x3 same', [2, 9, 8, 16], [3, 3, 16, 1], { padding: 'same' }],
    ['3x3 valid stride 2', [2, 9, 9, 5], [3, 3, 5, 1], { strides: [2, 2] }],
    ['5x5 same dilation 2, multiplier 3', [1, 11, 10, 4], [5, 5, 4, 3], { padding: 'same', dilations: [2, 2] }],
    ['rank 1, multiplier 2', [3, 15, 6], [3, 6, 2], { padding: 'same' }],
  ];
  for (const [name, xs, ws, o] of dwCases) {
    it(`depthwise_conv kernel: ${name}`, () => {
      const x = rand(xs, 41);
      const w = rand(ws, 42);
      const [y] = run(FAST, (a, b) => ops.depthwiseConv(a, b, o), [x, w]);
      expectClose(y.data, naiveConv(x, w, o, true));
      const [lowered] = run({ ...FAST, depthwiseKernel: false }, (a, b) => ops.depthwiseConv(a, b, o), [x, w]);
      expectClose(y.data, lowered.data);
    });
  }
});

describe('pooling, reductions and copies', () => {
  it('max_pool and its gradient with same padding and strides, ties to the first maximum', () => {
    const xs = [2, 7, 6, 3];
    const x = rand(xs, 51);
    // Repeated values make ties.
    for (let i = 0; i < x.data.length; i += 3) x.data[i] = Math.round(x.data[i] * 2) / 2;
    const o = { poolSize: [3, 3], strides: [2, 2], padding: 'same' as const };
    const fn = (a: Sym) => ops.maxPool(a, o);
    const [y] = run(FAST, fn, [x]);
    // Naive: windows with TF's 'same' padding.
    const [OH, OW] = [4, 3];
    const ph = Math.floor(Math.max((OH - 1) * 2 + 3 - 7, 0) / 2);
    const pw = Math.floor(Math.max((OW - 1) * 2 + 3 - 6, 0) / 2);
    const want: number[] = [];
    const arg: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let c = 0; c < 3; c++) {
            let best = -Infinity;
            let bi = -1;
            for (let kh = 0; kh < 3; kh++)
              for (let kw = 0; kw < 3; kw++) {
                const h = oh * 2 - ph + kh;
                const w = ow * 2 - pw + kw;
                if (h < 0 || h >= 7 || w < 0 || w >= 6) continue;
                const i = ((n * 7 + h) * 6 + w) * 3 + c;
                if (bi < 0 || x.data[i] > best) {
                  best = x.data[i];
                  bi = i;
                }
              }
            want.push(best);
            arg.push(bi);
          }
    expect(Array.from(y.data)).toEqual(want);
    const dy = rand(y.shape, 52);
    const [g] = createTsBackend(FAST)
      .compile(trace((a, d) => ops.maxPoolGrad(a, d, o), [f32(xs), f32(y.shape)]))
      .runSync([x, dy]);
    const gWant = new Float32Array(sizeOf(xs));
    arg.forEach((i, k) => (gWant[i] += dy.data[k]));
    expect(Array.from(g.data)).toEqual(Array.from(gWant));
  });

  const reductions: [string, Shape, number[]][] = [
    ['leading axes', [4, 5, 6], [0, 1]],
    ['trailing axis', [4, 5, 6], [2]],
    ['middle axes (global pooling)', [2, 3, 4, 5], [1, 2]],
    ['alternating (general walk)', [3, 4, 5, 2], [0, 2]],
    ['all', [3, 4], [0, 1]],
  ];
  for (const [name, shape, axes] of reductions) {
    it(`sum and max over ${name}`, () => {
      const x = rand(shape, 61);
      for (const op of ['sum', 'max'] as const) {
        const [y] = run(FAST, (a) => (op === 'sum' ? ops.sum(a, axes) : ops.max(a, axes)), [x]);
        const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const want = new Float64Array(sizeOf(kept)).fill(op === 'sum' ? 0 : -Infinity);
        const ks = kept.map((_, i) => sizeOf(kept.slice(i + 1)));
        for (let i = 0; i < x.data.length; i++) {
          let q = i;
          let o = 0;
          for (let d = shape.length - 1; d >= 0; d--) {
            const v = q % shape[d];
            q = Math.floor(q / shape[d]);
            if (!axes.includes(d)) o += v * ks[d];
          }
          want[o] = op === 'sum' ? want[o] + x.data[i] : Math.max(want[o], x.data[i]);
        }
        expectClose(y.data, want, 1e-6);
      }
    });
  }

  it('pad and slice copy boxes (contiguous runs and element loops)', () => {
    const x = rand([2, 5, 4, 3], 71);
    const [p] = run(FAST, (a) => ops.pad(a, [[0, 0], [1, 2], [0, 1], [0, 0]]), [x]);
    expect(p.shape).toEqual([2, 8, 5, 3]);
    for (let n = 0; n < 2; n++)
      for (let h = 0; h < 8; h++)
        for (let w = 0; w < 5; w++)
          for (let c = 0; c < 3; c++) {
            const inside = h >= 1 && h < 6 && w < 4;
            const v = inside ? x.data[((n * 5 + h - 1) * 4 + w) * 3 + c] : 0;
            expect(p.data[((n * 8 + h) * 5 + w) * 3 + c]).toBe(v);
          }
    const [s] = run(FAST, (a) => ops.slice(a, [1, 1, 0, 0], [1, 3, 4, 3]), [x]);
    expect(Array.from(s.data)).toEqual(Array.from(x.data.subarray(((1 * 5 + 1) * 4) * 3, ((1 * 5 + 4) * 4) * 3)));
    const [s2] = run(FAST, (a) => ops.slice(a, [0, 2, 1, 1], [2, 2, 2, 2]), [x]);
    const want: number[] = [];
    for (let n = 0; n < 2; n++) for (let h = 2; h < 4; h++) for (let w = 1; w < 3; w++) for (let c = 1; c < 3; c++) want.push(x.data[((n * 5 + h) * 4 + w) * 3 + c]);
    expect(Array.from(s2.data)).toEqual(want);
  });
});
