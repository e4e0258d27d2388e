/**
 * Keras 2's standardization of images (`ImageDataGenerator.standardize`) and the data set
 * statistics `ImageDataGenerator.fit` computes, over float32 arrays whose channel axis is given.
 */
import { applyZca, type ZcaWhitening } from './zca.js';

/** What standardization reads: the settings, and the statistics `fit` computed (per channel). */
export interface Standardization {
  rescale: number | null;
  samplewiseCenter: boolean;
  samplewiseStdNormalization: boolean;
  featurewiseCenter: boolean;
  featurewiseStdNormalization: boolean;
  zcaWhitening: boolean;
  mean: Float32Array | null;
  std: Float32Array | null;
  zca: ZcaWhitening | null;
}

/** No standardization at all: spread it and set what a step applies. */
export const NO_STANDARDIZATION: Standardization = {
  rescale: null,
  samplewiseCenter: false,
  samplewiseStdNormalization: false,
  featurewiseCenter: false,
  featurewiseStdNormalization: false,
  zcaWhitening: false,
  mean: null,
  std: null,
  zca: null,
};

/** The channel of the element at flat index `k` of an array of `shape` whose channel axis is `axis`. */
export function channelIndexer(shape: readonly number[], axis: number): (k: number) => number {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channels = shape[axis];
  return (k) => Math.floor(k / inner) % channels;
}

/** The population standard deviation and mean of values. */
function meanStd(data: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = sum / data.length;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += (data[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / data.length) };
}

const warned = new Set<string>();
function warnUnfit(setting: string): void {
  if (warned.has(setting)) return;
  warned.add(setting);
  console.warn(`This ImageDataGenerator specifies \`${setting}\`, but it hasn't been fit on any training data. Fit it first by calling \`.fit(data)\`.`);
}

/**
 * Standardizes `data` (an image or a batch, of `shape`, channels on `axis`) in place, in Keras'
 * order: rescale, samplewise center and std (over the whole array, as Keras), featurewise center
 * and std, ZCA. Settings that need `fit` and have no statistics warn and are skipped.
 */
export function standardizeInPlace(data: Float32Array, shape: readonly number[], axis: number, s: Standardization): void {
  if (s.rescale) for (let i = 0; i < data.length; i++) data[i] *= s.rescale;
  if (s.samplewiseCenter || s.samplewiseStdNormalization) {
    if (s.samplewiseCenter) {
      const { mean } = meanStd(data);
      for (let i = 0; i < data.length; i++) data[i] -= mean;
    }
    if (s.samplewiseStdNormalization) {
      const { std } = meanStd(data);
      for (let i = 0; i < data.length; i++) data[i] /= std + 1e-6;
    }
  }
  const channelOf = channelIndexer(shape, axis);
  if (s.featurewiseCenter) {
    if (s.mean) for (let i = 0; i < data.length; i++) data[i] -= s.mean[channelOf(i)];
    else warnUnfit('featurewise_center');
  }
  if (s.featurewiseStdNormalization) {
    if (s.std) for (let i = 0; i < data.length; i++) data[i] /= s.std[channelOf(i)] + 1e-6;
    else warnUnfit('featurewise_std_normalization');
  }
  if (s.zcaWhitening) {
    if (s.zca) applyZca(s.zca, data);
    else warnUnfit('zca_whitening');
  }
}

/** The per-channel mean of a batch (channels on `axis`). */
export function channelMeans(data: Float32Array, shape: readonly number[], axis: number): Float32Array {
  const channelOf = channelIndexer(shape, axis);
  const sums = new Float64Array(shape[axis]);
  for (let i = 0; i < data.length; i++) sums[channelOf(i)] += data[i];
  const count = data.length / shape[axis];
  return Float32Array.from(sums, (v) => v / count);
}

/** The per-channel population standard deviation of a batch (channels on `axis`). */
export function channelStds(data: Float32Array, shape: readonly number[], axis: number): Float32Array {
  const mean = channelMeans(data, shape, axis);
  const channelOf = channelIndexer(shape, axis);
  const sq = new Float64Array(shape[axis]);
  for (let i = 0; i < data.length; i++) sq[channelOf(i)] += (data[i] - mean[channelOf(i)]) ** 2;
  const count = data.length / shape[axis];
  return Float32Array.from(sq, (v) => Math.sqrt(v / count));
}
