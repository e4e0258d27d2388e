import { typedKernels, type Epilogue, type Kernel, type KernelContext } from '../kernel.js';
import { matmulF32, matmulPackedA, rowAlignment } from './matmul-core.js';
import { matmulThreaded } from './matmul.js';
import { col2im, convGeometry, convPacker, convPackerT, im2col, packColumns, unpackColumns, type ConvGeometry } from './im2col.js';

/**
 * out [M, N] = P · w [K, N], P gathered from `x` by convPacker (`patches`: im2col(x)) or
 * convPackerT (`patches-t`: its transpose) straight into the GEMM's packed panels; rows split
 * across `ctx.parallel`'s threads when large.
 */
function patchProduct(
  ctx: KernelContext, packer: 'patches' | 'patches-t', x: Float32Array, G: ConvGeometry, w: Float32Array, out: Float32Array,
  M: number, N: number, K: number, epilogue?: Epilogue,
): void {
  if (ctx.parallel?.run({ kind: 'conv', packer, x, w, out, G, M, N, K }, M, rowAlignment(M), M * N * K, epilogue)) return;
  matmulPackedA(packer === 'patches' ? convPacker(x, G) : convPackerT(x, G), w, out, M, N, K, false, epilogue);
}

/** Upper bound on the elements of one im2col block; rows are processed in chunks below it. */
const COL_LIMIT = 1 << 20;

function chunkRows(G: ConvGeometry): number {
  return Math.max(1, Math.min(G.rows, Math.floor(COL_LIMIT / Math.max(G.patch, 1))));
}

/** Packs the kernel [patch, cout] into `groups` contiguous blocks [patch, coutg]. */
function packKernel(W: Float32Array, G: ConvGeometry, dst: Float32Array): void {
  const block = G.patch * G.coutg;
  for (let g = 0; g < G.groups; g++) packColumns(W, 0, G.patch, G.cout, g, G.coutg, dst.subarray(g * block, (g + 1) * block));
}

/**
 * The buffers of the per-group im2col path, carved from one scratch block: `col`, an im2col block
 * of `chunk` rows; `wp`, the kernel `W` packed into `groups` blocks of `wBlock` elements
 * ({@link packKernel}, done here); `tmp`, a [chunk, coutg] block for one group's side of the GEMM.
 */
function groupedBuffers(W: Float32Array, G: ConvGeometry, ctx: KernelContext) {
  const chunk = chunkRows(G);
  const colSize = chunk * G.patch;
  const wBlock = G.patch * G.coutg;
  const wEnd = colSize + G.groups * wBlock;
  const buf = ctx.scratchF32(wEnd + chunk * G.coutg);
  const col = buf.subarray(0, colSize);
  const wp = buf.subarray(colSize, wEnd);
  const tmp = buf.subarray(wEnd, wEnd + chunk * G.coutg);
  packKernel(W, G, wp);
  return { chunk, wBlock, col, wp, tmp };
}

/** A 1x1 conv with stride 1 and no padding: the input already is the [rows, cin] matrix. */
function isPointwise(G: ConvGeometry): boolean {
  return (
    G.groups === 1 &&
    G.kernel.every((k) => k === 1) &&
    G.strides.every((s) => s === 1) &&
    G.padBefore.every((p) => p === 0) &&
    G.outSize.every((o, i) => o === G.inSize[i])
  );
}

/** y [rows, cout] = im2col(x) [rows, patch] · w [patch, cout], per channel group. */
const conv: Kernel<'conv'> = ([xT, wT], node, out, ctx, epilogue) => {
  const G = convGeometry(node, xT.shape, wT.shape, node.shape);
  const X = xT.data as Float32Array;
  const W = wT.data as Float32Array;
  const Y = out as Float32Array;
  if (Y.length === 0) return;
  if (G.patch === 0) {
    Y.fill(0);
    epilogue?.(0, Y.length);
    return;
  }
  const { rows, patch, cout, coutg, groups } = G;
  if (isPointwise(G)) {
    matmulThreaded(ctx, X, W, Y, 1, rows, cout, patch, false, false, 0, 0, epilogue);
    return;
  }
  if (groups === 1 && ctx.convPacking !== false) {
    // The patches go straight from the input into the GEMM's packed panels (no im2col matrix).
    patchProduct(ctx, 'patches', X, G, W, Y, rows, cout, patch, epilogue);
    return;
  }
  const { chunk, wBlock, col, wp, tmp } = groupedBuffers(W, G, ctx);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    for (let g = 0; g < groups; g++) {
      im2col(X, G, g, r0, m, col);
      matmulF32(col, wp.subarray(g * wBlock, (g + 1) * wBlock), tmp, 1, m, coutg, patch, false, false, 0, 0);
      unpackColumns(tmp, m, coutg, Y, r0 * cout, cout, g, false);
    }
    epilogue?.(r0 * cout, (r0 + m) * cout);
  }
};

/**
 * With stride 1 and one channel group, the transpose of a conv is a conv of dy with the kernel
 * flipped in space and its channel axes swapped ([...k, cout, cin]), padded by
 * dilation * (k - 1) - padBefore in front: dx = conv(dy, flip(w)), through the packed-patch GEMM
 * (no column matrix, no scatter-add).
 */
