// Naive reference implementations (direct loops over the definitions) for checking the layers'
// math where the goldens do not reach.
import { Tensor } from '../../src/index.js';

export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function randTensor(shape: readonly number[], seed: number): Tensor {
  const r = seeded(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => r() * 2 - 1));
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** Every multi-index of a shape, in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let f = 0; f < n; f++) {
    const idx = new Array<number>(shape.length);
    let r = f;
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = r % shape[i];
      r = Math.floor(r / shape[i]);
    }
    yield idx;
  }
}

/**
 * y[n, o, co] = sum_{k, ci} x[n, o * s + k * d - padBefore, g * cg + ci] * w[k, ci, co], zero
 * outside the input. x [N, ...S, Cin], w [...K, Cin / groups, Cout].
 */
export function naiveConv(x: Tensor, w: Tensor, st: number[], dil: number[], pads: [number, number][], groups = 1): Tensor {
  const r = st.length;
  const [n] = x.shape;
  const S = x.shape.slice(1, r + 1);
  const cin = x.shape[r + 1];
  const K = w.shape.slice(0, r);
  const cg = w.shape[r];
  const cout = w.shape[r + 1];
  const O = S.map((s, i) => Math.floor((s + pads[i][0] + pads[i][1] - ((K[i] - 1) * dil[i] + 1)) / st[i]) + 1);
  const outShape = [n, ...O, cout];
  const xs = strides(x.shape);
  const ws = strides(w.shape);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  const per = cout / groups;
  let f = 0;
  for (const idx of indices(outShape)) {
    const b = idx[0];
    const o = idx.slice(1, r + 1);
    const co = idx[r + 1];
    const g = Math.floor(co / per);
    let acc = 0;
    for (const k of indices(K)) {
      const pos = o.map((oi, i) => oi * st[i] + k[i] * dil[i] - pads[i][0]);
      if (pos.some((p, i) => p < 0 || p >= S[i])) continue;
      for (let ci = 0; ci < cg; ci++) {
        const xi = b * xs[0] + pos.reduce((a, p, i) => a + p * xs[i + 1], 0) + (g * cg + ci) * xs[r + 1];
        const wi = k.reduce((a, kk, i) => a + kk * ws[i], 0) + ci * ws[r] + co * ws[r + 1];
        acc += x.data[xi] * w.data[wi];
      }
    }
    out[f++] = acc;
  }
  void cin;
  return new Tensor(outShape, 'float32', out);
}

/**
 * Transposed convolution by scattering: y[n, i * s + k * d - padBefore, f] += x[n, i, c] * w[k, f, c]
 * over an output of spatial size `O`; x [N, ...I, C], w [...K, F, C].
 */
export function naiveConvTranspose(x: Tensor, w: Tensor, O: number[], st: number[], dil: number[], padBefore: number[]): Tensor {
  const r = st.length;
  const [n] = x.shape;
  const I = x.shape.slice(1, r + 1);
  const c = x.shape[r + 1];
  const K = w.shape.slice(0, r);
  const F = w.shape[r];
  const outShape = [n, ...O, F];
  const ys = strides(outShape);
  const xs = strides(x.shape);
  const ws = strides(w.shape);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  for (let b = 0; b < n; b++) {
    for (const i of indices(I)) {
      for (const k of indices(K)) {
        const pos = i.map((ii, d) => ii * st[d] + k[d] * dil[d] - padBefore[d]);
        if (pos.some((p, d) => p < 0 || p >= O[d])) continue;
        for (let f = 0; f < F; f++) {
          for (let ch = 0; ch < c; ch++) {
            const yi = b * ys[0] + pos.reduce((a, p, d) => a + p * ys[d + 1], 0) + f;
            const xi = b * xs[0] + i.reduce((a, p, d) => a + p * xs[d + 1], 0) + ch;
            const wi = k.reduce((a, kk, d) => a + kk * ws[d], 0) + f * ws[r] + ch;
            out[yi] += x.data[xi] * w.data[wi];
          }
        }
      }
    }
  }
  return new Tensor(outShape, 'float32', out);
}

/** The depthwise kernel [...K, C, M] as a grouped-conv kernel [...K, 1, C * M]. */
export function depthwiseAsGrouped(w: Tensor): Tensor {
  const r = w.shape.length - 2;
  return new Tensor([...w.shape.slice(0, r), 1, w.shape[r] * w.shape[r + 1]], 'float32', Float32Array.from(w.data as Float32Array));
}

export function addBias(y: Tensor, bias: Tensor): Tensor {
  const c = bias.shape[0];
  return new Tensor(y.shape, 'float32', Float32Array.from(y.data as Float32Array, (v, i) => v + (bias.data[i % c] as number)));
}

export function expectClose(actual: Tensor, expected: Tensor, tol = 1e-5): void {
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) {
    throw new Error(`shape ${JSON.stringify(actual.shape)} != expected ${JSON.stringify(expected.shape)}`);
  }
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i] as number;
    const e = expected.data[i] as number;
    if (!(Math.abs(a - e) <= tol + tol * Math.abs(e))) throw new Error(`element ${i}: ${a} != expected ${e}`);
  }
}
