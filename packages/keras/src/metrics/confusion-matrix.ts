import { fmtShape, ops, shapesEqual, type Sym } from '@keras-ts/spec';
import { broadcastWeights, flatten, sliceLast, squeezeOrExpandDimensions, toFloat, vector } from './utils.js';
import { KerasShapeError, KerasValueError } from '../errors.js';

/**
 * Keras 2's `metrics_utils.update_confusion_matrix_variables` and its helpers, over symbolic
 * tensors: the counts of true/false positives/negatives of a batch at each threshold.
 */

/** Keras' `NEG_INF`: the value predictions outside the top k are set to. */
export const NEG_INF = -1e10;

export type ConfusionKind = 'tp' | 'fp' | 'tn' | 'fn';

/** Keras' `parse_init_thresholds`: the thresholds as a list (the default when none), each in [0, 1]. */
export function parseInitThresholds(thresholds: number | readonly number[] | null | undefined, defaultThreshold: number, what: string): number[] {
  if (thresholds === null || thresholds === undefined) return [defaultThreshold];
  const list = typeof thresholds === 'number' ? [thresholds] : [...thresholds];
  const bad = list.filter((t) => typeof t !== 'number' || !(t >= 0 && t <= 1));
  if (bad.length) throw new KerasValueError(`${what}: argument 'thresholds' got ${JSON.stringify(thresholds)}: threshold values must be in [0, 1]`);
  return list;
}

/** Whether thresholds are `i / (n - 1)` for i in 0..n-1 (n >= 3), within 1e-7 (Keras' `is_evenly_distributed_thresholds`). */
export function isEvenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  // numpy allclose: |a - b| <= atol + rtol |b| with rtol 1e-5; the even values are float32.
  return thresholds.every((t, i) => {
    const even = Math.fround(Math.fround(i) / (n - 1));
    return Math.abs(t - even) <= 1e-7 + 1e-5 * Math.abs(even);
  });
}

/**
 * Keras' `_filter_top_k`: keeps the `k` largest values of each row (the last axis) and sets the
 * others to `NEG_INF`. Ties are broken toward the lower index, as `top_k`.
 */
export function filterTopK(x: Sym, k: number): Sym {
  const n = x.shape[x.rank - 1];
  // rank of x_j = #{i: x_i > x_j} + #{i < j: x_i == x_j}; kept when rank < k.
  const xi = ops.expandDims(x, -2); // [..., 1, n]: x_i along the last axis
  const xj = ops.expandDims(x, -1); // [..., n, 1]
  const lower = new Float32Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) lower[j * n + i] = 1;
  const before = ops.constant(x.graph, lower, [n, n], 'float32');
  const greater = toFloat(ops.greater(xi, xj));
  const tied = ops.mul(toFloat(ops.equal(xi, xj)), before);
  const rank = ops.sum(ops.add(greater, tied), -1);
  const keep = ops.less(rank, k);
  return ops.where(keep, x, NEG_INF);
}

export interface ConfusionUpdate {
  yTrue: Sym;
  yPred: Sym;
  thresholds: readonly number[];
  /** Whether the thresholds are evenly spaced (Keras then buckets predictions, with the same result up to rounding). */
  evenly: boolean;
  topK?: number | null;
  classId?: number | null;
  sampleWeight?: Sym | null;
  multiLabel?: boolean;
  /** Per-label weights (only without `multiLabel`). */
  labelWeights?: Sym | null;
  want: readonly ConfusionKind[];
  /** For messages. */
  what: string;
}

/**
 * The increments of the wanted confusion-matrix counts for one batch: each of shape
 * `[numThresholds]`, or `[numThresholds, numLabels]` with `multiLabel`. A prediction counts as
 * positive at a threshold when it is strictly above it; a label is positive when it is not 0.
 */
