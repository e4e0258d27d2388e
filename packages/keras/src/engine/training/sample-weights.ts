/**
 * Per-output sample weights for the loss and the weighted metrics: the ones given (one tensor
 * for every output, or one per output), ones when none, with Keras' class weights folded in; and
 * the weights of an output that carries a Keras mask (masked entries count for nothing).
 */
import { ops, type Sym } from '@keras-ts/spec';
import type { Reduction } from '../../losses/loss.js';
import { Tensor } from '../../tensor.js';
import { asList, type TensorOrList } from '../data.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

/** Class weights as `fit` takes them: a weight per class index. */
export type ClassWeight = Readonly<Record<string | number, number>> | null | undefined;

/** Per-output sample weights for `n` samples (ones when none), class weights folded in as Keras does. */
export function sampleWeights(ys: readonly Tensor[], sampleWeight: TensorOrList | null, classWeight: ClassWeight, n: number): Tensor[] {
  const given = sampleWeight ? asList(sampleWeight) : [];
  if (given.length > 1 && given.length !== ys.length) throw new KerasValueError(`sample_weight has ${given.length} entries for ${ys.length} outputs`);
  return ys.map((yt, i) => {
    const w = given.length ? (given.length === 1 ? given[0] : given[i]) : null;
    if (w && (w.rank < 1 || w.shape[0] !== n)) throw new KerasShapeError(`sample_weight must have one weight per sample (${n}), got shape [${w.shape}]`);
    const out = w ? new Float32Array(w.data) : new Float32Array(n).fill(1);
    if (classWeight) {
      const cls = classIndices(yt);
      for (let k = 0; k < n; k++) {
        const cw = classWeight[cls[k]] ?? classWeight[String(cls[k])];
        if (cw === undefined) throw new KerasValueError(`class_weight has no weight for class ${cls[k]} (given for: ${Object.keys(classWeight).join(', ')})`);
        out[k] *= cw;
      }
    }
    return new Tensor([n], 'float32', out);
  });
}

/** The class of each sample for class weights: the label, or the argmax of a one-hot row. */
function classIndices(y: Tensor): number[] {
  const n = y.shape[0];
  const row = y.size / Math.max(n, 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (row === 1) out.push(Math.round(y.data[i]));
    else {
      let best = 0;
      for (let k = 1; k < row; k++) if (y.data[i * row + k] > y.data[i * row + best]) best = k;
      out.push(best);
    }
  }
  return out;
}

/**
 * Keras 2's `squeeze_or_expand_dimensions(target, sample_weight=w)` for weights: a weight one axis
 * longer than `target` loses its last axis, one shorter gains one; a scalar stays.
 */
function alignWeights(w: Sym, target: Sym): Sym {
  if (w.rank === 0) return w;
  if (w.rank - target.rank === 1) return ops.squeeze(w, [-1]);
  if (target.rank - w.rank === 1) return ops.expandDims(w, -1);
  return w;
}

/**
 * The sample weights of an output that carries a Keras mask, as Keras 2's compile containers
 * make them (tf_keras/engine/compile_utils.py: `match_dtype_and_rank`, then
 * `losses_utils.apply_mask(y_p, sw, get_mask(y_p))`): the mask as float32, times the sample
 * weights when there are some (aligned with the mask first). The unweighted metrics get the mask
 * alone (`sw` null), the weighted metrics and the loss get it times their weights.
 */
export function maskedWeights(pred: Sym, mask: Sym, sw: Sym | null): Sym {
  const m = ops.cast(mask, 'float32');
  if (!sw) return m;
  // match_dtype_and_rank: per-sample weights [B] against predictions [B, n] become [B, 1].
  const w = sw.rank === 1 && pred.rank === 2 ? ops.expandDims(sw, -1) : sw;
  return ops.mul(alignWeights(ops.cast(w, 'float32'), m), m);
}

/**
 * The loss weights of a masked output, as Keras 2's `Loss.__call__` redistributes them
 * (tf_keras/utils/losses_utils.py `apply_valid_mask`): for a mean reduction (`auto`,
 * `sum_over_batch_size`) each valid entry is weighted by `total / valid` (the mask's size over
 * its count of true entries) and masked ones by 0, so the mean is taken over the valid entries
 * only; for the other reductions the mask multiplies the weights. `weights` are
 * {@link maskedWeights}. As in Keras 2, a batch with no valid entry gives NaN.
 */
export function validMaskWeights(weights: Sym, mask: Sym, reduction: Reduction): Sym {
  let m = ops.cast(mask, 'float32');
  if (reduction === 'auto' || reduction === 'sum_over_batch_size') {
    const total = m.shape.reduce((a, b) => a * b, 1);
    m = ops.mul(m, ops.div(ops.fill(m.graph, [], total), ops.sum(m)));
  }
  return ops.mul(alignWeights(weights, m), m);
}
