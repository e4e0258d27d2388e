import { ops, type DataArray, type Node, type Shape } from '@keras-ts/spec';
import type { Kernel, KernelTable } from '../kernel';

/** Pooling geometry with the spatial axes padded to three (leading size-1 axes). */
interface Windows {
  readonly batch: number;
  readonly channels: number;
  readonly inSize: readonly [number, number, number];
  readonly outSize: readonly [number, number, number];
  readonly k: readonly [number, number, number];
  readonly s: readonly [number, number, number];
  readonly pad: readonly [number, number, number];
}

function to3<T>(v: readonly T[], fill: T): [T, T, T] {
  const out = [fill, fill, fill] as [T, T, T];
  const lead = 3 - v.length;
  v.forEach((x, i) => (out[lead + i] = x));
  return out;
}

function windowsOf(xShape: Shape, node: Node): Windows {
  const a = node.attrs as unknown as ops.PoolAttrs;
  const { outSpatial, padBefore } = ops.poolGeometry(xShape, { rank: a.rank, poolSize: a.poolSize, strides: a.strides, padding: a.padding });
  return {
    batch: xShape[0],
    channels: xShape[xShape.length - 1],
    inSize: to3(xShape.slice(1, -1), 1),
    outSize: to3(outSpatial, 1),
    k: to3(a.poolSize, 1),
    s: to3(a.strides, 1),
    pad: to3(padBefore, 0),
  };
}

/**
 * Calls `visit(outPixel, taps, count)` for every output pixel (index over [N, ...outSpatial]),
 * with the indices over [N, ...inSpatial] of the input pixels inside its window, in row-major
 * window order (padded positions are skipped). `taps` is reused between calls.
 */
function forEachWindow(w: Windows, visit: (outPixel: number, taps: Int32Array, count: number) => void): void {
  const [ID, IH, IW] = w.inSize;
  const [OD, OH, OW] = w.outSize;
  const [kd, kh, kw] = w.k;
  const [sd, sh, sw] = w.s;
  const [pd, ph, pw] = w.pad;
  const taps = new Int32Array(kd * kh * kw);
  let o = 0;
  for (let n = 0; n < w.batch; n++) {
    const nBase = n * ID;
    for (let od = 0; od < OD; od++) {
      const d0 = Math.max(od * sd - pd, 0);
      const d1 = Math.min(od * sd - pd + kd, ID);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = Math.max(oh * sh - ph, 0);
        const h1 = Math.min(oh * sh - ph + kh, IH);
        for (let ow = 0; ow < OW; ow++, o++) {
          const w0 = Math.max(ow * sw - pw, 0);
          const w1 = Math.min(ow * sw - pw + kw, IW);
          let count = 0;
          for (let d = d0; d < d1; d++) {
            for (let h = h0; h < h1; h++) {
              const row = ((nBase + d) * IH + h) * IW;
              for (let x = w0; x < w1; x++) taps[count++] = row + x;
            }
          }
          visit(o, taps, count);
        }
      }
    }
  }
}

/** The position in `taps` of the first maximum of channel c (strict >, as TF's scan). */
function argmaxTap(x: DataArray, taps: Int32Array, count: number, C: number, c: number): number {
  let best = x[taps[0] * C + c];
  let bi = 0;
  for (let j = 1; j < count; j++) {
    const v = x[taps[j] * C + c];
    if (v > best) {
      best = v;
      bi = j;
    }
  }
  return bi;
}

const maxPool: Kernel = ([x], node, out) => {
  const w = windowsOf(x.shape, node);
  const C = w.channels;
  const a = x.data;
  forEachWindow(w, (o, taps, count) => {
    const ob = o * C;
    for (let c = 0; c < C; c++) out[ob + c] = count ? a[taps[argmaxTap(a, taps, count, C, c)] * C + c] : -Infinity;
  });
};

const avgPool: Kernel = ([x], node, out) => {
  const w = windowsOf(x.shape, node);
  const C = w.channels;
  const a = x.data;
  forEachWindow(w, (o, taps, count) => {
    const ob = o * C;
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let j = 0; j < count; j++) s += a[taps[j] * C + c];
      out[ob + c] = s / count;
    }
  });
};

const maxPoolGrad: Kernel = ([x, dy], node, out) => {
  const w = windowsOf(x.shape, node);
  const C = w.channels;
  const a = x.data;
  const g = dy.data;
  out.fill(0);
  forEachWindow(w, (o, taps, count) => {
    if (!count) return;
    const ob = o * C;
    for (let c = 0; c < C; c++) out[taps[argmaxTap(a, taps, count, C, c)] * C + c] += g[ob + c];
  });
};

const maxPoolGradGrad: Kernel = ([x, gIn], node, out) => {
  const w = windowsOf(x.shape, node);
  const C = w.channels;
  const a = x.data;
  const g = gIn.data;
  forEachWindow(w, (o, taps, count) => {
    const ob = o * C;
    for (let c = 0; c < C; c++) out[ob + c] = count ? g[taps[argmaxTap(a, taps, count, C, c)] * C + c] : 0;
  });
};

const avgPoolGrad: Kernel = ([dy], node, out) => {
  const w = windowsOf(node.attrs.inputShape as number[], node);
  const C = w.channels;
  const g = dy.data;
  out.fill(0);
  forEachWindow(w, (o, taps, count) => {
    const ob = o * C;
    for (let c = 0; c < C; c++) {
      const share = g[ob + c] / count;
      for (let j = 0; j < count; j++) out[taps[j] * C + c] += share;
    }
  });
};

/** Max and average pooling over 1 to 3 spatial axes of channels-last tensors, and their backprops. */
export const poolKernels: KernelTable = {
  max_pool: maxPool,
  avg_pool: avgPool,
  max_pool_grad: maxPoolGrad,
  max_pool_grad_grad: maxPoolGradGrad,
  avg_pool_grad: avgPoolGrad,
};
