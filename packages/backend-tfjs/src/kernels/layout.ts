import * as tf from '@tensorflow/tfjs';
import { typedKernels, type Kernel } from '../kernel.js';

const reshape: Kernel<'reshape'> = (node) => {
  const shape = [...node.shape];
  return ([x]) => tf.reshape(x, shape);
};

/**
 * identity and stop_gradient: a new handle on the same data (so the executor may dispose either).
 * A reshape to the same shape shares the data on every tfjs backend; tf.clone copies it on wasm
 * (MobileNetV2 predict: 105 copies, 70 ms of 420).
 */
const copy: Kernel<'identity' | 'stop_gradient'> = (node) => {
  const shape = [...node.shape];
  return ([x]) => tf.reshape(x, shape);
};

const transpose: Kernel<'transpose'> = (node) => {
  const perm = node.attrs.perm;
  return ([x]) => tf.transpose(x, perm);
};

const broadcastTo: Kernel<'broadcast_to'> = (node) => {
  const shape = [...node.shape];
  return ([x]) => tf.broadcastTo(x, shape);
};

/** Ops that move data without arithmetic. */
export const layoutKernels = typedKernels({
  reshape,
  identity: copy,
  stop_gradient: copy,
  transpose,
  broadcast_to: broadcastTo,
});
