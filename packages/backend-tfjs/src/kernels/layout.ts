import * as tf from '@tensorflow/tfjs';
import type { Kernel, KernelTable } from '../kernel';

const reshape: Kernel = (node) => {
  const shape = [...node.shape];
  return ([x]) => tf.reshape(x, shape);
};

/** identity and stop_gradient: the same data (a new handle, so the executor may dispose it). */
const copy: Kernel = () => ([x]) => x.clone();

const transpose: Kernel = (node) => {
  const perm = node.attrs.perm as number[];
  return ([x]) => tf.transpose(x, perm);
};

const broadcastTo: Kernel = (node) => {
  const shape = [...node.shape];
  return ([x]) => tf.broadcastTo(x, shape);
};

/** Ops that move data without arithmetic. */
export const layoutKernels: KernelTable = {
  reshape,
  identity: copy,
  stop_gradient: copy,
  transpose,
  broadcast_to: broadcastTo,
};
