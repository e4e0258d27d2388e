/**
 * The buckets of a TensorBoard histogram summary, as `tf.summary.histogram` (TensorBoard's
 * histogram plugin, summary_v2) computes them: `count` buckets of equal width from the minimum to
 * the maximum, each a row `[left edge, right edge, count]` of a float64 `[count, 3]` tensor. The
 * last bucket holds the maximum; one repeated value fills the last bucket with edges equal to it;
 * no values give `count` rows of zeros.
 */

/** TensorBoard's default number of histogram buckets. */
export const DEFAULT_BUCKET_COUNT = 30;

/**
 * The `[count, 3]` rows, flattened row by row.
 * @example histogramBuckets([1, 2, 3, 4], 2) // [1, 2.5, 2, 2.5, 4, 2]
 */
export function histogramBuckets(data: ArrayLike<number>, count = DEFAULT_BUCKET_COUNT): Float64Array {
  const out = new Float64Array(count * 3);
  if (data.length === 0 || count <= 0) return out;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (range === 0) {
    for (let b = 0; b < count; b++) out.set([max, max, b === count - 1 ? data.length : 0], b * 3);
    return out;
  }
  const width = range / count;
  const counts = new Float64Array(count);
  for (let i = 0; i < data.length; i++) counts[Math.min(Math.floor((data[i] - min) / width), count - 1)]++;
  // The edges as tf.linspace(min, max, count + 1), the last one exactly the maximum.
  const step = range / count;
  const edge = (b: number) => (b === count ? max : min + b * step);
  for (let b = 0; b < count; b++) out.set([edge(b), edge(b + 1), counts[b]], b * 3);
  return out;
}
