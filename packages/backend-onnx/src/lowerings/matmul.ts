import type { LoweringFamily } from '../lowering.js';

/** matmul (spec/src/ops/matmul.ts): 2-D as Gemm (which takes a fused bias), batched as MatMul. */


/** The permutation swapping the last two axes of a rank-`r` tensor. */
const swapLast = (r: number): number[] => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];

export const matmulLowerings: LoweringFamily = (reg) => {
  reg.add('matmul', (b, node, [x, y], [xn, yn], bias) => {
    const { transposeA: tA, transposeB: tB } = node.attrs;
    if (xn.shape.length === 2 && yn.shape.length === 2) return b.node('Gemm', [x, y, ...(bias ? [bias] : [])], { transA: tA ? 1 : 0, transB: tB ? 1 : 0 });
    return b.node('MatMul', [tA ? b.transpose(x, swapLast(xn.shape.length)) : x, tB ? b.transpose(y, swapLast(yn.shape.length)) : y]);
  });
};
