import { broadcastShapes, sizeOf } from '@keras-ts/spec';
import { typedKernels, type Epilogue, type Kernel, type KernelContext } from '../kernel.js';
import { gemmPlan, matmulF32, MIN_GEMM_CHUNK_ROWS, PANEL_ROWS, rowAlignment, TILE_COLUMNS } from './matmul-core.js';
import { broadcastStrides, forEachRow } from './strides.js';

/**
 * {@link matmulF32}, its rows split across `ctx.parallel`'s threads when the product is large
 * (each output element is computed as on one thread).
 */
export function matmulThreaded(
  ctx: KernelContext, a: Float32Array, b: Float32Array, out: Float32Array,
  batch: number, M: number, N: number, K: number,
  transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number, epilogue?: Epilogue,
): void {
  if (ctx.parallel && K > 0) {
    const plan = gemmPlan(batch, M, N, K, transA, aBatchStride, bBatchStride);
    const rows = plan.batch * plan.M;
    const task = { kind: 'gemm', a, b, out, batch: plan.batch, M: plan.M, N, K, transA, transB, aStride: aBatchStride, bStride: bBatchStride } as const;
    // Rows at the same place in their 3-row tile as on one thread (a row of a partial tile adds
    // its K blocks in float32, of a full tile in doubles): several matrices of M % 3 !== 0 rows
    // are split between matrices only.
    const align = plan.batch === 1 || plan.M % PANEL_ROWS === 0 ? rowAlignment(rows) : plan.M;
    if (plan.packed && rows < 2 * MIN_GEMM_CHUNK_ROWS && N > rows) {
      // Too few rows for two chunks that each pack all of B again, and more columns: split the
      // columns (each chunk packs A again), the epilogue then runs here on the whole output
      // (e.g. a dense layer on a small batch).
      if (ctx.parallel.run({ ...task, kind: 'gemm-columns' }, N, TILE_COLUMNS, rows * N * K)) {
        epilogue?.(0, batch * M * N);
        return;
      }
    } else if (plan.packed && ctx.parallel.run(task, rows, align, rows * N * K, epilogue)) return;
  }
  matmulF32(a, b, out, batch, M, N, K, transA, transB, aBatchStride, bBatchStride, undefined, epilogue);
}

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
    matmulThreaded(ctx, A, B, O, nb, M, N, K, tA, tB, aMat, bMat, epilogue);
  } else if (na === 1) {
    matmulThreaded(ctx, A, B, O, nb, M, N, K, tA, tB, 0, bMat, epilogue);
  } else if (nbB === 1) {
    matmulThreaded(ctx, A, B, O, nb, M, N, K, tA, tB, aMat, 0, epilogue);
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
