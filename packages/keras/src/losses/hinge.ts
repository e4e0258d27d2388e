import { ops, type Sym } from '@keras-ts/spec';
import { registerClass } from '../serialization/registry.js';
import { asFloat, lossFunctionClass, registerLossFunction } from './wrapper.js';

/**
 * Keras 2's `_maybe_convert_labels`: when every label is 0 or 1, they become -1 and 1; labels
 * already in {-1, 1} (or anything else) are left as they are.
 */
function toSignedLabels(t: Sym): Sym {
  const binary = ops.logicalOr(ops.equal(t, 0), ops.equal(t, 1));
  const allBinary = ops.equal(ops.sum(ops.cast(ops.logicalNot(binary), 'float32')), 0);
  return ops.where(allBinary, ops.sub(ops.mul(t, 2), 1), t);
}

/**
 * Hinge loss, averaged over the last axis: `mean(max(1 - t * p, 0))`, labels -1/1 (0/1 labels are
 * converted).
 * @example hinge(yTrue, yPred)
 */
export function hinge(yTrue: Sym, yPred: Sym): Sym {
  const [t0, p] = asFloat(yTrue, yPred);
  const t = toSignedLabels(t0);
  return ops.mean(ops.maximum(ops.sub(1, ops.mul(t, p)), 0), -1);
}

/**
 * Squared hinge loss, averaged over the last axis: `mean(square(max(1 - t * p, 0)))`.
 * @example squaredHinge(yTrue, yPred)
 */
export function squaredHinge(yTrue: Sym, yPred: Sym): Sym {
  const [t0, p] = asFloat(yTrue, yPred);
  const t = toSignedLabels(t0);
  return ops.mean(ops.square(ops.maximum(ops.sub(1, ops.mul(t, p)), 0)), -1);
}

/**
 * Categorical hinge over the last axis: `max(max((1 - t) * p) - sum(t * p) + 1, 0)`.
 * @example categoricalHinge(oneHotLabels, scores)
 */
export function categoricalHinge(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  const pos = ops.sum(ops.mul(t, p), -1);
  const neg = ops.max(ops.mul(ops.sub(1, t), p), -1);
  return ops.maximum(ops.add(ops.sub(neg, pos), 1), 0);
}

/**
 * Hinge loss for "maximum-margin" classification, labels -1 or 1 (0/1 labels are converted).
 * @example new Hinge()
 */
export class Hinge extends lossFunctionClass('Hinge', hinge, 'hinge') {}

/**
 * Squared hinge loss, labels -1 or 1 (0/1 labels are converted).
 * @example new SquaredHinge()
 */
export class SquaredHinge extends lossFunctionClass('SquaredHinge', squaredHinge, 'squared_hinge') {}

/**
 * Categorical hinge loss between one-hot labels and class scores.
 * @example new CategoricalHinge()
 */
export class CategoricalHinge extends lossFunctionClass('CategoricalHinge', categoricalHinge, 'categorical_hinge') {}

registerClass('loss', Hinge, 'hinge');
registerClass('loss', SquaredHinge, 'squared_hinge');
registerClass('loss', CategoricalHinge, 'categorical_hinge');

registerLossFunction(hinge, 'hinge');
registerLossFunction(squaredHinge, 'squared_hinge');
registerLossFunction(categoricalHinge, 'categorical_hinge');
