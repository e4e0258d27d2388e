import { broadcastShapes, sizeOf } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';
import { matmulF32 } from './matmul-core.js';
import { broadcastStrides, forEachRow } from './strides.js';

const matmul: Kernel<'matmul'> = ([a, b], node, out, ctx, epilogue) => {
  const tA = node.attrs.transposeA;
  const tB = node.attrs.transposeB;
  const ar = a.shape.length;
  const br = b.shape.length;
  const M = tA ? a.shape[ar - 1] : a.shape[ar - 2];
  const K = tA ? a.shape[ar - 2] : a.shape[ar - 1];
  const N = tB ? b.shape[br - 2] : b.shape[br - 1];
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch)!;
  const nb = sizeOf(batch);
  const A = a.data as Float32Array;
  const B = b.data as Float32Array;
  const O = out as Float32Array;
  const scratch = (n: number) => ctx.scratchF32(n);
  const aMat = M * K;
  const bMat = K * N;
  const na = sizeOf(aBatch);
  const nbB = sizeOf(bBatch);
  if (na === nb && nbB === nb) {
    matmulF32(A, B, O, nb, M, N, K, tA, tB, aMat, bMat, scratch, epilogue);
  } else if (na === 1) {
    matmulF32(A, B, O, nb, M, N, K, tA, tB, 0, bMat, scratch, epilogue);
  } else if (nbB === 1) {
    matmulF32(A, B, O, nb, M, N, K, tA, tB, aMat, 0, scratch, epilogue);
  } else {
    // General broadcast of the batch axes: one product per batch index.
    const sa = broadcastStrides(aBatch, batch).map((s) => s * aMat);
    const sb = broadcastStrides(bBatch, batch).map((s) => s * bMat);
    const rowShape = [...batch, 1];
    let o = 0;
    forEachRow(rowShape, [[...sa, 0], [...sb, 0]], (_, [offA, offB]) => {
      matmulF32(A.subarray(offA, offA + aMat), B.subarray(offB, offB + bMat), O.subarray(o, o + M * N), 1, M, N, K, tA, tB, 0, 0, scratch);
      o += M * N;
    });
    epilogue?.(0, O.length);
  }
};

export const matmulKernels = typedKernels({ matmul });