export function confusionMatrixIncrements(u: ConfusionUpdate): Partial<Record<ConfusionKind, Sym>> {
  const multi = u.multiLabel ?? false;
  let yTrue = toFloat(u.yTrue);
  let yPred = toFloat(u.yPred);
  let sw = u.sampleWeight ? toFloat(u.sampleWeight) : null;
  ({ yPred, yTrue: yTrue, sampleWeight: sw } = squeezeOrExpandDimensions(yPred, yTrue, sw, u.what) as { yPred: Sym; yTrue: Sym; sampleWeight: Sym | null });
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    throw new KerasShapeError(`${u.what}: y_true of shape ${fmtShape(u.yTrue.shape)} and y_pred of shape ${fmtShape(u.yPred.shape)} are not compatible`);
  }
  if (u.topK !== null && u.topK !== undefined) yPred = filterTopK(yPred, u.topK);
  if (u.classId !== null && u.classId !== undefined) {
    yTrue = sliceLast(yTrue, u.classId, u.what);
    yPred = sliceLast(yPred, u.classId, u.what);
  }
  if (multi && yPred.rank !== 2) throw new KerasShapeError(`${u.what}: y_pred must have rank 2 when multi_label is true, got shape ${fmtShape(yPred.shape)}`);

  const t = u.thresholds.length;
  // Weights with the predictions' shape (or null), then laid out like the predictions.
  let weights: Sym | null = sw ? broadcastWeights(sw, yPred, u.what) : null;
  if (u.labelWeights && !multi) {
    const lw = broadcastWeights(ops.expandDims(u.labelWeights, 0), yPred, `${u.what}: label_weights`);
    weights = weights ? ops.mul(weights, lw) : lw;
  }
  const labels = toFloat(ops.notEqual(yTrue, 0));
  let preds = yPred;
  if (!multi) {
    preds = flatten(preds);
    if (weights) weights = flatten(weights);
  }
  const flatLabels = multi ? labels : flatten(labels);
  // The threshold axis first: [T, M] or [T, N, L].
  const tShape = multi ? [t, 1, 1] : [t, 1];
  let predIsPos: Sym;
  if (u.evenly) {
    // Keras' bucketed form: bucket = ceil(clip(p, 0, 1) * (T - 1)) - 1 (floored at 0 when the
    // end thresholds lie outside [0, 1]); positive at threshold i when bucket >= i.
    const withEps = u.thresholds[0] < 0 || u.thresholds[t - 1] > 1;
    let bucket = ops.sub(ops.ceil(ops.mul(ops.clip(preds, 0, 1), t - 1)), 1);
    if (withEps) bucket = ops.relu(bucket);
    const index = ops.reshape(vector(preds, Array.from({ length: t }, (_, i) => i)), tShape);
    predIsPos = ops.greaterEqual(ops.expandDims(bucket, 0), index);
  } else {
    const thr = ops.reshape(vector(preds, u.thresholds), tShape);
    predIsPos = ops.greater(ops.expandDims(preds, 0), thr);
  }
  const pos = toFloat(predIsPos);
  const w = weights ? ops.expandDims(weights, 0) : null;
  const trueW = ops.expandDims(w ? ops.mul(flatLabels, weights!) : flatLabels, 0);
  const falseW = ops.expandDims(w ? ops.mul(ops.sub(1, flatLabels), weights!) : ops.sub(1, flatLabels), 0);
  const out: Partial<Record<ConfusionKind, Sym>> = {};
  const tp = ops.sum(ops.mul(pos, trueW), 1);
  const fp = ops.sum(ops.mul(pos, falseW), 1);
  if (u.want.includes('tp')) out.tp = tp;
  if (u.want.includes('fp')) out.fp = fp;
  if (u.want.includes('fn')) out.fn = ops.sum(ops.mul(ops.sub(1, pos), trueW), 1);
  if (u.want.includes('tn')) out.tn = ops.sum(ops.mul(ops.sub(1, pos), falseW), 1);
  return out;
}
