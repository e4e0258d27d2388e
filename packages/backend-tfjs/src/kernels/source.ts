import * as tf from '@tensorflow/tfjs';
import type { DType } from '@keras-ts/spec';
import { toBool, typedKernels, type Kernel } from '../kernel.js';

const fill: Kernel<'fill'> = (node) => {
  const shape = [...node.shape];
  const value = node.attrs.value;
  const dtype = node.dtype;
  if (dtype === 'bool') return () => toBool(tf.fill(shape, value ? 1 : 0, 'int32'));
  return () => tf.fill(shape, value, dtype as Exclude<DType, 'bool'>);
};

/** The seed is an int32 scalar input: read it on the host (it is one element). */
const seedOf = (t: tf.Tensor): number => t.dataSync()[0];

/**
 * Uniform samples from tfjs' seeded generator (seedrandom's alea): a pure function of the seed.
 * float32 rounding may reach maxval; such samples are moved to minval to keep [minval, maxval).
 */
const randomUniform: Kernel<'random_uniform'> = (node) => {
  const shape = [...node.shape];
  const { minval, maxval } = node.attrs;
  return ([seed]) => {
    const u = tf.randomUniform(shape, minval, maxval, 'float32', seedOf(seed));
    return tf.where(tf.greaterEqual(u, tf.scalar(maxval)), tf.scalar(minval), u);
  };
};

const randomNormal: Kernel<'random_normal'> = (node) => {
  const shape = [...node.shape];
  const { mean, stddev } = node.attrs;
  return ([seed]) => tf.randomNormal(shape, mean, stddev, 'float32', seedOf(seed));
};

/** Ops that make tensors from attributes (and a seed). `constant` is uploaded at compile time. */
export const sourceKernels = typedKernels({
  fill,
  random_uniform: randomUniform,
  random_normal: randomNormal,
});
