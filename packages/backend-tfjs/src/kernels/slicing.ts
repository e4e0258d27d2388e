import * as tf from '@tensorflow/tfjs';
import { resolveAxis, sizeOf, stridesOf } from '@keras-ts/spec';
import { toBool, typedKernels, type Kernel } from '../kernel.js';

const slice: Kernel<'slice'> = (node) => {
  const begin = node.attrs.begin;
  const size = [...node.shape];
  if (size.length === 0) return ([x]) => x.clone(); // tfjs cannot slice a scalar
  return ([x]) => tf.slice(x, begin, size);
};

interface Strided {
  begin: number[];
  end: number[];
  strides: number[];
}

/** The flat positions in an input of `inShape` that a normalized strided slice reads, in output order. */
function stridedPositions(inShape: readonly number[], outShape: readonly number[], a: Strided): Int32Array {
  const st = stridesOf(inShape);
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const pos = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let i = 0; i < outShape.length; i++) off += (a.begin[i] + pos[i] * a.strides[i]) * st[i];
    idx[k] = off;
    for (let i = outShape.length - 1; i >= 0; i--) {
      if (++pos[i] < outShape[i]) break;
      pos[i] = 0;
    }
  }
  return idx;
}

/**
 * strided_slice: a plain slice when every stride is 1, else a gather of the positions it reads
 * (a table made at compile time). tfjs' stridedSlice is not used: on wasm it returns int32
 * inputs relabelled as float32.
 */
const stridedSlice: Kernel<'strided_slice'> = (node, [x], ctx) => {
  const a = node.attrs;
  const shape = [...node.shape];
  if (a.strides.every((s) => s === 1)) return ([t]) => tf.slice(t, a.begin, shape);
  const positions = ctx.keep(tf.tensor1d(stridedPositions(x.shape, shape, a), 'int32'));
  const size = sizeOf(x.shape);
  return ([t]) => {
    const src = t.dtype === 'bool' ? tf.cast(t, 'int32') : t;
    const r = tf.reshape(tf.gather(tf.reshape(src, [size]), positions), shape);
    return t.dtype === 'bool' ? toBool(r) : r;
  };
};

/** dy scattered into zeros of inputShape: the flat positions are a table made at compile time. */
const stridedSliceGrad: Kernel<'strided_slice_grad'> = (node, [dy], ctx) => {
  const a = node.attrs;
  const inShape = a.inputShape;
  const n = sizeOf(dy.shape);
  const idx = stridedPositions(inShape, dy.shape, a);
  const indices = ctx.keep(tf.tensor2d(idx, [n, 1], 'int32'));
  const size = sizeOf(inShape);
  const shape = [...inShape];
  return ([g]) => {
    const v = g.dtype === 'bool' ? tf.cast(g, 'int32') : g;
    const out = tf.reshape(tf.scatterND(indices, tf.reshape(v, [n]), [size]), shape);
    return g.dtype === 'bool' ? toBool(out) : out;
  };
};

const concat: Kernel<'concat'> = (node, inputs) => {
  const ax = resolveAxis(node.attrs.axis, node.shape.length);
  const keep = inputs.map((x, i) => (sizeOf(x.shape) > 0 ? i : -1)).filter((i) => i >= 0);
  if (keep.length === 1) return (xs) => xs[keep[0]].clone();
  return (xs) => tf.concat(keep.map((i) => xs[i]), ax);
};

const pad: Kernel<'pad'> = (node, [x]) => {
  const { paddings, value } = node.attrs;
  const shape = [...node.shape];
  if (sizeOf(x.shape) === 0) {
    // Nothing to place: the output is all padding.
    if (node.dtype === 'bool') return () => toBool(tf.fill(shape, value ? 1 : 0, 'int32'));
    return () => tf.fill(shape, value, node.dtype as 'float32' | 'int32');
  }
  if (shape.length === 0) return ([t]) => t.clone(); // tfjs cannot pad a scalar
  if (node.dtype === 'bool') return ([t]) => toBool(tf.pad(tf.cast(t, 'int32'), paddings, value ? 1 : 0));
  return ([t]) => tf.pad(t, paddings, value);
};

const tile: Kernel<'tile'> = (node, [x]) => {
  const reps = node.attrs.reps;
  if (x.shape.length === 0 || reps.every((r) => r === 1)) return ([t]) => t.clone();
  if (node.dtype === 'bool') return ([t]) => toBool(tf.tile(tf.cast(t, 'int32'), reps));
  return ([t]) => tf.tile(t, reps);
};

/** Slicing, joining, padding and tiling. */
export const slicingKernels = typedKernels({
  slice,
  strided_slice: stridedSlice,
  strided_slice_grad: stridedSliceGrad,
  concat,
  pad,
  tile,
});
