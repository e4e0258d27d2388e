import type { DataArray } from '@keras-ts/spec';
import type { Kernel, KernelTable } from '../kernel';

const f32 = Math.fround;

/**
 * The source taps of each output index along one axis, as TF's half-pixel resizers (in float32):
 * bilinear reads `lower` with weight 1 - lerp and `upper` with weight lerp; nearest reads
 * `lower` only (lerp 0, upper = lower).
 */
interface Taps {
  readonly lower: Int32Array;
  readonly upper: Int32Array;
  readonly lerp: Float32Array;
}

function tapsOf(method: string, inSize: number, outSize: number): Taps {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float32Array(outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    if (method === 'nearest') {
      const src = Math.min(Math.floor(f32((i + 0.5) * scale)), inSize - 1);
      lower[i] = upper[i] = Math.max(src, 0);
    } else {
      const src = f32(f32((i + 0.5) * scale) - 0.5);
      const fl = Math.floor(src);
      lower[i] = Math.max(fl, 0);
      upper[i] = Math.min(Math.ceil(src), inSize - 1);
      lerp[i] = f32(src - fl);
    }
  }
  return { lower, upper, lerp };
}

/**
 * Walks every output pixel of a resize from [N, H, W, C] to [N, h, w, C]; calls
 * `visit(outBase, tl, tr, bl, br, wtl, wtr, wbl, wbr)` with the element offsets (channel 0) of
 * the four source pixels and their weights.
 */
function forEachSample(
  method: string,
  [N, H, W, C]: readonly number[],
  h: number,
  w: number,
  visit: (o: number, tl: number, tr: number, bl: number, br: number, wtl: number, wtr: number, wbl: number, wbr: number) => void,
): void {
  const ys = tapsOf(method, H, h);
  const xs = tapsOf(method, W, w);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < h; y++) {
      const top = (n * H + ys.lower[y]) * W;
      const bottom = (n * H + ys.upper[y]) * W;
      const ly = ys.lerp[y];
      for (let x = 0; x < w; x++, o += C) {
        const l = xs.lower[x];
        const r = xs.upper[x];
        const lx = xs.lerp[x];
        visit(o, (top + l) * C, (top + r) * C, (bottom + l) * C, (bottom + r) * C, (1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx);
      }
    }
  }
}

const resize: Kernel = ([x], node, out) => {
  const [, h, w, C] = node.shape;
  const a = x.data;
  if (node.attrs.method === 'nearest') {
    forEachSample('nearest', x.shape, h, w, (o, tl) => {
      for (let c = 0; c < C; c++) out[o + c] = a[tl + c];
    });
    return;
  }
  const ys = tapsOf('bilinear', x.shape[1], h);
  const xs = tapsOf('bilinear', x.shape[2], w);
  const [N, H, W] = x.shape;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < h; y++) {
      const top = (n * H + ys.lower[y]) * W;
      const bottom = (n * H + ys.upper[y]) * W;
      const ly = ys.lerp[y];
      for (let xo = 0; xo < w; xo++, o += C) {
        const l = xs.lower[xo];
        const r = xs.upper[xo];
        const lx = xs.lerp[xo];
        const tl = (top + l) * C;
        const tr = (top + r) * C;
        const bl = (bottom + l) * C;
        const br = (bottom + r) * C;
        // The same lerp order as TF: along x on both rows, then along y.
        for (let c = 0; c < C; c++) {
          const t = a[tl + c] + (a[tr + c] - a[tl + c]) * lx;
          const b = a[bl + c] + (a[br + c] - a[bl + c]) * lx;
          out[o + c] = t + (b - t) * ly;
        }
      }
    }
  }
};

const resizeGrad: Kernel = ([dy], node, out: DataArray) => {
  const [, h, w, C] = dy.shape;
  const g = dy.data;
  out.fill(0);
  if (node.attrs.method === 'nearest') {
    forEachSample('nearest', node.shape, h, w, (o, tl) => {
      for (let c = 0; c < C; c++) out[tl + c] += g[o + c];
    });
    return;
  }
  forEachSample('bilinear', node.shape, h, w, (o, tl, tr, bl, br, wtl, wtr, wbl, wbr) => {
    for (let c = 0; c < C; c++) {
      const v = g[o + c];
      out[tl + c] += v * wtl;
      out[tr + c] += v * wtr;
      out[bl + c] += v * wbl;
      out[br + c] += v * wbr;
    }
  });
};

/** Half-pixel nearest and bilinear resizing of NHWC images (tf.image.resize) and its adjoint. */
export const resizeKernels: KernelTable = {
  resize,
  resize_grad: resizeGrad,
};
