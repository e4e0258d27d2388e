import { typedKernels, type Epilogue, type Kernel } from '../kernel.js';
import { convGeometry, type ConvGeometry } from './im2col.js';

/** Per-pixel accumulators (doubles) for depth multipliers > 1, grown on demand. */
let acc = new Float64Array(256);
/** Offsets (into the input and the kernel) of the taps of one output pixel inside the input. */
const xTap = new Int32Array(64);
const wTap = new Int32Array(64);

/**
 * Depthwise convolution as a direct kernel (the `depthwise_conv` composite, which otherwise
 * lowers to a grouped conv with one tiny matmul per channel): input [N, ...spatial, C], kernel
 * [...k, C, M], output [N, ...outSpatial, C * M]. For each output pixel, the offsets of the taps
 * inside the input are listed, then each channel sums its taps in a register (doubles, taps in
 * kernel order; channels innermost, contiguous in both the input and the kernel). A 3x3 window
 * fully inside the input (most pixels) is unrolled. The epilogue runs on each finished row of
 * output pixels.
 */
const depthwiseConv: Kernel<'depthwise_conv'> = ([xT, wT], node, out, ctx, epilogue) => {
  const rank = node.attrs.rank;
  const C = xT.shape[rank + 1];
  const M = wT.shape[rank + 1];
  const G = convGeometry(node, xT.shape, [...wT.shape.slice(0, rank), 1, C * M], node.shape);
  const X = xT.data as Float32Array;
  const W = wT.data as Float32Array;
  const Y = out as Float32Array;
  if (Y.length === 0) return;
  const rows = depthwiseRowCount(G);
  const task = { kind: 'depthwise', x: X, w: W, out: Y, G, C, M } as const;
  if (ctx.parallel?.run(task, rows, 1, Y.length * G.kernel[0] * G.kernel[1] * G.kernel[2], epilogue)) return;
  depthwiseRows(X, W, Y, G, C, M, 0, rows, epilogue);
};

/** The rows of output pixels of a depthwise conv (batch and every spatial axis but the last). */
export function depthwiseRowCount(G: ConvGeometry): number {
  return G.batch * G.outSize[0] * G.outSize[1];
}

/**
 * Rows [r0, r1) of output pixels ({@link depthwiseRowCount}) of the depthwise conv of `X`
 * [N, ...spatial, C] by `W` [...k, C, M] into `Y`, the epilogue on each finished row.
 */
export function depthwiseRows(
  X: Float32Array, W: Float32Array, Y: Float32Array, G: ConvGeometry, C: number, M: number, r0: number, r1: number, epilogue?: Epilogue,
): void {
  const CM = C * M;
  const [S0, S1, S2] = G.inSize;
  const [K0, K1, K2] = G.kernel;
  const [O0, O1, O2] = G.outSize;
  const [s0, s1, s2] = G.strides;
  const [d0, d1, d2] = G.dilations;
  const [p0, p1, p2] = G.padBefore;
  const taps = K0 * K1 * K2;
  const xt = taps <= xTap.length ? xTap : new Int32Array(taps);
  const wt = taps <= wTap.length ? wTap : new Int32Array(taps);
  if (M > 1 && acc.length < CM) acc = new Float64Array(Math.max(CM, acc.length * 2));
  const a = acc;
  const unroll3x3 = M === 1 && K0 === 1 && K1 === 3 && K2 === 3;
  // Kernel offsets of the 3x3 taps, and input offsets relative to the window's top-left tap.
  const rowX = S2 * C;
  const dx1 = d2 * C, dx2 = 2 * d2 * C, dy1 = d1 * rowX, dy2 = 2 * d1 * rowX;
  let o = r0 * O2 * CM;
  for (let row = r0; row < r1; row++) {
    const o1 = row % O1;
    const o0 = Math.floor(row / O1) % O0;
    const n = Math.floor(row / (O1 * O0));
    const rowStart = o;
    const i0s = o0 * s0 - p0;
    const i1s = o1 * s1 - p1;
    const rowInside = unroll3x3 && i0s >= 0 && i0s + (K0 - 1) * d0 < S0 && i1s >= 0 && i1s + (K1 - 1) * d1 < S1;
    for (let o2 = 0; o2 < O2; o2++, o += CM) {
      const i2s = o2 * s2 - p2;
      if (rowInside && i2s >= 0 && i2s + (K2 - 1) * d2 < S2) {
        // Window inside the input: no tap list.
        const b = (((n * S0 + i0s) * S1 + i1s) * S2 + i2s) * C;
        for (let c = 0; c < C; c++) {
          const p = b + c;
          Y[o + c] =
            X[p] * W[c] + X[p + dx1] * W[C + c] + X[p + dx2] * W[2 * C + c] +
            X[p + dy1] * W[3 * C + c] + X[p + dy1 + dx1] * W[4 * C + c] + X[p + dy1 + dx2] * W[5 * C + c] +
            X[p + dy2] * W[6 * C + c] + X[p + dy2 + dx1] * W[7 * C + c] + X[p + dy2 + dx2] * W[8 * C + c];
        }
        continue;
      }
      let count = 0;
      for (let k0 = 0; k0 < K0; k0++) {
        const i0 = o0 * s0 - p0 + k0 * d0;
        if (i0 < 0 || i0 >= S0) continue;
        for (let k1 = 0; k1 < K1; k1++) {
          const i1 = o1 * s1 - p1 + k1 * d1;
          if (i1 < 0 || i1 >= S1) continue;
          const xRow = ((n * S0 + i0) * S1 + i1) * S2;
          for (let k2 = 0; k2 < K2; k2++) {
            const i2 = o2 * s2 - p2 + k2 * d2;
            if (i2 < 0 || i2 >= S2) continue;
            xt[count] = (xRow + i2) * C;
            wt[count] = ((k0 * K1 + k1) * K2 + k2) * CM;
            count++;
          }
        }
      }
      if (M === 1) {
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let t = 0; t < count; t++) sum += X[xt[t] + c] * W[wt[t] + c];
          Y[o + c] = sum;
        }
      } else {
        a.fill(0, 0, CM);
        for (let t = 0; t < count; t++) {
          const xb = xt[t];
          const wb = wt[t];
          for (let c = 0; c < C; c++) {
            const xv = X[xb + c];
            const wc = wb + c * M;
            const ac = c * M;
            for (let m = 0; m < M; m++) a[ac + m] += xv * W[wc + m];
          }
        }
        for (let c = 0; c < CM; c++) Y[o + c] = a[c];
      }
    }
    epilogue?.(rowStart, o);
  }
}

/** Fused kernels of convolution composites. */
export const depthwiseKernels = typedKernels({
  depthwise_conv: depthwiseConv,
});
