/**
 * Keras 2.0's `Sequential.predict_classes` and `predict_proba` (deprecated in tf.keras 2.x,
 * removed in 2.6): each warns once per process, as Python's default warning filter shows a
 * `warnings.warn` once.
 */
import { warnOnce } from '../legacy/warnings.js';
import { Tensor } from '../tensor.js';
import type { TensorOrList } from './data.js';
import type { PredictArgs } from './training/options.js';
import { KerasValueError } from '../errors.js';

/** What the two methods need of the model. */
interface Predictor {
  readonly name: string;
  predict(x: TensorOrList, args?: PredictArgs): Promise<unknown>;
}

async function predictOne(model: Predictor, x: TensorOrList, args: PredictArgs | undefined, what: string): Promise<Tensor> {
  // Keras 2.0's predict_classes / predict_proba default to verbose=0.
  const out = await model.predict(x, { verbose: 0, ...args });
  if (!(out instanceof Tensor)) throw new KerasValueError(`Sequential '${model.name}'.${what}: the model must have a single output`);
  return out;
}

/** Class indices: the argmax of the last axis, or for one unit `probability > 0.5` (int32). */
export async function predictClasses(model: Predictor, x: TensorOrList, args?: PredictArgs): Promise<Tensor> {
  warnOnce(
    'Sequential.predict_classes',
    '`model.predictClasses()` is deprecated (Keras 2 removed it). Use instead: argmax of `model.predict(x)` over the last axis for multi-class classification (a softmax last layer), or `model.predict(x) > 0.5` for binary classification (a sigmoid last layer).',
  );
  const p = await predictOne(model, x, args, 'predictClasses');
  const last = p.shape[p.rank - 1] ?? 1;
  if (p.rank >= 1 && last > 1) {
    const rows = p.size / last;
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let k = 1; k < last; k++) if (p.data[r * last + k] > p.data[r * last + best]) best = k;
      out[r] = best;
    }
    return new Tensor(p.shape.slice(0, -1), 'int32', out);
  }
  return new Tensor(p.shape, 'int32', Int32Array.from(p.data, (v) => (v > 0.5 ? 1 : 0)));
}

/** The predictions, with Keras 2.0's warning when they are not probabilities (below 0 or above 1). */
export async function predictProba(model: Predictor, x: TensorOrList, args?: PredictArgs): Promise<Tensor> {
  warnOnce('Sequential.predict_proba', '`model.predictProba()` is deprecated (Keras 2 removed it). Use `model.predict()` instead.');
  const p = await predictOne(model, x, args, 'predictProba');
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of p.data) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (lo < 0 || hi > 1) console.warn('Network returning invalid probability values. The last layer might not normalize predictions into probabilities (like softmax or sigmoid would).');
  return p;
}
