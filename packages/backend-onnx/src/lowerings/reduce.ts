import { resolveAxes, resolveAxis, sizeOf } from '@keras-ts/spec';
import { TensorType } from '../builder.js';
import type { AttrsOf, Lowering, LoweringFamily } from '../lowering.js';

/** The reductions (spec/src/ops/reduce.ts), mean and logsumexp included (one ONNX operator each). */


/**
 * What reducing an empty tensor to a non-empty one gives: the identity of the reduction (the spec
 * refuses max and min over an empty axis).
 */
const EMPTY_VALUE: Readonly<Record<string, number>> = { ReduceSum: 0, ReduceProd: 1, ReduceMean: NaN, ReduceLogSumExp: -Infinity };

function reduce(op: string): Lowering<AttrsOf<'sum'>> {
  return (b, node, [x], [xn]) => {
    const axes = resolveAxes(node.attrs.axes, xn.shape.length);
    if (axes.length === 0) return x;
    const keepdims = node.attrs.keepdims ? 1 : 0;
    if (sizeOf(xn.shape) === 0) return b.full(node.shape, EMPTY_VALUE[op], node.dtype);
    const r = xn.shape.length;
    const m = sizeOf(xn.shape.slice(0, axes.length));
    if ((op === 'ReduceSum' || op === 'ReduceMean') && node.dtype === 'float32' && axes.length < r && axes.every((a, i) => a === i) && m <= 1 << 20) {
      // Summing leading axes (bias gradients, batch statistics): onnxruntime's ReduceSum is slow
      // with a small kept inner block; ones[1, M] · x[M, K] is a fast GEMM.
      const k = sizeOf(xn.shape.slice(axes.length));
      const ones = b.init(new Float32Array(m).fill(1), [1, m], TensorType.FLOAT);
      let y = b.node('Gemm', [ones, b.reshape(x, [m, k])]);
      if (op === 'ReduceMean') y = b.node('Div', [y, b.scalar(m, 'float32')]);
      return b.reshape(y, node.shape);
    }
    return b.node(op, [x, b.i64(axes)], { keepdims });
  };
}

function argReduce(op: string): Lowering<AttrsOf<'argmax'>> {
  return (b, node, [x], [xn]) => {
    const axis = resolveAxis(node.attrs.axis, xn.shape.length);
    const idx = b.node(op, [x], { axis, keepdims: 0, select_last_index: 0 });
    return b.cast(idx, TensorType.INT32);
  };
}

export const reduceLowerings: LoweringFamily = (reg) => {
  reg.add('sum', reduce('ReduceSum'));
  reg.add('prod', reduce('ReduceProd'));
  reg.add('max', reduce('ReduceMax'));
  reg.add('min', reduce('ReduceMin'));
  reg.add('mean', reduce('ReduceMean'));
  reg.add('logsumexp', reduce('ReduceLogSumExp'));
  reg.add('argmax', argReduce('ArgMax'));
  reg.add('argmin', argReduce('ArgMin'));
};
