import type { Kernel, KernelTable } from '../kernel';
import { matmulF32 } from './matmul-core';
import { col2im, convGeometry, im2col, packColumns, unpackColumns, type ConvGeometry } from './im2col';

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

/** y [rows, cout] = im2col(x) [rows, patch] · w [patch, cout], per channel group. */
const conv: Kernel = ([xT, wT], node, out, ctx) => {
  const G = convGeometry(node, xT.shape, wT.shape, node.shape);
  const X = xT.data as Float32Array;
  const W = wT.data as Float32Array;
  const Y = out as Float32Array;
  if (Y.length === 0) return;
  if (G.patch === 0) {
    Y.fill(0);
    return;
  }
  const { rows, patch, cout, coutg, groups } = G;
  const chunk = chunkRows(G);
  const colSize = chunk * patch;
  if (groups === 1) {
    const col = ctx.scratchF32(colSize).subarray(0, colSize);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      im2col(X, G, 0, r0, m, col);
      matmulF32(col, W, Y.subarray(r0 * cout, (r0 + m) * cout), 1, m, cout, patch, false, false, 0, 0);
    }
    return;
  }
  const wBlock = patch * coutg;
  const buf = ctx.scratchF32(colSize + groups * wBlock + chunk * coutg);
  const col = buf.subarray(0, colSize);
  const wp = buf.subarray(colSize, colSize + groups * wBlock);
  const tmp = buf.subarray(colSize + groups * wBlock, colSize + groups * wBlock + chunk * coutg);
  packKernel(W, G, wp);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    for (let g = 0; g < groups; g++) {
      im2col(X, G, g, r0, m, col);
      matmulF32(col, wp.subarray(g * wBlock, (g + 1) * wBlock), tmp, 1, m, coutg, patch, false, false, 0, 0);
      unpackColumns(tmp, m, coutg, Y, r0 * cout, cout, g, false);
    }
  }
};

/** dx = col2im(dy [rows, cout] · wᵀ [cout, patch]), per channel group; no zero-stuffed input. */
const convTranspose: Kernel = ([dyT, wT], node, out, ctx) => {
  const G = convGeometry(node, node.shape, wT.shape, dyT.shape);
  const DY = dyT.data as Float32Array;
  const W = wT.data as Float32Array;
  const DX = out as Float32Array;
  DX.fill(0);
  const { rows, patch, cout, coutg, groups } = G;
  if (rows === 0 || patch === 0 || coutg === 0) return;
  const chunk = chunkRows(G);
  const colSize = chunk * patch;
  if (groups === 1) {
    const col = ctx.scratchF32(colSize).subarray(0, colSize);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      matmulF32(DY.subarray(r0 * cout, (r0 + m) * cout), W, col, 1, m, patch, cout, false, true, 0, 0);
      col2im(col, G, 0, r0, m, DX);
    }
    return;
  }
  const wBlock = patch * coutg;
  const buf = ctx.scratchF32(colSize + groups * wBlock + chunk * coutg);
  const col = buf.subarray(0, colSize);
  const wp = buf.subarray(colSize, colSize + groups * wBlock);
  const dyp = buf.subarray(colSize + groups * wBlock, colSize + groups * wBlock + chunk * coutg);
  packKernel(W, G, wp);
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
const convBackpropFilter: Kernel = ([xT, dyT], node, out, ctx) => {
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
  const chunk = chunkRows(G);
  const colSize = chunk * patch;
  const wBlock = patch * coutg;
  if (groups === 1) {
    const multi = chunk < rows;
    const buf = ctx.scratchF32(colSize + (multi ? wBlock : 0));
    const col = buf.subarray(0, colSize);
    const tmp = buf.subarray(colSize, colSize + wBlock);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      im2col(X, G, 0, r0, m, col);
      const dy = DY.subarray(r0 * cout, (r0 + m) * cout);
      if (r0 === 0) {
        matmulF32(col, dy, DW, 1, patch, cout, m, true, false, 0, 0);
      } else {
        matmulF32(col, dy, tmp, 1, patch, cout, m, true, false, 0, 0);
        for (let i = 0; i < wBlock; i++) DW[i] += tmp[i];
      }
    }
    return;
  }
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

export const convKernels: KernelTable = {
  conv,
  conv_transpose: convTranspose,
  conv_backprop_filter: convBackpropFilter,
};
