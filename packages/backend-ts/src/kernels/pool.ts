import { ops, type DataArray, type OpNode, type Shape } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

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

function windowsOf(xShape: Shape, node: OpNode<'max_pool' | 'avg_pool' | 'max_pool_grad' | 'max_pool_grad_grad' | 'avg_pool_grad'>): Windows {
  const a = node.attrs;
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
 * Walks the output pixels of a pooling (index over [N, ...outSpatial]) and, for each, the input
 * pixels of its window (index over [N, ...inSpatial]) in row-major window order, padded
 * positions skipped; `tap(outPixel, inPixel, first)` is called per window position, `done` once
 * a window is finished (with the number of taps). Direct loops: no closures per channel.
 */
function poolLoops(w: Windows, tap: (o: number, i: number, first: boolean) => void, done: (o: number, count: number) => void): void {
  const [ID, IH, IW] = w.inSize;
  const [OD, OH, OW] = w.outSize;
  const [kd, kh, kw] = w.k;
  const [sd, sh, sw] = w.s;
  const [pd, ph, pw] = w.pad;
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
              for (let x = w0; x < w1; x++) tap(o, row + x, count++ === 0);
            }
          }
          done(o, count);
        }
      }
    }
  }
}

/** Running per-channel state of one window (grown on demand). */
let bestIdx = new Int32Array(64);
function bestIndex(C: number): Int32Array {
  if (bestIdx.length < C) bestIdx = new Int32Array(Math.max(C, bestIdx.length * 2));
  return bestIdx;
}

/** Max over each window, per channel; the first maximum wins (strict >, as TF's scan); -inf for empty windows. */
const maxPool: Kernel<'max_pool'> = ([x], node, out) => {
  windowMax(windowsOf(x.shape, node), x.data, out, null);
};

/**
 * The maximum of each window of `a`, per channel, the first one winning (strict >, as TF's
 * scan): its value written to `out` (-inf for a window inside the padding), or, when `out` is
 * null, its place given to `visit(outIndex, inIndex)` (nothing for a window inside the padding):
 * max_pool's output, and where its gradients go.
 */
function windowMax(w: Windows, a: DataArray, out: DataArray | null, visit: ((o: number, i: number) => void) | null): void {
  const C = w.channels;
  const best = bestIndex(C);
  const [ID, IH, IW] = w.inSize;
  const [OD, OH, OW] = w.outSize;
  const [kd, kh, kw] = w.k;
  const [sd, sh, sw] = w.s;
  const [pd, ph, pw] = w.pad;
  let ob = 0;
  for (let n = 0; n < w.batch; n++) {
    for (let od = 0; od < OD; od++) {
      const d0 = Math.max(od * sd - pd, 0);
      const d1 = Math.min(od * sd - pd + kd, ID);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = Math.max(oh * sh - ph, 0);
        const h1 = Math.min(oh * sh - ph + kh, IH);
        for (let ow = 0; ow < OW; ow++, ob += C) {
          const w0 = Math.max(ow * sw - pw, 0);
          const w1 = Math.min(ow * sw - pw + kw, IW);
          let first = true;
          for (let d = d0; d < d1; d++) {
            for (let h = h0; h < h1; h++) {
              let ib = (((n * ID + d) * IH + h) * IW + w0) * C;
              for (let xx = w0; xx < w1; xx++, ib += C) {
                if (out !== null) {
                  if (first) for (let c = 0; c < C; c++) out[ob + c] = a[ib + c];
                  else {
                    for (let c = 0; c < C; c++) {
                      const v = a[ib + c];
                      if (v > out[ob + c]) out[ob + c] = v;
                    }
                  }
                } else if (first) for (let c = 0; c < C; c++) best[c] = ib + c;
                else for (let c = 0; c < C; c++) if (a[ib + c] > a[best[c]]) best[c] = ib + c;
                first = false;
              }
            }
          }
          if (out !== null) {
            if (first) out.fill(-Infinity, ob, ob + C);
          } else if (!first) for (let c = 0; c < C; c++) visit!(ob + c, best[c]);
        }
      }
    }
  }
}

const avgPool: Kernel<'avg_pool'> = ([x], node, out) => {
  const w = windowsOf(x.shape, node);
  const C = w.channels;
  const a = x.data;
  const acc = new Float64Array(C);
  poolLoops(
    w,
    (_o, i, first) => {
      const ib = i * C;
      if (first) for (let c = 0; c < C; c++) acc[c] = a[ib + c];
      else for (let c = 0; c < C; c++) acc[c] += a[ib + c];
    },
    (o, count) => {
      const ob = o * C;
      for (let c = 0; c < C; c++) out[ob + c] = acc[c] / count;
    },
  );
};

const maxPoolGrad: Kernel<'max_pool_grad'> = ([x, dy], node, out) => {
  const w = windowsOf(x.shape, node);
  const g = dy.data;
  out.fill(0);
  windowMax(w, x.data, null, (o, i) => {
    out[i] += g[o];
  });
};

const maxPoolGradGrad: Kernel<'max_pool_grad_grad'> = ([x, gIn], node, out) => {
  const w = windowsOf(x.shape, node);
  const g = gIn.data;
  out.fill(0);
  windowMax(w, x.data, null, (o, i) => {
    out[o] = g[i];
  });
};

const avgPoolGrad: Kernel<'avg_pool_grad'> = ([dy], node, out) => {
  const w = windowsOf(node.attrs.inputShape, node);
  const C = w.channels;
  const g = dy.data;
  out.fill(0);
  // Two passes over each window: count its taps, then spread dy / count.
  const taps = new Int32Array(w.k[0] * w.k[1] * w.k[2]);
  let n = 0;
  poolLoops(
    w,
    (_o, i, first) => {
      if (first) n = 0;
      taps[n++] = i;
    },
    (o, count) => {
      const ob = o * C;
      for (let t = 0; t < count; t++) {
        const ib = taps[t] * C;
        for (let c = 0; c < C; c++) out[ib + c] += g[ob + c] / count;
      }
    },
  );
};

/** Max and average pooling over 1 to 3 spatial axes of channels-last tensors, and their backprops. */
export const poolKernels = typedKernels({
  max_pool: maxPool,
  avg_pool: avgPool,
  max_pool_grad: maxPoolGrad,
  max_pool_grad_grad: maxPoolGradGrad,
  avg_pool_grad: avgPoolGrad,
});
