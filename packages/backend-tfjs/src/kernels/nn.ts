import * as tf from '@tensorflow/tfjs';
import { resolveAxes, resolveAxis, sizeOf } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

/**
 * Runs a last-axis tfjs op along any axis: tfjs' softmax and logSoftmax only take the last axis,
 * so another axis is swapped to the end and back.
 */
function alongAxis(f: (x: tf.Tensor) => tf.Tensor): Kernel<'softmax' | 'log_softmax'> {
  return (node, [x]) => {
    const rank = x.shape.length;
    const axis = resolveAxis(node.attrs.axis, rank);
    if (axis === rank - 1) return ([t]) => f(t);
    const perm = Array.from({ length: rank }, (_, i) => i);
    perm[axis] = rank - 1;
    perm[rank - 1] = axis;
    return ([t]) => tf.transpose(f(tf.transpose(t, perm)), perm);
  };
}

/** A fused reduction composite: no axis is the identity; an empty input its `empty` value. */
function fusedReduce(f: (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor, empty: number): Kernel<'mean' | 'variance' | 'logsumexp'> {
  return (node, [x]) => {
    const axes = resolveAxes(node.attrs.axes, x.shape.length);
    const keepdims = node.attrs.keepdims;
    const shape = [...node.shape];
    if (sizeOf(x.shape) === 0) return () => tf.fill(shape, empty, 'float32');
    if (axes.length === 0) return ([t]) => f(t, [], true);
    return ([t]) => f(t, axes, keepdims);
  };
}

/** Fused kernels of nn and reduction composites (their gradients still come from the decomposition). */
export const nnKernels = typedKernels({
  softmax: alongAxis((x) => tf.softmax(x)),
  log_softmax: alongAxis((x) => tf.logSoftmax(x)),
  mean: fusedReduce((x, a, k) => (a.length ? tf.mean(x, a, k) : x.clone()), NaN),
  variance: fusedReduce((x, a, k) => (a.length ? tf.moments(x, a, k).variance : tf.zerosLike(x)), NaN),
  logsumexp: fusedReduce((x, a, k) => (a.length ? tf.logSumExp(x, a, k) : x.clone()), -Infinity),
});
