import * as tf from '@tensorflow/tfjs';
import { resolveAxis, sizeOf, stridesOf, type Shape, KerasValueError } from '@keras-ts/spec';
import { toBool, typedKernels, type CompileContext, type Kernel } from '../kernel.js';

/** The multi-index of flat position `k` in `shape`, for error messages. */
function unravel(k: number, shape: Shape): string {
  const s = stridesOf(shape);
  return shape.map((_, i) => Math.floor(k / s[i]) % shape[i]).join(', ');
}

/**
 * Rejects any index outside [lo, n) with backend-ts' message. The indices are read on the host
 * (free on cpu, one small copy on wasm): tfjs' kernels do not all check them.
 */
function checkIndices(op: string, indices: tf.Tensor, lo: number, n: number, ax: number): void {
  const d = indices.dataSync();
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v < lo || v >= n) {
      const range = n === 0 ? 'none: the axis is empty' : `${lo}..${n - 1}`;
      throw new KerasValueError(`op '${op}': indices[${unravel(k, indices.shape)}] = ${v} is out of range for axis ${ax} of size ${n} (valid: ${range})`);
    }
  }
}

const gather: Kernel<'gather'> = (node, [params]) => {
  const axis = resolveAxis(node.attrs.axis, params.shape.length);
  const n = params.shape[axis];
  const shape = [...node.shape];
  return ([p, i]) => {
    checkIndices('gather', i, 0, n, axis);
    const r = p.dtype === 'bool' ? toBool(tf.gather(tf.cast(p, 'int32'), i, axis)) : tf.gather(p, i, axis);
    return tf.reshape(r, shape);
  };
};

/** dy [outer, m, inner] added into zeros [outer, n, inner] at rows o * n + idx[k]. */
const gatherGrad: Kernel<'gather_grad'> = (node, [dy, indices], ctx) => {
  const pShape = node.attrs.paramsShape;
  const axis = resolveAxis(node.attrs.axis, pShape.length);
  const outer = sizeOf(pShape.slice(0, axis));
  const n = pShape[axis];
  const inner = sizeOf(pShape.slice(axis + 1));
  const m = sizeOf(indices.shape);
  const shape = [...pShape];
  const rowBase = ctx.keep(tf.tensor2d(Int32Array.from({ length: outer }, (_, o) => o * n), [outer, 1], 'int32'));
  return ([g, i]) => {
    checkIndices('gather_grad', i, 0, n, axis);
    const rows = tf.reshape(tf.add(rowBase, tf.reshape(i, [1, m])), [outer * m, 1]);
    return tf.reshape(tf.scatterND(rows, tf.reshape(g, [outer * m, inner]), [outer * n, inner]), shape);
  };
};

/**
 * The flat offsets into x of take_along_axis, except for the indexed axis: for each position of
 * the output, sum over the other axes of coordinate * stride (0 where x has size 1).
 */
function baseOffsets(xShape: Shape, outShape: Shape, ax: number): Int32Array {
  const xs = stridesOf(xShape);
  const n = sizeOf(outShape);
  const out = new Int32Array(n);
  const pos = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let i = 0; i < outShape.length; i++) if (i !== ax && xShape[i] !== 1) off += pos[i] * xs[i];
    out[k] = off;
    for (let i = outShape.length - 1; i >= 0; i--) {
      if (++pos[i] < outShape[i]) break;
      pos[i] = 0;
    }
  }
  return out;
}

/** Flat positions into x of take_along_axis(x, indices) (negative indices count from the end). */
function takeAlongFlat(op: string, xShape: Shape, outShape: Shape, axis: number, ctx: CompileContext): (indices: tf.Tensor) => tf.Tensor {
  const ax = resolveAxis(axis, xShape.length);
  const n = xShape[ax];
  const stride = stridesOf(xShape)[ax];
  const base = ctx.keep(tf.tensor(baseOffsets(xShape, outShape, ax), [...outShape], 'int32'));
  const shape = [...outShape];
  return (indices) => {
    checkIndices(op, indices, -n, n, ax);
    const b = tf.broadcastTo(indices, shape);
    const norm = tf.where(tf.less(b, tf.scalar(0, 'int32')), tf.add(b, tf.scalar(n, 'int32')), b);
    return tf.add(base, tf.mul(norm, tf.scalar(stride, 'int32')));
  };
}

const takeAlongAxis: Kernel<'take_along_axis'> = (node, [x], ctx) => {
  const flat = takeAlongFlat('take_along_axis', x.shape, node.shape, node.attrs.axis, ctx);
  const size = sizeOf(x.shape);
  return ([t, i]) => {
    const src = t.dtype === 'bool' ? tf.cast(t, 'int32') : t;
    const r = tf.gather(tf.reshape(src, [size]), flat(i));
    return t.dtype === 'bool' ? toBool(r) : r;
  };
};

const takeAlongAxisGrad: Kernel<'take_along_axis_grad'> = (node, [dy], ctx) => {
  const inShape = node.attrs.inputShape;
  const flat = takeAlongFlat('take_along_axis_grad', inShape, dy.shape, node.attrs.axis, ctx);
  const size = sizeOf(inShape);
  const n = sizeOf(dy.shape);
  const shape = [...inShape];
  return ([g, i]) => tf.reshape(tf.scatterND(tf.reshape(flat(i), [n, 1]), tf.reshape(g, [n]), [size]), shape);
};

/**
 * one_hot as a comparison with 0..depth-1 (indices outside give rows of offValue): tfjs' wasm
 * oneHot writes int32 data into a float32 tensor.
 */
const oneHot: Kernel<'one_hot'> = (node, [indices], ctx) => {
  const { depth, onValue, offValue } = node.attrs;
  const shape = [...node.shape];
  const expanded = [...indices.shape, 1];
  const range = ctx.keep(tf.range(0, depth, 1, 'int32'));
  const on = ctx.keep(tf.scalar(onValue));
  const off = ctx.keep(tf.scalar(offValue));
  return ([i]) => tf.where(tf.equal(tf.reshape(i, expanded), range), on, off).reshape(shape);
};

const cumsum: Kernel<'cumsum'> = (node, [x]) => {
  const { axis, exclusive, reverse } = node.attrs;
  const ax = resolveAxis(axis, x.shape.length);
  return ([t]) => tf.cumsum(t, ax, exclusive, reverse);
};

/** Gathers, scatters, one-hot encoding and running sums. */
export const indexingKernels = typedKernels({
  gather,
  gather_grad: gatherGrad,
  take_along_axis: takeAlongAxis,
  take_along_axis_grad: takeAlongAxisGrad,
  one_hot: oneHot,
  cumsum,
});
