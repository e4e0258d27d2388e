import * as tf from '@tensorflow/tfjs';
import { resolveAxes, resolveAxis, sizeOf } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

type Reducer = (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor;

/**
 * A reduction over resolved axes. Reducing no axis is the identity; reducing an empty input
 * gives the reduction's identity element (0 for sum, 1 for prod) without calling tfjs.
 */
function reducer(f: Reducer, empty?: number): Kernel<'sum' | 'prod' | 'max' | 'min'> {
  return (node, [x]) => {
    const axes = resolveAxes(node.attrs.axes, x.shape.length);
    const keepdims = node.attrs.keepdims;
    const shape = [...node.shape];
    if (axes.length === 0) return ([t]) => t.clone();
    if (sizeOf(x.shape) === 0 && empty !== undefined) {
      const dtype = node.dtype as 'float32' | 'int32';
      return () => tf.fill(shape, empty, dtype);
    }
    return ([t]) => f(t, axes, keepdims);
  };
}

/**
 * argmax/argmin along one axis. Ties go to the first index (as tfjs' kernels); NaN wins, as
 * numpy and backend-ts: where a lane holds a NaN, the answer is the first NaN's index.
 */
function argReducer(f: (x: tf.Tensor, axis: number) => tf.Tensor): Kernel<'argmax' | 'argmin'> {
  return (node, [x]) => {
    const axis = resolveAxis(node.attrs.axis, x.shape.length);
    if (x.dtype !== 'float32') return ([t]) => f(t, axis);
    return ([t]) => {
      const nan = tf.isNaN(t);
      const anyNan = tf.any(nan, axis);
      return tf.where(anyNan, tf.argMax(tf.cast(nan, 'int32'), axis), f(t, axis));
    };
  };
}

/** Reductions over axes, and argmax/argmin. */
export const reduceKernels = typedKernels({
  sum: reducer((x, a, k) => tf.sum(x, a, k), 0),
  prod: reducer((x, a, k) => tf.prod(x, a, k), 1),
  max: reducer((x, a, k) => tf.max(x, a, k)),
  min: reducer((x, a, k) => tf.min(x, a, k)),
  argmax: argReducer((x, a) => tf.argMax(x, a)),
  argmin: argReducer((x, a) => tf.argMin(x, a)),
});