function transposeAsConv(ctx: KernelContext, DY: Float32Array, W: Float32Array, DX: Float32Array, G: ConvGeometry, scratch: Float32Array): void {
  const { cin, cout } = G;
  const taps = G.kernel[0] * G.kernel[1] * G.kernel[2];
  const wf = scratch.subarray(0, W.length);
  for (let t = 0; t < taps; t++) {
    const src = t * cin * cout;
    const dst = (taps - 1 - t) * cout * cin;
    for (let c = 0; c < cin; c++) for (let co = 0; co < cout; co++) wf[dst + co * cin + c] = W[src + c * cout + co];
  }
  const pad = G.kernel.map((k, i) => G.dilations[i] * (k - 1) - G.padBefore[i]) as [number, number, number];
  const T: ConvGeometry = {
    batch: G.batch,
    inSize: G.outSize,
    kernel: G.kernel,
    outSize: G.inSize,
    strides: [1, 1, 1],
    dilations: G.dilations,
    padBefore: pad,
    cin: cout,
    cout: cin,
    groups: 1,
    cg: cout,
    coutg: cin,
    patch: taps * cout,
    rows: G.batch * G.inSize[0] * G.inSize[1] * G.inSize[2],
  };
  patchProduct(ctx, 'patches', DY, T, wf, DX, T.rows, cin, T.patch);
}

/** dx = col2im(dy [rows, cout] · wᵀ [cout, patch]), per channel group; no zero-stuffed input. */
const convTranspose: Kernel<'conv_transpose'> = ([dyT, wT], node, out, ctx) => {
  const G = convGeometry(node, node.shape, wT.shape, dyT.shape);
  const DY = dyT.data as Float32Array;
  const W = wT.data as Float32Array;
  const DX = out as Float32Array;
  const { rows, patch, cout, coutg, groups } = G;
  // As a conv when that reads few padding zeros: dx has about as many positions as dy (e.g.
  // 'same' padding); else (small 'valid' maps, mostly padding) the scatter below does less work.
  const dxRows = G.batch * G.inSize[0] * G.inSize[1] * G.inSize[2];
  if (groups === 1 && ctx.convPacking !== false && rows > 0 && patch > 0 && G.strides.every((s) => s === 1) && dxRows <= 1.25 * rows) {
    transposeAsConv(ctx, DY, W, DX, G, ctx.scratchF32(W.length));
    return;
  }
  DX.fill(0);
  if (rows === 0 || patch === 0 || coutg === 0) return;
  if (groups === 1) {
    const chunk = chunkRows(G);
    const colSize = chunk * patch;
    const col = ctx.scratchF32(colSize).subarray(0, colSize);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      matmulF32(DY.subarray(r0 * cout, (r0 + m) * cout), W, col, 1, m, patch, cout, false, true, 0, 0);
      col2im(col, G, 0, r0, m, DX);
    }
    return;
  }
  const { chunk, wBlock, col, wp, tmp: dyp } = groupedBuffers(W, G, ctx);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    for (let g = 0; g < groups; g++) {
      packColumns(DY, r0 * cout, m, cout, g, coutg, dyp);
      matmulF32(dyp, wp.subarray(g * wBlock, (g + 1) * wBlock), col, 1, m, patch, coutg, false, true, 0, 0);
      col2im(col, G, g, r0, m, DX);
    }
  }
};

/** dw [patch, cout] = im2col(x)ᵀ [patch, rows] · dy [rows, cout], per channel group, summed over row chunks. */
const convBackpropFilter: Kernel<'conv_backprop_filter'> = ([xT, dyT], node, out, ctx) => {
  const G = convGeometry(node, xT.shape, node.shape, dyT.shape);
  const X = xT.data as Float32Array;
  const DY = dyT.data as Float32Array;
  const DW = out as Float32Array;
  if (DW.length === 0) return;
  const { rows, patch, cout, coutg, groups } = G;
  if (rows === 0) {
    DW.fill(0);
    return;
  }
  if (groups === 1 && ctx.convPacking !== false) {
    // dw = im2col(x)ᵀ · dy with the transposed patches gathered straight into the packed panels.
    patchProduct(ctx, 'patches-t', X, G, DY, DW, patch, cout, rows);
    return;
  }
  const chunk = chunkRows(G);
  const colSize = chunk * patch;
  const wBlock = patch * coutg;
  const buf = ctx.scratchF32(colSize + chunk * coutg + wBlock);
  const col = buf.subarray(0, colSize);
  const dyp = buf.subarray(colSize, colSize + chunk * coutg);
  const tmp = buf.subarray(colSize + chunk * coutg, colSize + chunk * coutg + wBlock);
  DW.fill(0);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    for (let g = 0; g < groups; g++) {
      im2col(X, G, g, r0, m, col);
      packColumns(DY, r0 * cout, m, cout, g, coutg, dyp);
      matmulF32(col, dyp, tmp, 1, patch, coutg, m, true, false, 0, 0);
      unpackColumns(tmp, patch, coutg, DW, 0, cout, g, true);
    }
  }
};

export const convKernels = typedKernels({
  conv,
  conv_transpose: convTranspose,
  conv_backprop_filter: convBackpropFilter,
});
