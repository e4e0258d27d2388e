import { ops, type DataArray } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

/**
 * Walks every output pixel of a resize from [N, H, W, C] to [N, h, w, C]; calls
 * `visit(outBase, tl, tr, bl, br, wtl, wtr, wbl, wbr)` with the element offsets (channel 0) of
 * the four source pixels and their weights ({@link ops.resizeTaps}).
 */
function forEachSample(
  method: ops.ResizeMethod,
  [N, H, W, C]: readonly number[],
  h: number,
  w: number,
  visit: (o: number, tl: number, tr: number, bl: number, br: number, wtl: number, wtr: number, wbl: number, wbr: number) => void,
): void {
  const ys = ops.resizeTaps(method, H, h);
  const xs = ops.resizeTaps(method, W, w);
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

const resize: Kernel<'resize'> = ([x], node, out) => {
  const [, h, w, C] = node.shape;
  const a = x.data;
  if (node.attrs.method === 'nearest') {
    forEachSample('nearest', x.shape, h, w, (o, tl) => {
      for (let c = 0; c < C; c++) out[o + c] = a[tl + c];
    });
    return;
  }
  // Bilinear is written out rather than run through forEachSample: a call per output pixel
  // costs up to 2x when there are few channels.
  const ys = ops.resizeTaps('bilinear', x.shape[1], h);
  const xs = ops.resizeTaps('bilinear', x.shape[2], w);
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

const resizeGrad: Kernel<'resize_grad'> = ([dy], node, out: DataArray) => {
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
export const resizeKernels = typedKernels({
  resize,
  resize_grad: resizeGrad,
});
